/**
 * How a mention is written in its document, for the rules that decide whether it is one: is the
 * phrase marked (emphasis, quotes, a command's argument), written as a title (capitals beyond a
 * sentence's first word), and does its sentence already cite something.
 */
import { CLASS_PROSE, ParsedCitation } from '../citations/lexedDocument';
import { sentenceEndAfter, startsSentence } from '../text/sentences';

/** Opening marks right before a phrase: quotes, Markdown emphasis, a LaTeX command's brace. */
const OPENS = /(?:["“‘'`*_]|\\[A-Za-z]+\*?\{)[ \t]*$/;
/** Closing marks right after a phrase. */
const CLOSES = /^[ \t]*["”’'*_}]/;

/** Whether `text[start, end)` is marked as a name or title: quoted, emphasised or a command argument. */
export function isMarked(text: string, start: number, end: number): boolean {
  return OPENS.test(text.slice(Math.max(0, start - 16), start)) && CLOSES.test(text.slice(end, end + 4));
}

/**
 * Whether `text[start, end)` is written as a title: a capital letter in it beyond the first
 * word's (the first word counts unless it opens a sentence), or the phrase is marked.
 */
export function writtenAsTitle(text: string, mask: Uint8Array, start: number, end: number): boolean {
  let from = start;
  if (startsSentence(text, start)) {
    while (from < end && /[\p{L}\p{N}]/u.test(text[from])) from++;
  }
  for (let i = from; i < end; i++) {
    if (mask[i] !== CLASS_PROSE) continue;
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c > 127 && /\p{Lu}/u.test(text[i]))) return true;
  }
  return isMarked(text, start, end);
}

/** How far a sentence is looked for around a mention, each way. */
const SENTENCE_REACH = 1500;

/** Whether a blank line starts at the newline at `i`. */
function blankAt(text: string, i: number): boolean {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 10) return true;
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * The sentence around [start, end): from after the previous sentence end (full stop in prose,
 * not at an abbreviation) or blank line, to the next one.
 */
export function sentenceAround(text: string, mask: Uint8Array, start: number, end: number): { start: number; end: number } {
  let s = start;
  const floor = Math.max(0, start - SENTENCE_REACH);
  while (s > floor) {
    const c = text.charCodeAt(s - 1);
    if (c === 10 && blankAt(text, s - 1)) break;
    if ((c === 46 || c === 33 || c === 63) && mask[s - 1] === CLASS_PROSE) {
      const after = sentenceEndAfter(text, s - 1);
      if (after >= 0 && after <= start) break;
    }
    s--;
  }
  let e = end;
  const ceil = Math.min(text.length, end + SENTENCE_REACH);
  while (e < ceil) {
    const c = text.charCodeAt(e);
    if (c === 10 && blankAt(text, e)) break;
    if ((c === 46 || c === 33 || c === 63) && mask[e] === CLASS_PROSE && sentenceEndAfter(text, e) >= 0) { e++; break; }
    e++;
  }
  return { start: s, end: e };
}

/**
 * Whether a citation of a known paper (`known(key)`) starts inside the sentence around
 * [start, end). `citations` sorted by start. An unknown key is flagged on its own and cites nothing.
 */
export function sentenceCites(text: string, mask: Uint8Array, citations: readonly ParsedCitation[], start: number, end: number, known: (key: string) => boolean): boolean {
  if (!citations.length) return false;
  const sentence = sentenceAround(text, mask, start, end);
  let lo = 0;
  let hi = citations.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (citations[mid].start < sentence.start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < citations.length && citations[i].start < sentence.end; i++) {
    if (citations[i].keys.some((k) => k.key && known(k.key))) return true;
  }
  return false;
}
