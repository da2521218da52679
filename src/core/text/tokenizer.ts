/**
 * Tokenization for relatedness ranking: words with their source offsets, each written form
 * analysed once (folded, stopword or not, stemmed), phrases and compounds.
 * Pure functions, no `vscode` import. Nothing here throws on odd input.
 */
import { foldAscii } from '../model/paper';
import { PHRASE_GLUE, STOPWORDS } from './stopwords';
import { stem } from './porterStemmer';

/** One word of a text, with where it came from. Its wording is `text.slice(start, end)`. */
export interface Token {
  /** Lower-cased, accent-folded form. */
  norm: string;
  /** Porter stem of `norm` (`norm` itself for stopwords). */
  stem: string;
  /** Offsets into the analysed text (end exclusive). */
  start: number;
  end: number;
  /** A function word or boilerplate word; not indexed. */
  stop: boolean;
  /**
   * The joined form of a compound ("pre-training" → "pretraining"), emitted after its parts so
   * that every spelling matches. Not used for phrases.
   */
  compound: boolean;
  /** Punctuation (a clause boundary) separates this word from the previous one. */
  breakBefore: boolean;
}

/** Analysis of one written word form, shared by all its occurrences. */
export interface WordInfo {
  /** Lower-cased, accent-folded form. */
  readonly norm: string;
  /** Porter stem (the norm itself for stopwords). */
  readonly stem: string;
  /** Process-wide id of `stem` (see {@link stemOfId}). */
  readonly sid: number;
  readonly stop: boolean;
  /** A function word that may sit inside a phrase ("of" in "mixture of experts"). */
  readonly glue: boolean;
}

// process-wide stem ids: engines map them to their own term ids with a typed array
const stemIds = new Map<string, number>();
const stemStrings: string[] = [];

/** The process-wide id of a stem, assigned on first sight. */
export function stemId(stemmed: string): number {
  let id = stemIds.get(stemmed);
  if (id === undefined) {
    id = stemStrings.length;
    stemIds.set(stemmed, id);
    stemStrings.push(stemmed);
  }
  return id;
}

/** The stem of a process-wide stem id. */
export function stemOfId(sid: number): string {
  return stemStrings[sid];
}

function normalizeWord(w: string): string {
  const lower = w.toLowerCase();
  return /^[\x00-\x7f]*$/.test(lower) ? lower : foldAscii(lower).replace(/[^a-z0-9]/g, '');
}

function makeWordInfo(raw: string): WordInfo {
  const norm = normalizeWord(raw);
  const stop = STOPWORDS.has(norm);
  const stemmed = stop ? norm : stem(norm);
  return { norm, stem: stemmed, sid: stemId(stemmed), stop, glue: PHRASE_GLUE.has(norm) };
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * Cache of word forms → analysis, an open-addressing table keyed by the characters of the word
 * so that a known word is found without cutting it out of the text.
 */
class WordTable {
  private mask = (1 << 16) - 1;
  private slots = new Int32Array(1 << 16).fill(-1);
  private hashes: number[] = [];
  private raws: string[] = [];
  private infos: WordInfo[] = [];

  /** The analysis of text[start, end), whose FNV-1a hash is `h`. */
  lookup(text: string, start: number, end: number, h: number): WordInfo {
    const len = end - start;
    let i = h & this.mask;
    for (;;) {
      const e = this.slots[i];
      if (e < 0) break;
      if (this.hashes[e] === h) {
        const raw = this.raws[e];
        if (raw.length === len) {
          let k = 0;
          while (k < len && raw.charCodeAt(k) === text.charCodeAt(start + k)) k++;
          if (k === len) return this.infos[e];
        }
      }
      i = (i + 1) & this.mask;
    }
    if (this.raws.length >= 1_000_000) {
      this.reset();
      return this.lookup(text, start, end, h);
    }
    const raw = text.slice(start, end);
    const info = makeWordInfo(raw);
    const e = this.raws.length;
    this.raws.push(raw);
    this.infos.push(info);
    this.hashes.push(h);
    this.slots[i] = e;
    if (this.raws.length * 2 > this.mask) this.grow();
    return info;
  }

  /** The analysis of a whole string. */
  lookupString(s: string): WordInfo {
    let h = FNV_OFFSET;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
    return this.lookup(s, 0, s.length, h);
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size).fill(-1);
    for (let e = 0; e < this.hashes.length; e++) {
      let i = this.hashes[e] & this.mask;
      while (this.slots[i] >= 0) i = (i + 1) & this.mask;
      this.slots[i] = e;
    }
  }

  private reset(): void {
    this.mask = (1 << 16) - 1;
    this.slots = new Int32Array(1 << 16).fill(-1);
    this.hashes = [];
    this.raws = [];
    this.infos = [];
  }
}

