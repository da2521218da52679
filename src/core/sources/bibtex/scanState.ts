/**
 * The BibTeX scanner's state and its low-level moves: the column-wise entry table, the key table,
 * the line cursor, diagnostics, and skipping white space, comments and broken text. The value
 * reader ({@link ValueScanner} in values.ts) and the entry reader (`Scanner` in scanner.ts)
 * extend it; all three are one object at run time.
 */
import type { Diagnostic, Paper } from '../../model/paper';
import type { BibtexResult } from './reader';
import { AT, CR, LBRACE, LPAREN, NL, PERCENT, SPACE, TAB, isNameChar, isWs } from './chars';
import type { FileFields } from './fieldTable';

/** Most diagnostics reported for one file; the rest are counted in a final message. */
export const MAX_DIAGNOSTICS = 1000;

/** Hash of a citation key, ASCII case folded. */
export function keyHash(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h = (Math.imul(h, 31) + (c >= 65 && c <= 90 ? c + 32 : c)) & 0x3fffffff;
  }
  return h ^ (h >>> 15);
}

/** Whether two keys are equal without regard to ASCII case. */
export function keysEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 65 && x <= 90) x += 32;
      if (y >= 65 && y <= 90) y += 32;
      if (x !== y) return false;
    }
  }
  return true;
}

/** Internal per-result facts that {@link parseBibtexFiles} needs. */
interface ReaderInternals {
  undefinedMacros: Set<string>;
  /** Indexes (into papers) of papers whose crossref target was not found in the file, with their warning. */
  unresolvedCrossrefs: Map<number, Diagnostic>;
  /** Index of the entry each paper was built from, parallel to `papers`. */
  paperEntry: number[];
}
export const internals = new WeakMap<BibtexResult, ReaderInternals>();

/**
 * An empty array that already holds values like `sample` as far as V8 is concerned: an empty
 * `[]` starts as an array of small integers, and its first string or object would make the
 * optimized scanner fall back to the interpreter ("not a Smi").
 */
export function emptyArrayOf<T>(sample: T): T[] {
  const a = [sample];
  a.length = 0;
  return a;
}


/** The state the scanner behind {@link parseBibtex} reads into, and its low-level moves. */
export class ScanState {
  protected readonly n: number;
  // The entries, column-wise (BibtexEntry objects are made on first read of `result.entries`).
  protected readonly eKey = emptyArrayOf('');
  protected readonly eType = emptyArrayOf('');
  /** Entry i's start offset and end offset (after its closing delimiter) at [2i, 2i + 2). */
  protected eOffsets: Int32Array;
  /** Entries read so far; the typed columns ({@link eOffsets}, {@link eHash}, `ff.ranges`, `ff.bounds`) have room for {@link eCapacity}. */
  protected nEntries = 0;
  protected eCapacity: number;
  /** The fields of every entry (shared with the papers, which decode from it lazily). */
  protected readonly ff: FileFields;
  /** Number of 32-bit slots of `ff.spans` in use. */
  protected nSpans = 0;
  protected readonly papers = emptyArrayOf<Paper | undefined>(undefined);
  protected readonly paperEntry: number[] = [];
  /** Papers whose entry has a crossref: built once the whole file is read. */
  protected readonly deferred: number[] = [];
  protected readonly diagnostics: Diagnostic[] = [];
  protected dropped = 0;
  protected readonly macros = new Map<string, string>();
  protected readonly undefinedMacros = new Set<string>();
  /**
   * Open-addressing table of the keys seen (entry index + 1; 0 is empty), hashed and compared
   * without regard to ASCII case, as BibTeX compares keys. Cheaper than a Map of fresh strings.
   */
  protected keyTable: Int32Array;
  protected keyCount = 0;
  /** Hash of each entry's key (parallel to {@link eKey}). */
  protected eHash: Int32Array;

  /** Whether the entry being read has a crossref field. */
  protected hasCrossref = false;
  /** Number of fields of the entry being read. */
  protected nf = 0;

  /** The position at which the last value scan gave up, and why. */
  protected failAt = 0;
  protected failMessage = '';
  /** End of the last value read by {@link value}. */
  protected valueEnd = 0;

  // Line cursor: converts offsets to lines and columns in time linear in the distance moved.
  protected curLine = 0;
  protected curLineStart = 0;
  /** Every newline before this offset is counted in {@link curLine}. */
  protected counted = 0;
  /** The first newline at or after {@link counted} (-1: none; -2: not known yet). */
  protected nextNl = -2;
  /** Column of the last {@link lineOf} call (0-based). */
  protected col = 0;

