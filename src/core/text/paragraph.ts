/**
 * Paragraphs and sentences in a document's text, by offsets: the passage the related-papers
 * engine reads, and where a suggested citation goes (the end of the sentence, before its full stop).
 */

/** The blank-line separated paragraph around `offset`: [start, end) offsets. */
export function paragraphAt(text: string, offset: number): { start: number; end: number } {
  const blank = /\n[ \t]*\r?\n/g;
  let start = 0;
  let end = text.length;
  for (const m of text.matchAll(blank)) {
    const s = m.index!;
    const e = s + m[0].length;
    if (e <= offset) start = e;
    else if (s >= offset) {
      end = s;
      break;
    } else {
      // offset inside the blank run: the paragraph before it
      end = s;
      break;
    }
  }
  return { start, end };
}

/**
 * Where a citation for the sentence around `offset` goes: just before the sentence's final
 * punctuation (". ", "? ", "! ", or a full stop at the end of the paragraph); the end of the
 * paragraph's text when the sentence has no final punctuation yet.
 */
export function sentenceEndAt(text: string, offset: number): number {
  const para = paragraphAt(text, offset);
  const re = /[.!?](?=["')\]]*(?:\s|$))/g;
  re.lastIndex = Math.max(offset, para.start);
  for (let m = re.exec(text); m && m.index < para.end; m = re.exec(text)) {
    // "et al." / "e.g." / "i.e." / "Fig." do not end a sentence
    const before = text.slice(Math.max(para.start, m.index - 6), m.index + 1);
    if (/\b(al|e\.g|i\.e|cf|vs|Fig|Eq|Sec|etc)\.$/.test(before)) continue;
    if (/\d\.$/.test(before) && /^\d/.test(text.slice(m.index + 1))) continue;
    return m.index;
  }
  let end = para.end;
  while (end > para.start && /\s/.test(text[end - 1])) end--;
  return end;
}