const words = new WordTable();

/**
 * Character classes: 1 = part of a word, 2 = clause break, 3 = hyphen, 0 = other. A code unit
 * beyond ASCII is classified the first time it is met (see {@link classOf}): classifying the whole
 * Basic Multilingual Plane when the module loaded took about 120 ms of every start.
 */
const UNCLASSIFIED = 255;
const charClass = new Uint8Array(0x10000).fill(UNCLASSIFIED);
const WORD_CHAR = /[\p{L}\p{N}]/u;
for (let c = 0; c < 128; c++) charClass[c] = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 0;
for (const ch of '.,;:!?()[]{}"|/<>=“”–—') charClass[ch.charCodeAt(0)] = 2;
for (const ch of '-‐‑') charClass[ch.charCodeAt(0)] = 3;

/** The class of code unit `c` (undefined past the end of a text, as `charCodeAt` gives NaN there). */
function classOf(c: number): number {
  const k = charClass[c];
  if (k !== UNCLASSIFIED) return k;
  return (charClass[c] = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 0);
}

/** Joined form of a hyphenated compound → its parts ("finetuning" → ["fine", "tuning"]). */
export type CompoundDictionary = Map<string, readonly string[]>;

function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/**
 * Adds the hyphenated compounds of `text` ("fine-tuning", "pre-training") to `into`, keyed by
 * their joined form, so that {@link tokenize} can split "finetuning" the same way. Joined forms
 * shorter than six letters are ignored, and the dictionary stops growing at `maxSize` entries.
 */
export function collectCompounds(text: string, into: CompoundDictionary, maxSize = 200_000): void {
  let pos = text.indexOf('-');
  while (pos > 0 && into.size < maxSize) {
    let a = pos;
    while (a > 0 && isAsciiLetter(text.charCodeAt(a - 1))) a--;
    let b = pos;
    // extend over "-letters" groups
    while (text.charCodeAt(b) === 45 && isAsciiLetter(text.charCodeAt(b + 1))) {
      b++;
      while (b < text.length && isAsciiLetter(text.charCodeAt(b))) b++;
    }
    if (a < pos && b > pos + 1 && !(a > 0 && classOf(text.charCodeAt(a - 1)) === 1) && classOf(text.charCodeAt(b)) !== 1) {
      const lower = text.slice(a, b).toLowerCase();
      const joined = lower.replace(/-/g, '');
      if (joined.length >= 6 && !into.has(joined)) into.set(joined, lower.split('-'));
    }
    pos = text.indexOf('-', Math.max(b, pos + 1));
  }
}

/** Bits of {@link WordScan.flags}. */
export const ScanFlag = {
  /** The joined form of a compound, after its parts. */
  Compound: 1,
  /** A clause boundary precedes the word. */
  BreakBefore: 2,
} as const;

/** Words of a text as parallel arrays (reusable across texts); see {@link scanWords}. */
export class WordScan {
  length = 0;
  words: WordInfo[] = [];
  start = new Int32Array(64);
  end = new Int32Array(64);
  flags = new Uint8Array(64);

  /** Makes room for `n` more words. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.start.length) return;
    let size = this.start.length;
    while (size < need) size *= 2;
    const start = new Int32Array(size);
    start.set(this.start);
    const end = new Int32Array(size);
    end.set(this.end);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.start = start;
    this.end = end;
    this.flags = flags;
  }

  /** A copy sized to its words, for keeping. */
  compact(): WordScan {
    const c = new WordScan();
    c.length = this.length;
    c.words = this.words.slice(0, this.length);
    c.start = this.start.slice(0, this.length);
    c.end = this.end.slice(0, this.length);
    c.flags = this.flags.slice(0, this.length);
    return c;
  }

  /** Appends one word. */
  push(info: WordInfo, start: number, end: number, flags: number): void {
    if (this.length === this.start.length) this.reserve(1);
    const i = this.length++;
    this.words[i] = info;
    this.start[i] = start;
    this.end[i] = end;
    this.flags[i] = flags;
  }
}

/**
 * Scans the words of `text` into `into` (cleared first): the fast form of {@link tokenize}, with
 * the same words in the same order.
 */