  // Cursors of the next '{', '}', '"', '@' and newline at or after some earlier position: each is
  // recomputed with a native indexOf only once the scan passes it, so scanning a value costs one
  // call per brace instead of JavaScript work per character.
  protected nextOpen = -1;
  protected nextClose = -1;
  protected nextQuote = -1;
  protected nextAt = -1;
  protected nextLine = -1;

  constructor(
    protected readonly text: string,
    protected readonly source: string,
    protected readonly external: Map<string, string> | undefined,
  ) {
    this.n = text.length;
    // at most half full for the entries a file of this length usually holds (one per ~300
    // characters), so it rarely grows; no larger, since every probe is a cache miss
    let size = 1024;
    while (size < (text.length >> 8) && size < 1 << 22) size <<= 1;
    this.keyTable = new Int32Array(size);
    // Columns sized for what a file of this length usually holds (an entry per ~300 characters,
    // a field per ~40), so that they rarely grow: growing copies them and leaves garbage.
    const entries = this.eCapacity = 64 + Math.floor(text.length / 256);
    this.eOffsets = new Int32Array(2 * entries);
    this.eHash = new Int32Array(entries);
    this.ff = {
      text, spans: new Int32Array(64 + (text.length >> 3)), roles: new Uint8Array(16 + (text.length >> 5)), expanded: emptyArrayOf(''), bounds: new Int32Array(2 * entries),
      titles: emptyArrayOf<string | undefined>(undefined), authors: emptyArrayOf<string[] | undefined>(undefined),
      fields: emptyArrayOf<Record<string, string> | undefined>(undefined), ranges: new Int32Array(4 * entries),
    };
  }

  /** Doubles the typed entry columns. */
  protected growEntries(): void {
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.eCapacity *= 2;
    this.eOffsets = grow(this.eOffsets);
    this.eHash = grow(this.eHash);
    this.ff.bounds = grow(this.ff.bounds);
    this.ff.ranges = grow(this.ff.ranges);
  }

