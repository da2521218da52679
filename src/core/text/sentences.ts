/**
 * The one sentence splitter: where sentences of prose (an abstract, a paragraph of a document)
 * end. A sentence ends at `.`, `!` or `?` (a run of them, then any closing quotes or brackets)
 * followed by whitespace or the end of the text, unless the full stop belongs to an
 * abbreviation ("e.g.", "i.e.", "et al.", "cf.", "Fig.", "Eq.", "vs.", an initial "J.") or the
 * next word starts in lower case ("… as in Smith et al. who …"). Used by the hover and card
 * abstracts, by "cite at the end of the sentence" and by the mention hints.
 */

/**
 * Words (lower case, without their full stop) that never end a sentence when followed by one.
 * Dotted abbreviations ("e.g", "i.e", "a.k.a", "U.S") are recognised by their shape instead.
 */
const ABBREVIATIONS: ReadonlySet<string> = new Set([
  'al', 'cf', 'vs', 'viz', 'ca', 'approx', 'resp', 'incl', 'esp', 'ibid', 'etc',
  'fig', 'figs', 'eq', 'eqs', 'eqn', 'eqns', 'sec', 'secs', 'sect', 'tab', 'tbl', 'ref', 'refs', 'ch', 'chap', 'app',
  'thm', 'lem', 'prop', 'cor', 'def', 'vol', 'vols', 'pp', 'p', 'no', 'nos', 'ed', 'eds',
  'dr', 'mr', 'mrs', 'ms', 'prof', 'st', 'jr', 'sr', 'inc', 'ltd',
]);

/** Abbreviations only before a number ("No. 5", "p. 3"): "… the answer is no. Then …" ends. */
const BEFORE_NUMBER: ReadonlySet<string> = new Set(['no', 'nos', 'p', 'pp', 'vol', 'vols']);

/** Abbreviations that may still end a sentence when the next word is capitalised ("… and so on, etc. The …"). */
const MAY_END: ReadonlySet<string> = new Set(['etc']);

/** Whether a code unit closes a quotation or bracket after a sentence's punctuation. */
function isCloser(c: number): boolean {
  return c === 34 || c === 39 || c === 41 || c === 93 || c === 125 || c === 0x2019 || c === 0x201d || c === 0xbb;
}

function isSpaceCode(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 0xa0;
}

const LETTER = /\p{L}/u;
const LOWER = /\p{Ll}/u;

/**
 * If the punctuation run at `i` (a `.`, `!` or `?`) ends a sentence, the offset just after it
 * and its closing quotes/brackets; else -1. `end` bounds the look-ahead.
 */
export function sentenceEndAfter(text: string, i: number, end = text.length): number {
  const c = text.charCodeAt(i);
  if (c !== 46 && c !== 33 && c !== 63) return -1;
  let j = i + 1;
  while (j < end && (text.charCodeAt(j) === 46 || text.charCodeAt(j) === 33 || text.charCodeAt(j) === 63)) j++;
  const singleStop = c === 46 && j === i + 1;
  while (j < end && isCloser(text.charCodeAt(j))) j++;
  if (j < end && !isSpaceCode(text.charCodeAt(j))) return -1;
  // the next word
  let k = j;
  while (k < end && isSpaceCode(text.charCodeAt(k))) k++;
  const next = k < end ? text[k] : '';
  if (next && LOWER.test(next)) return -1;
  if (singleStop && isAbbreviationBefore(text, i, next)) return -1;
  return j;
}

/** Whether the single full stop at `dot` closes an abbreviation or an initial. */
function isAbbreviationBefore(text: string, dot: number, next: string): boolean {
  let s = dot;
  while (s > 0 && (LETTER.test(text[s - 1]) || (text.charCodeAt(s - 1) === 46 && s - 1 > 0 && LETTER.test(text[s - 2])))) s--;
  const word = text.slice(s, dot);
  if (!word) return false;
  if (word.includes('.')) return /^(?:\p{L}\.)+\p{L}$/u.test(word); // e.g, i.e, a.k.a, U.S
  if (word.length === 1 && /\p{Lu}/u.test(word)) return true; // an initial: "J. Smith"
  const lower = word.toLowerCase();
  if (!ABBREVIATIONS.has(lower)) return false;
  if (BEFORE_NUMBER.has(lower)) return /[0-9]/.test(next);
  return !(MAY_END.has(lower) && next && /\p{Lu}/u.test(next));
}

/** One sentence: [start, end) offsets, from its first non-space character to after its final punctuation. */
export interface SentenceRange {
  start: number;
  end: number;
}

/** The sentences of `text[from, to)`, in order; the last one may lack final punctuation. */
export function sentenceRanges(text: string, from = 0, to = text.length): SentenceRange[] {
  const out: SentenceRange[] = [];
  if (typeof text !== 'string') return out;
  to = Math.min(to, text.length);
  let s = from;
  while (s < to && isSpaceCode(text.charCodeAt(s))) s++;
  for (let i = s; i < to; i++) {
    const e = sentenceEndAfter(text, i, to);
    if (e < 0) continue;
    out.push({ start: s, end: e });
    s = e;
    while (s < to && isSpaceCode(text.charCodeAt(s))) s++;
    i = s - 1;
  }
  let e = to;
  while (e > s && isSpaceCode(text.charCodeAt(e - 1))) e--;
  if (e > s) out.push({ start: s, end: e });
  return out;
}

/** The sentences of a text as strings (trimmed). */
export function splitSentences(text: string): string[] {
  return sentenceRanges(text).map((r) => text.slice(r.start, r.end));
}

/**
 * The offset of the punctuation ending the first sentence that ends at or after `from` (before
 * `to`), or -1 when no sentence ends there.
 */
export function nextSentenceEnd(text: string, from: number, to = text.length): number {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c === 46 || c === 33 || c === 63) && sentenceEndAfter(text, i, to) >= 0) return i;
  }
  return -1;
}

/** Whether the text before `offset` (skipping spaces) ends a sentence: `offset` starts a new one. */
export function startsSentence(text: string, offset: number, floor = 0): boolean {
  let j = offset - 1;
  while (j >= floor && isSpaceCode(text.charCodeAt(j))) j--;
  if (j < floor) return true;
  while (j > floor && isCloser(text.charCodeAt(j))) j--;
  const c = text.charCodeAt(j);
  if (c === 58) return true; // a colon opens a new clause that may be capitalised
  if (c !== 46 && c !== 33 && c !== 63) return false;
  let p = j;
  while (p > floor && (text.charCodeAt(p - 1) === 46 || text.charCodeAt(p - 1) === 33 || text.charCodeAt(p - 1) === 63)) p--;
  return sentenceEndAfter(text, p, text.length) >= 0;
}