export function scanWords(text: string, compounds?: ReadonlyMap<string, readonly string[]>, into = new WordScan()): WordScan {
  into.length = 0;
  const n = text.length;
  // at most one word per two characters, plus compound forms: reserve generously once
  into.reserve((n >> 1) + 16);
  const wordsOut = into.words;
  const startOut = into.start;
  const endOut = into.end;
  const flagsOut = into.flags;
  // a run of words joined by single hyphens ("mixture-of-experts"), for the joined form
  let runStart = -1;
  let runEnd = -1;
  let runFirst: WordInfo | undefined;
  let runNorms: string[] | undefined;
  let pendingBreak = true;
  let i = 0;
  for (;;) {
    // the gap before the next word
    const gapStart = i;
    let c = i < n ? text.charCodeAt(i) : 0;
    while (i < n && classOf(c) !== 1) {
      if (classOf(c) === 2) pendingBreak = true;
      c = text.charCodeAt(++i);
    }
    const start = i;
    const hyphenJoined = i < n && runStart >= 0 && start - gapStart === 1 && classOf(text.charCodeAt(gapStart)) === 3;
    if (!hyphenJoined && runNorms !== undefined) {
      // the run ended: emit its joined form
      const norm = runNorms.join('');
      if (norm.length >= 3) {
        const info = words.lookupString(norm);
        if (!info.stop) into.push(info, runStart, runEnd, ScanFlag.Compound);
      }
      runNorms = undefined;
    }
    if (i >= n) break;
    let h = FNV_OFFSET;
    while (i < n && classOf((c = text.charCodeAt(i))) === 1) {
      h = Math.imul(h ^ c, FNV_PRIME);
      i++;
    }
    const end = i;
    // a possessive or contraction tail is skipped: "model's" → "model"
    if ((c === 39 || c === 0x2019) && i < n && classOf(text.charCodeAt(i + 1)) === 1) {
      i++;
      while (i < n && classOf(text.charCodeAt(i)) === 1) i++;
    }
    const info = words.lookup(text, start, end, h);
    if (hyphenJoined) {
      if (runNorms === undefined) runNorms = [runFirst!.norm];
      runNorms.push(info.norm);
    } else {
      runStart = start;
      runFirst = info;
    }
    runEnd = end;
    if (info.norm.length < 2) continue;
    const parts = compounds !== undefined && info.norm.length >= 6 && !hyphenJoined ? compounds.get(info.norm) : undefined;
    if (parts !== undefined && !(classOf(text.charCodeAt(i)) === 3 && classOf(text.charCodeAt(i + 1)) === 1)) {
      for (const part of parts) {
        if (part.length < 2) continue;
        into.push(words.lookupString(part), start, end, pendingBreak ? ScanFlag.BreakBefore : 0);
        pendingBreak = false;
      }
      into.push(info, start, end, ScanFlag.Compound);
      continue;
    }
    if (into.length < startOut.length) {
      const k = into.length++;
      wordsOut[k] = info;
      startOut[k] = start;
      endOut[k] = end;
      flagsOut[k] = pendingBreak ? ScanFlag.BreakBefore : 0;
    } else {
      into.push(info, start, end, pendingBreak ? ScanFlag.BreakBefore : 0);
    }
    pendingBreak = false;
  }
  return into;
}

/**
 * Splits text into word tokens (letters and digits; "model's" → "model"), marking stopwords and
 * clause boundaries. Hyphenated compounds yield their parts and then the joined form
 * (`compound: true`); a closed compound found in `compounds` ("finetuning") yields the parts of
 * its hyphenated spelling and then itself, so every spelling of a compound is analysed alike.
 * Tokens of one character are dropped.
 */
export function tokenize(text: string, compounds?: ReadonlyMap<string, readonly string[]>): Token[] {
  const scan = scanWords(text, compounds);
  const out: Token[] = [];
  for (let i = 0; i < scan.length; i++) {
    const w = scan.words[i];
    const compound = (scan.flags[i] & ScanFlag.Compound) !== 0;
    out.push({
      norm: w.norm,
      stem: w.stem,
      start: scan.start[i],
      end: scan.end[i],
      stop: w.stop,
      compound,
      breakBefore: (scan.flags[i] & ScanFlag.BreakBefore) !== 0,
    });
  }
  return out;
}

/**
 * Content words paired with their next content word in the same clause, directly or across one
 * phrase-internal function word ("mixture of experts" → mixture+experts). Compound joined forms
 * are skipped. Appends scan indices to `out` flat: [first0, second0, first1, second1, ...].
 */
export function phrasePairs(scan: WordScan, out: number[] = []): number[] {
  let prev = -1;
  let gap = 0;
  for (let i = 0; i < scan.length; i++) {
    const f = scan.flags[i];
    if (f & ScanFlag.Compound) continue;
    if (f & ScanFlag.BreakBefore) {
      prev = -1;
      gap = 0;
    }
    const w = scan.words[i];
    if (w.stop) {
      gap += w.glue ? 1 : 2;
      continue;
    }
    if (prev >= 0 && gap <= 1) out.push(prev, i);
    prev = i;
    gap = 0;
  }
  return out;
}