  /** Index of the first entry whose key equals `key` without regard to ASCII case. */
  findKey(key: string, hash = keyHash(key)): number | undefined {
    const table = this.keyTable, mask = table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const v = table[slot];
      if (v === 0) return undefined;
      if (this.eHash[v - 1] === hash && keysEqual(this.eKey[v - 1], key)) return v - 1;
    }
  }

  /** Records the first entry with `key` (not yet in the table). */
  protected addKey(key: string, hash: number, index: number): void {
    if (2 * (this.keyCount + 1) > this.keyTable.length) {
      const old = this.keyTable;
      this.keyTable = new Int32Array(old.length * 2);
      for (let s = 0; s < old.length; s++) if (old[s] !== 0) this.insertKey(this.eHash[old[s] - 1], old[s]);
    }
    this.insertKey(hash, index + 1);
    this.keyCount++;
  }

  protected insertKey(hash: number, value: number): void {
    const table = this.keyTable, mask = table.length - 1;
    let slot = hash & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = value;
  }

  /** Appends one field's spans (`vs` -1: `ve` indexes `ff.expanded`) and its role. */
  protected pushSpan(ns: number, ne: number, vs: number, ve: number, role: number): void {
    const ff = this.ff;
    let sp = ff.spans;
    const k = this.nSpans;
    if (k + 4 > sp.length) {
      const bigger = new Int32Array(sp.length * 2);
      bigger.set(sp);
      ff.spans = sp = bigger;
      const roles = new Uint8Array(sp.length >> 2);
      roles.set(ff.roles);
      ff.roles = roles;
    }
    sp[k] = ns;
    sp[k + 1] = ne;
    sp[k + 2] = vs;
    sp[k + 3] = ve;
    ff.roles[k >> 2] = role;
    this.nSpans = k + 4;
  }

  /**
   * 0-based line of `offset`; sets {@link col}. Every newline before {@link counted} is counted in
   * {@link curLine}; moving forward hops from newline to newline with `indexOf` (the fast path
   * counts the newlines it passes itself), moving backward steps back line by line.
   */
  protected lineOf(offset: number): number {
    const t = this.text;
    if (offset < this.counted) {
      while (offset < this.curLineStart) {
        // step back one line: the '\n' that ended the previous line is at curLineStart - 1
        const prevNl = this.curLineStart - 1;
        this.curLine--;
        this.curLineStart = prevNl > 0 ? t.lastIndexOf('\n', prevNl - 1) + 1 : 0;
      }
      this.counted = offset;
      this.nextNl = -2;
      this.col = offset - this.curLineStart;
      return this.curLine;
    }
    let nl = this.nextNl;
    if (nl === -2 || (nl !== -1 && nl < this.counted)) nl = t.indexOf('\n', this.counted);
    if (nl !== -1 && nl < offset) {
      let line = this.curLine, start = this.curLineStart;
      do {
        line++;
        start = nl + 1;
        nl = t.indexOf('\n', start);
      } while (nl !== -1 && nl < offset);
      this.curLine = line;
      this.curLineStart = start;
    }
    this.nextNl = nl;
    this.counted = offset;
    this.col = offset - this.curLineStart;
    return this.curLine;
  }

  protected report(offset: number, message: string, severity: 'error' | 'warning'): void {
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) {
      this.dropped++;
      return;
    }
    const line = this.lineOf(offset);
    this.diagnostics.push({ source: this.source, line: line + 1, column: this.col + 1, message, severity });
  }
  error(offset: number, message: string): void {
    this.report(offset, message, 'error');
  }
  protected warn(offset: number, message: string): void {
    this.report(offset, message, 'warning');
  }

  protected skipWs(j: number): number {
    const t = this.text, n = this.n;
    while (j < n && isWs(t.charCodeAt(j))) j++;
    return j;
  }

  /** Skips white space and `%` comment lines (where a field name is expected). */
  protected skipWsAndComments(j: number): number {
    const t = this.text, n = this.n;
    for (;;) {
      while (j < n && isWs(t.charCodeAt(j))) j++;
      if (j < n && t.charCodeAt(j) === PERCENT) {
        const nl = t.indexOf('\n', j);
        j = nl < 0 ? n : nl + 1;
        continue;
      }
      return j;
    }
  }

  /** Whether `j` (after optional spaces and tabs) starts an entry: `@name` then `{` or `(`. */
  protected entryStartsAt(j: number): boolean {
    const t = this.text, n = this.n;
    while (j < n) {
      const c = t.charCodeAt(j);
      if (c !== SPACE && c !== TAB) break;
      j++;
    }
    if (j >= n || t.charCodeAt(j) !== AT) return false;
    j++;
    while (j < n && isWs(t.charCodeAt(j))) j++;
    const s = j;
    while (j < n && isNameChar(t.charCodeAt(j))) j++;
    if (j === s) return false;
    while (j < n && isWs(t.charCodeAt(j))) j++;
    const c = t.charCodeAt(j);
    return c === LBRACE || c === LPAREN;
  }

  /** Whether the `@` at `at` starts a line (after optional indentation) and an entry. */
  protected lineStartEntryAt(at: number): boolean {
    const t = this.text;
    let k = at - 1;
    while (k >= 0) {
      const c = t.charCodeAt(k);
      if (c === NL) break;
      if (c !== SPACE && c !== TAB) return false;
      k--;
    }
    return k >= 0 && this.entryStartsAt(at);
  }

  /** Offset of the next `@` that starts a line (after optional indentation), or of the end. */
  protected nextLineStartEntry(j: number): number {
    const t = this.text, n = this.n;
    for (;;) {
      const nl = t.indexOf('\n', j);
      if (nl < 0) return n;
      let k = nl + 1;
      while (k < n) {
        const c = t.charCodeAt(k);
        if (c !== SPACE && c !== TAB) break;
        k++;
      }
      if (k < n && t.charCodeAt(k) === AT) return k;
      j = k;
    }
  }

  /** Where to resume after a broken entry: the next `@name{` or `@name(` after `j`. */
  protected resumeAfter(j: number): number {
    const t = this.text, n = this.n;
    let k = j;
    for (;;) {
      const at = t.indexOf('@', k);
      if (at < 0) return n;
      if (this.entryStartsAt(at)) return at;
      k = at + 1;
    }
  }

  /** Whether only spaces and tabs stand between the start of its line and `at`. */
  protected atLineStart(at: number): boolean {
    const t = this.text;
    let k = at - 1;
    while (k >= 0) {
      const c = t.charCodeAt(k);
      if (c === NL) return true;
      if (c !== SPACE && c !== TAB && c !== CR && c !== 0xfeff) return false;
      k--;
    }
    return true;
  }
}
