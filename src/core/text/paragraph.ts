/**
 * Paragraphs and sentences in a document's text, by offsets: the passage the related-papers
 * engine reads, and where a suggested citation goes (the end of the sentence, before its full stop).
 */
import { nextSentenceEnd } from './sentences';

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
 * punctuation (as the one sentence splitter finds it: not at "e.g." or "et al."); the end of
 * the paragraph's text when the sentence has no final punctuation yet.
 */
export function sentenceEndAt(text: string, offset: number): number {
  const para = paragraphAt(text, offset);
  const end = nextSentenceEnd(text, Math.max(offset, para.start), para.end);
  if (end >= 0) return end;
  let e = para.end;
  while (e > para.start && /\s/.test(text[e - 1])) e--;
  return e;
}
