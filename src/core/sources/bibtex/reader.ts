/**
 * The BibTeX/BibLaTeX reader: a hand-written single-pass scanner over character codes.
 *
 * It reads what real files contain (`@string` macros, also from another file of the same library;
 * `#` concatenation; month macros; `{}` and `()` delimiters; `@comment`; `@preamble`; `%` comment
 * lines between fields; nested braces; quoted values; `crossref` inheritance; CRLF) and is tolerant:
 * a broken entry yields a {@link Diagnostic} and reading resumes at the next entry, so every other
 * entry still loads. It never throws, runs in time linear in its input and uses no recursion.
 *
 * How it is fast (measured with `npm run bench`, see bench/parseBench.ts):
 * - a fast path reads the common shape of an entry (`name = {…}`, `"…"`, numbers, macros, `#`)
 *   in one loop; anything else sends the entry to the general path, which reads it again and
 *   reports every problem (a test checks that both paths give the same result);
 * - long values are delimited with native `indexOf` jumps from brace to brace, not JavaScript
 *   work per character, and line numbers are counted as the newlines go by;
 * - fields are kept as offsets into the text (no string per field) and field names are matched
 *   by hash, not turned into strings;
 * - a paper's `title`, `authors` and `fields` are decoded on first read (getters of one class,
 *   no per-paper property definitions; JSON sees plain values); `entries` is built on first
 *   read. Year, venue, DOI, arXiv id, URL, keywords and abstract are decoded at once.
 */
import type { Diagnostic, Paper, SourceRange, SourceResult } from '../../model/paper';
import { plainPaper } from '../../model/paper';
import { latexToUnicode } from './latexToUnicode';

/** One entry as written in the file. */
export interface BibtexEntry {
  /** Citation key as written (BibTeX compares keys case-insensitively; we keep the user's case). */
  key: string;
  /** Entry type in lower case ("article", "inproceedings"). */
  type: string;
  /** Field name (lower case) → raw value: delimiters removed, macros and `#` expanded, LaTeX kept. */
  fields: Record<string, string>;
  /** Where the entry sits, from its `@` to just after its closing delimiter (0-based). */
  range: SourceRange;
  /** The entry's source text, exactly as in the file. */
  raw: string;
}

/** The result of reading one BibTeX file. */
export interface BibtexResult extends SourceResult {
  /** The `@string` macros this file defines (lower-case name → expanded value), for the other files of its library. */
  macros: Map<string, string>;
  /**
   * Every entry recovered, in file order, including later duplicates of a key (the papers keep
   * the first) and entries without a key (key `''`, reported, no paper). Built on first read.
   */
  entries: BibtexEntry[];
}

/** Options of {@link parseBibtex}. */
export interface BibtexOptions {
  /** `@string` macros defined elsewhere (another file of the same library); lower-case names. */
  macros?: Map<string, string>;
}

/** A file of a library, for {@link parseBibtexFiles}. */
export interface BibtexFile {
  text: string;
  source: string;
}

/** The month macros every BibTeX style defines. */
const MONTHS = new Map<string, string>([
  ['jan', 'January'], ['feb', 'February'], ['mar', 'March'], ['apr', 'April'], ['may', 'May'],
  ['jun', 'June'], ['jul', 'July'], ['aug', 'August'], ['sep', 'September'], ['oct', 'October'],
  ['nov', 'November'], ['dec', 'December'],
]);

/** Fields whose values are verbatim (never LaTeX-decoded, only trimmed). */
const VERBATIM_FIELDS = new Set([
  'url', 'doi', 'eprint', 'file', 'pdf', 'urlraw', 'verba', 'verbb', 'verbc', 'ids', 'crossref',
  'xdata', 'local-url', 'bdsk-url-1', 'bdsk-url-2', 'bdsk-url-3', 'bdsk-file-1', 'bdsk-file-2',
  'eprintclass', 'isbn', 'issn', 'pmid', 'arxivid', 'key', 'citation-key', 'langid',
]);

/** Parent entry types whose title becomes a child's booktitle through crossref (biblatex rule). */
const CONTAINER_TYPES = new Set([
  'proceedings', 'book', 'collection', 'mvbook', 'mvproceedings', 'mvcollection', 'reference',
  'mvreference', 'periodical',
]);

/** Most diagnostics reported for one file; the rest are counted in a final message. */
const MAX_DIAGNOSTICS = 1000;

// Character codes.
const AT = 64, LBRACE = 123, RBRACE = 125, LPAREN = 40, RPAREN = 41, QUOTE = 34, HASH = 35,
  COMMA = 44, EQUALS = 61, PERCENT = 37, NL = 10, CR = 13, SPACE = 32, TAB = 9;

/** 1 for ASCII white space. */
const WS = new Uint8Array(128);
for (const c of [SPACE, TAB, NL, CR, 11, 12]) WS[c] = 1;
/** 1 for ASCII characters that may appear in a type, field or macro name. */
const NAME = new Uint8Array(128);
for (let c = 33; c < 127; c++) NAME[c] = 1;
for (const ch of '{}()",=#%\'@') NAME[ch.charCodeAt(0)] = 0;

function isWs(c: number): boolean {
  return c < 128 && WS[c] === 1;
}
function isNameChar(c: number): boolean {
  return c < 128 ? NAME[c] === 1 : c !== 0xa0 && c !== 0xfeff;
}

// Roles of the fields a paper is built from (0: none).
const R_TITLE = 1, R_AUTHOR = 2, R_EDITOR = 3, R_YEAR = 4, R_DATE = 5, R_JOURNAL = 6,
  R_JOURNALTITLE = 7, R_BOOKTITLE = 8, R_ABSTRACT = 9, R_DOI = 10, R_URL = 11, R_EPRINT = 12,
  R_ARCHIVEPREFIX = 13, R_EPRINTTYPE = 14, R_ARXIVID = 15, R_KEYWORDS = 16, R_GROUPS = 17,
  R_CROSSREF = 18;
const ROLES = new Map<string, number>([
  ['title', R_TITLE], ['author', R_AUTHOR], ['editor', R_EDITOR], ['year', R_YEAR], ['date', R_DATE],
  ['journal', R_JOURNAL], ['journaltitle', R_JOURNALTITLE], ['booktitle', R_BOOKTITLE],
  ['abstract', R_ABSTRACT], ['doi', R_DOI], ['url', R_URL], ['eprint', R_EPRINT],
  ['archiveprefix', R_ARCHIVEPREFIX], ['eprinttype', R_EPRINTTYPE], ['arxivid', R_ARXIVID],
  ['keywords', R_KEYWORDS], ['groups', R_GROUPS], ['crossref', R_CROSSREF],
]);

/** Hash of a name as the fast path computes it while reading the name (ASCII case folded; kept to 30 bits so it stays a small integer in V8). */
function nameHash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + (name.charCodeAt(i) | 32)) & 0x3fffffff;
  return h;
}
/**
 * Role-name lookup by hash: an open-addressing table of candidate roles (linear probing),
 * each confirmed by comparing the name, so a collision can only cost a comparison.
 */
const ROLE_TABLE_SIZE = 1024;
const ROLE_TABLE = new Uint8Array(ROLE_TABLE_SIZE);
const ROLE_NAMES: string[] = [];
function roleSlot(h: number): number {
  return (h ^ (h >>> 10)) & (ROLE_TABLE_SIZE - 1);
}
for (const [name, role] of ROLES) {
  ROLE_NAMES[role] = name;
  let slot = roleSlot(nameHash(name));
  while (ROLE_TABLE[slot] !== 0) slot = (slot + 1) & (ROLE_TABLE_SIZE - 1);
  ROLE_TABLE[slot] = role;
}

/** The role of the name `t[s..e)` whose hash is `h` (0 when it has none). */
function roleOf(t: string, s: number, e: number, h: number): number {
  for (let slot = roleSlot(h); ; slot = (slot + 1) & (ROLE_TABLE_SIZE - 1)) {
    const role = ROLE_TABLE[slot];
    if (role === 0) return 0;
    if (spanIs(t, s, e, ROLE_NAMES[role])) return role;
  }
}

/**
 * Interning cache of lower-cased names (fields, types, macros): the same few dozen names repeat
 * in every entry, and reusing one string object per name makes property stores and map lookups
 * hit V8's caches instead of hashing a fresh string each time.
 */
const NAME_CACHE_SIZE = 2048;
const nameCacheRaw: (string | undefined)[] = new Array(NAME_CACHE_SIZE);
const nameCacheLower: string[] = new Array(NAME_CACHE_SIZE);
const nameCacheRole = new Uint8Array(NAME_CACHE_SIZE);
/** Role of the name last returned by {@link internName}. */
let internedRole = 0;

/** The lower-cased name written at `t[s..e)`, as a shared string; sets {@link internedRole}. */
function internName(t: string, s: number, e: number): string {
  const len = e - s;
  if (len > 48) {
    internedRole = 0;
    return t.slice(s, e).toLowerCase();
  }
  const h = (len * 97 + t.charCodeAt(s) * 31 + t.charCodeAt(e - 1) * 7 + t.charCodeAt(s + (len >> 1))) & (NAME_CACHE_SIZE - 1);
  const raw = nameCacheRaw[h];
  if (raw !== undefined && raw.length === len) {
    let i = 0;
    while (i < len && raw.charCodeAt(i) === t.charCodeAt(s + i)) i++;
    if (i === len) {
      internedRole = nameCacheRole[h];
      return nameCacheLower[h];
    }
  }
  const r = t.slice(s, e);
  const lower = r.toLowerCase();
  nameCacheRaw[h] = r;
  nameCacheLower[h] = lower;
  internedRole = nameCacheRole[h] = ROLES.get(lower) ?? 0;
  return lower;
}

/** Whether entries may take the fast path (see {@link setFastPathForTests}). */
let fastPathEnabled = true;

/**
 * For tests only: turns the fast path off (every entry then takes the general path), so a test
 * can check that both paths read the same text to the same result.
 */
export function setFastPathForTests(enabled: boolean): void {
  fastPathEnabled = enabled;
}

/** Hash of a citation key, ASCII case folded. */
function keyHash(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h = (Math.imul(h, 31) + (c >= 65 && c <= 90 ? c + 32 : c)) & 0x3fffffff;
  }
  return h ^ (h >>> 15);
}

/** Whether two keys are equal without regard to ASCII case. */
function keysEqual(a: string, b: string): boolean {
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
const internals = new WeakMap<BibtexResult, ReaderInternals>();

/**
 * Reads one BibTeX/BibLaTeX file's text. Never throws: every problem becomes a diagnostic
 * (1-based line and column) and the other entries still load.
 *
 * Each paper's key, year and entry type are read at once, its other values (LaTeX decoded) on
 * first demand, see {@link BibtexPaper}. `entries` is built on first read of the property.
 *
 * @param text the file's text (see `decodeText` for bytes)
 * @param source identifier of the file (its path), copied into papers and diagnostics
 * @param options macros defined by other files of the same library
 */
export function parseBibtex(text: string, source: string, options?: BibtexOptions): BibtexResult {
  const scan = new Scanner(text, source, options?.macros);
  try {
    scan.run();
  } catch (e) {
    // Defensive: the scanner is written not to throw; if it ever does, keep what was read.
    scan.error(0, `internal reader error: ${e instanceof Error ? e.message : String(e)}`);
  }
  return scan.finish();
}

/**
 * Reads the files of one library together: `@string` macros defined in any file are visible in
 * every other (a file that used a macro defined only in a later file is read again), and
 * `crossref` targets are looked up across files. Returns one result per file, in order.
 */
export function parseBibtexFiles(files: BibtexFile[], options?: BibtexOptions): BibtexResult[] {
  const all = new Map<string, string>(options?.macros ?? []);
  const results: BibtexResult[] = [];
  for (const f of files) {
    const r = parseBibtex(f.text, f.source, { macros: all });
    for (const [k, v] of r.macros) if (!all.has(k)) all.set(k, v);
    results.push(r);
  }
  for (let i = 0; i < results.length; i++) {
    const info = internals.get(results[i])!;
    let again = false;
    for (const m of info.undefinedMacros) if (all.has(m)) again = true;
    if (again) results[i] = parseBibtex(files[i].text, files[i].source, { macros: all });
  }
  if (!results.some((r) => internals.get(r)!.unresolvedCrossrefs.size > 0)) return results;
  const byKey = new Map<string, BibtexEntry>();
  for (const r of results) {
    for (const e of r.entries) {
      if (!e.key) continue;
      const k = e.key.toLowerCase();
      if (!byKey.has(k)) byKey.set(k, e);
    }
  }
  for (const r of results) {
    const info = internals.get(r)!;
    if (info.unresolvedCrossrefs.size === 0) continue;
    const resolved = new Set<Diagnostic>();
    const entries = r.entries;
    for (const [p, diag] of info.unresolvedCrossrefs) {
      const entry = entries[info.paperEntry[p]];
      const merged = inheritFields(entry, (k) => byKey.get(k));
      if (merged === entry.fields) continue;
      r.papers[p] = entryToPaper(entry, r.source, merged);
      resolved.add(diag);
    }
    if (resolved.size) r.diagnostics = r.diagnostics.filter((d) => !resolved.has(d));
  }
  return results;
}

/**
 * The raw fields of every entry of one file, column-wise: four 32-bit numbers per field in
 * `spans` — name start, name end, value start, value end in `text` — where a value start of -1
 * means the value is `expanded[value end]` (a value made by macro expansion or `#`). Entry `i`
 * owns the spans from `from[i]` to `to[i]`. Offsets cost no allocation; strings are made when a
 * field is read. `titles`, `authors` and `fields` keep what the lazily decoded papers computed.
 */
interface FileFields {
  text: string;
  spans: Int32Array;
  /** The role of each field (of the spans at `4k`: `roles[k]`), see `R_TITLE` and the others. */
  roles: Uint8Array;
  expanded: string[];
  /** Entry i's fields are the spans from `bounds[2i]` to `bounds[2i + 1]`. */
  bounds: Int32Array;
  titles: (string | undefined)[];
  authors: (string[] | undefined)[];
  fields: (Record<string, string> | undefined)[];
  /** Entry i's source range at [4i, 4i + 4): start line and column, end line and column. */
  ranges: Int32Array;
}

/** Entry i's source range as an object. */
function rangeOf(ff: FileFields, i: number): SourceRange {
  const r = ff.ranges, j = 4 * i;
  return { startLine: r[j], startColumn: r[j + 1], endLine: r[j + 2], endColumn: r[j + 3] };
}

/** The (lower-case) name of the field whose spans start at `k`. */
function fieldName(ff: FileFields, k: number): string {
  return internName(ff.text, ff.spans[k], ff.spans[k + 1]);
}

/** The raw value of the field whose spans start at `k`. */
function fieldValue(ff: FileFields, k: number): string {
  const s = ff.spans[k + 2];
  return s >= 0 ? ff.text.slice(s, ff.spans[k + 3]) : ff.expanded[ff.spans[k + 3]];
}

/** The raw value of the field of entry `i` with role `role` (`R_TITLE`, ...), or undefined. */
function entryField(ff: FileFields, i: number, role: number): string | undefined {
  const roles = ff.roles;
  for (let k = ff.bounds[2 * i], e = ff.bounds[2 * i + 1]; k < e; k += 4) if (roles[k >> 2] === role) return fieldValue(ff, k);
  return undefined;
}

/** The raw fields of entry `i` as a record (the first occurrence of each name). */
function entryRecord(ff: FileFields, i: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let k = ff.bounds[2 * i], e = ff.bounds[2 * i + 1]; k < e; k += 4) {
    const name = fieldName(ff, k);
    if (name === '__proto__') Object.defineProperty(out, name, { value: fieldValue(ff, k), enumerable: true, writable: true, configurable: true });
    else if (out[name] === undefined || !Object.prototype.hasOwnProperty.call(out, name)) out[name] = fieldValue(ff, k);
  }
  return out;
}

/** Whether `t[s..e)` equals the lower-case ASCII `name`, ignoring ASCII case. */
function spanIs(t: string, s: number, e: number, name: string): boolean {
  if (e - s !== name.length) return false;
  for (let i = 0; i < name.length; i++) {
    let c = t.charCodeAt(s + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether the spans `t[a..b)` and `t[c..d)` are equal, ignoring ASCII case. */
function spansEqual(t: string, a: number, b: number, c: number, d: number): boolean {
  if (b - a !== d - c) return false;
  for (let i = 0; i < b - a; i++) {
    let x = t.charCodeAt(a + i), y = t.charCodeAt(c + i);
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}

/**
 * An empty array that already holds values like `sample` as far as V8 is concerned: an empty
 * `[]` starts as an array of small integers, and its first string or object would make the
 * optimized scanner fall back to the interpreter ("not a Smi").
 */
function emptyArrayOf<T>(sample: T): T[] {
  const a = [sample];
  a.length = 0;
  return a;
}

/** The single-pass scanner behind {@link parseBibtex}. */
class Scanner {
  private readonly n: number;
  // The entries, column-wise (BibtexEntry objects are made on first read of `result.entries`).
  private readonly eKey = emptyArrayOf('');
  private readonly eType = emptyArrayOf('');
  /** Entry i's start offset and end offset (after its closing delimiter) at [2i, 2i + 2). */
  private eOffsets: Int32Array;
  /** Entries read so far; the typed columns ({@link eOffsets}, {@link eHash}, `ff.ranges`, `ff.bounds`) have room for {@link eCapacity}. */
  private nEntries = 0;
  private eCapacity: number;
  /** The fields of every entry (shared with the papers, which decode from it lazily). */
  private readonly ff: FileFields;
  /** Number of 32-bit slots of `ff.spans` in use. */
  private nSpans = 0;
  private readonly papers = emptyArrayOf<Paper | undefined>(undefined);
  private readonly paperEntry: number[] = [];
  /** Papers whose entry has a crossref: built once the whole file is read. */
  private readonly deferred: number[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private dropped = 0;
  private readonly macros = new Map<string, string>();
  private readonly undefinedMacros = new Set<string>();
  /**
   * Open-addressing table of the keys seen (entry index + 1; 0 is empty), hashed and compared
   * without regard to ASCII case, as BibTeX compares keys. Cheaper than a Map of fresh strings.
   */
  private keyTable: Int32Array;
  private keyCount = 0;
  /** Hash of each entry's key (parallel to {@link eKey}). */
  private eHash: Int32Array;

  /** Whether the entry being read has a crossref field. */
  private hasCrossref = false;
  /** Number of fields of the entry being read. */
  private nf = 0;

  /** The position at which the last value scan gave up, and why. */
  private failAt = 0;
  private failMessage = '';
  /** End of the last value read by {@link value}. */
  private valueEnd = 0;

  // Line cursor: converts offsets to lines and columns in time linear in the distance moved.
  private curLine = 0;
  private curLineStart = 0;
  /** Every newline before this offset is counted in {@link curLine}. */
  private counted = 0;
  /** The first newline at or after {@link counted} (-1: none; -2: not known yet). */
  private nextNl = -2;
  /** Column of the last {@link lineOf} call (0-based). */
  private col = 0;

  // Cursors of the next '{', '}', '"', '@' and newline at or after some earlier position: each is
  // recomputed with a native indexOf only once the scan passes it, so scanning a value costs one
  // call per brace instead of JavaScript work per character.
  private nextOpen = -1;
  private nextClose = -1;
  private nextQuote = -1;
  private nextAt = -1;
  private nextLine = -1;

  constructor(
    private readonly text: string,
    private readonly source: string,
    private readonly external: Map<string, string> | undefined,
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
  private growEntries(): void {
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
  private addKey(key: string, hash: number, index: number): void {
    if (2 * (this.keyCount + 1) > this.keyTable.length) {
      const old = this.keyTable;
      this.keyTable = new Int32Array(old.length * 2);
      for (let s = 0; s < old.length; s++) if (old[s] !== 0) this.insertKey(this.eHash[old[s] - 1], old[s]);
    }
    this.insertKey(hash, index + 1);
    this.keyCount++;
  }

  private insertKey(hash: number, value: number): void {
    const table = this.keyTable, mask = table.length - 1;
    let slot = hash & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = value;
  }

  /** Appends one field's spans (`vs` -1: `ve` indexes `ff.expanded`) and its role. */
  private pushSpan(ns: number, ne: number, vs: number, ve: number, role: number): void {
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
  private lineOf(offset: number): number {
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

  private report(offset: number, message: string, severity: 'error' | 'warning'): void {
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
  private warn(offset: number, message: string): void {
    this.report(offset, message, 'warning');
  }

  private skipWs(j: number): number {
    const t = this.text, n = this.n;
    while (j < n && isWs(t.charCodeAt(j))) j++;
    return j;
  }

  /** Skips white space and `%` comment lines (where a field name is expected). */
  private skipWsAndComments(j: number): number {
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
  private entryStartsAt(j: number): boolean {
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
  private lineStartEntryAt(at: number): boolean {
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
  private nextLineStartEntry(j: number): number {
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
  private resumeAfter(j: number): number {
    const t = this.text, n = this.n;
    let k = j;
    for (;;) {
      const at = t.indexOf('@', k);
      if (at < 0) return n;
      if (this.entryStartsAt(at)) return at;
      k = at + 1;
    }
  }

  /** Reads the whole text. */
  run(): void {
    const t = this.text, n = this.n;
    let pos = 0;
    while (pos < n) {
      const at = t.indexOf('@', pos);
      if (at < 0) break;
      const next = this.atSign(at);
      pos = next > at ? next : at + 1;
    }
  }

  /** Whether only spaces and tabs stand between the start of its line and `at`. */
  private atLineStart(at: number): boolean {
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

  /** Handles the `@` at `at`; returns where to continue. */
  private atSign(at: number): number {
    const t = this.text, n = this.n;
    let j = this.skipWs(at + 1);
    const ts = j;
    while (j < n && isNameChar(t.charCodeAt(j))) j++;
    if (j === ts) return at + 1; // a lone '@' in comment text (an e-mail address, a mention)
    const te = j;
    j = this.skipWs(j);
    const open = t.charCodeAt(j);
    if (open !== LBRACE && open !== LPAREN) {
      if (this.atLineStart(at)) this.warn(at, `'@${t.slice(ts, te)}' is not followed by '{' or '(': ignored`);
      return j;
    }
    const type = internName(t, ts, te);
    const close = open === LBRACE ? RBRACE : RPAREN;
    if (type === 'comment' || type === 'preamble') return this.special(at, j, close, type);
    if (type === 'string') return this.stringDef(at, j + 1, close);
    return this.entry(at, j + 1, type, close);
  }

  /** Skips `@comment{...}` / `@preamble{...}` (balanced); an unclosed one ends at the next entry line. */
  private special(at: number, open: number, close: number, type: string): number {
    const t = this.text, n = this.n;
    let depth = 0;
    for (let k = open; k < n; k++) {
      const c = t.charCodeAt(k);
      if (c === LBRACE || (k === open && c === LPAREN)) depth++;
      else if (c === RBRACE) {
        depth--;
        if (depth === 0 && close === RBRACE) return k + 1;
      } else if (c === RPAREN && close === RPAREN && depth === 1) return k + 1;
    }
    const resume = this.nextLineStartEntry(open);
    this.warn(at, `@${type} is not closed (missing '${String.fromCharCode(close)}'); skipped to the next line that starts with '@'`);
    return resume;
  }

  private lookupMacro(name: string): string | undefined {
    return this.macros.get(name) ?? this.external?.get(name) ?? MONTHS.get(name);
  }

  /**
   * The fast path for the common shape of an entry body: `name = {value}`, `name = "value"`,
   * `name = 2020` or `name = macro`, separated by commas, closed by `}`. Starts after the key's
   * comma; appends to `fl` and returns the end of the entry (after its `}`), or -1 as soon as
   * anything else appears (then the general path reads the entry again and reports problems).
   */
  private fast(j: number, from: number): number {
    const t = this.text, n = this.n;
    let o = this.nextOpen, cl = this.nextClose, q = this.nextQuote, a = this.nextAt;
    let nf = 0;
    let result = -1;
    let mask = 0;
    // lines are counted here as the newlines go by (cheaper than finding them again later)
    this.lineOf(j);
    let line = this.curLine, lineStart = this.curLineStart;
    fields: for (;;) {
      let c = 0;
      while (j < n) {
        c = t.charCodeAt(j);
        if (c > 32 || WS[c] === 0) break;
        if (c === NL) {
          line++;
          lineStart = j + 1;
        }
        j++;
      }
      if (j >= n) break;
      if (c === RBRACE) {
        result = j + 1;
        break;
      }
      const ns = j;
      let h = 0;
      while (j < n) {
        c = t.charCodeAt(j);
        if (c < 128 ? NAME[c] === 0 : !isNameChar(c)) break;
        h = (Math.imul(h, 31) + (c | 32)) & 0x3fffffff;
        j++;
      }
      if (j === ns) break;
      const ne = j;
      const role = roleOf(t, ns, ne, h);
      while (j < n) {
        c = t.charCodeAt(j);
        if (c > 32 || WS[c] === 0) break;
        if (c === NL) {
          line++;
          lineStart = j + 1;
        }
        j++;
      }
      if (c !== EQUALS) break;
      j++;
      while (j < n) {
        c = t.charCodeAt(j);
        if (c > 32 || WS[c] === 0) break;
        if (c === NL) {
          line++;
          lineStart = j + 1;
        }
        j++;
      }
      // the value: one part, or several joined by `#`
      const lineBefore = line;
      let vs = -1, ve = 0;
      let joined: string | undefined;
      let parts = 0;
      for (;;) {
        let ps = -1, pe = 0;
        let pm: string | undefined;
        if (c === LBRACE) {
          let depth = 0, k = j + 1;
          // short values are closed within a few characters: look at them directly
          // (titles, authors and abstracts are long: straight to the brace cursors)
          const lim = role === R_TITLE || role === R_AUTHOR || role === R_ABSTRACT ? k : j + 64 < n ? j + 64 : n;
          let shortLines = 0, shortStart = 0, jumped = false;
          while (k < lim) {
            const d = t.charCodeAt(k);
            if (d === RBRACE || d === LBRACE) break;
            if (d === NL) {
              shortLines++;
              shortStart = k + 1;
            }
            k++;
          }
          if (k < lim && t.charCodeAt(k) === RBRACE) {
            k++;
            if (shortLines > 0) {
              line += shortLines;
              lineStart = shortStart;
            }
          } else for (k = j, jumped = true; ;) {
            if (o < k) {
              o = t.charCodeAt(k) === LBRACE ? k : t.indexOf('{', k);
              if (o < 0) o = n;
            }
            if (cl < k) {
              cl = t.charCodeAt(k) === RBRACE ? k : t.indexOf('}', k);
              if (cl < 0) cl = n;
            }
            if (o < cl) {
              depth++;
              k = o + 1;
            } else {
              if (cl >= n) break;
              k = cl + 1;
              if (--depth === 0) break;
            }
          }
          if (depth !== 0) break fields;
          ps = j + 1;
          pe = k - 1;
          j = k;
          if (jumped) {
            // the value was crossed by jumps: count its newlines (usually there are none)
            for (let p = t.indexOf('\n', ps); p !== -1 && p < pe; p = t.indexOf('\n', p + 1)) {
              line++;
              lineStart = p + 1;
            }
          }
        } else if (c === QUOTE) {
          let depth = 0, k = j + 1, ok = false;
          for (;;) {
            if (q < k) {
              q = t.indexOf('"', k);
              if (q < 0) q = n;
            }
            if (o < k) {
              o = t.indexOf('{', k);
              if (o < 0) o = n;
            }
            if (cl < k) {
              cl = t.indexOf('}', k);
              if (cl < 0) cl = n;
            }
            if (q < o && q < cl) {
              k = q + 1;
              if (depth === 0) {
                ok = true;
                break;
              }
            } else if (o < cl) {
              depth++;
              k = o + 1;
            } else {
              if (cl >= n || --depth < 0) break;
              k = cl + 1;
            }
          }
          if (!ok) break fields;
          ps = j + 1;
          pe = k - 1;
          j = k;
          for (let p = t.indexOf('\n', ps); p !== -1 && p < pe; p = t.indexOf('\n', p + 1)) {
            line++;
            lineStart = p + 1;
          }
        } else if (c >= 48 && c <= 57) {
          ps = j;
          while (j < n) {
            const d = t.charCodeAt(j);
            if (d < 48 || d > 57) break;
            j++;
          }
          pe = j;
          // a token that starts with a digit but is not a number is a macro: general path
          if (j < n && isNameChar(t.charCodeAt(j))) break fields;
        } else if (c < 128 && NAME[c] === 1) {
          const s = j;
          while (j < n && isNameChar(t.charCodeAt(j))) j++;
          const m = this.lookupMacro(internName(t, s, j));
          if (m === undefined) break fields;
          pm = m;
        } else break fields;
        if (parts === 0) {
          if (pm === undefined) {
            vs = ps;
            ve = pe;
          } else joined = pm;
        } else {
          joined = (joined ?? t.slice(vs, ve)) + (pm ?? t.slice(ps, pe));
        }
        parts++;
        while (j < n) {
          c = t.charCodeAt(j);
          if (c > 32 || WS[c] === 0) break;
          if (c === NL) {
            line++;
            lineStart = j + 1;
          }
          j++;
        }
        if (c !== HASH) break;
        j++;
        while (j < n) {
          c = t.charCodeAt(j);
          if (c > 32 || WS[c] === 0) break;
          if (c === NL) {
            line++;
            lineStart = j + 1;
          }
          j++;
        }
      }
      if (joined !== undefined) {
        vs = -1;
        ve = this.ff.expanded.push(joined) - 1;
      }
      // a line that starts a new entry inside the value means an unbalanced brace: general path
      // (only a value that spans lines can hold one)
      if (line !== lineBefore) {
        if (a < ns) {
          a = t.indexOf('@', ns);
          if (a < 0) a = n;
        }
        if (a < j && this.lineStartEntryAt(a)) break;
      }
      // duplicate field names go to the general path, which reports them
      const bit = 1 << (h & 31);
      if ((mask & bit) !== 0 || nf > 64) {
        let dup = nf > 64;
        const sp = this.ff.spans;
        for (let k = from; k < this.nSpans && !dup; k += 4) if (spansEqual(t, sp[k], sp[k + 1], ns, ne)) dup = true;
        if (dup) break;
      }
      mask |= bit;
      if (ne - ns === 9 && t.charCodeAt(ns) === 95 && spanIs(t, ns, ne, '__proto__')) break;
      if (role === R_CROSSREF) this.hasCrossref = true;
      this.pushSpan(ns, ne, vs, ve, role);
      nf++;
      while (j < n) {
        c = t.charCodeAt(j);
        if (c > 32 || WS[c] === 0) break;
        if (c === NL) {
          line++;
          lineStart = j + 1;
        }
        j++;
      }
      if (c === COMMA) {
        j++;
        continue;
      }
      if (c === RBRACE) result = j + 1;
      break;
    }
    if (result >= 0) {
      // every newline before the end of the entry is counted
      this.curLine = line;
      this.curLineStart = lineStart;
      this.counted = result;
      this.nextNl = -2;
    }
    this.nextOpen = o;
    this.nextClose = cl;
    this.nextQuote = q;
    this.nextAt = a;
    this.nf = nf;
    return result;
  }

  /**
   * Reads a value (`{...}`, `"..."`, a number or a macro, joined by `#`) starting at `j` for the
   * field `field`. Returns the raw value and sets {@link valueEnd}, or returns undefined with
   * {@link failAt}/{@link failMessage} set.
   */
  private value(j: number, field: string, close: number): string | undefined {
    const t = this.text, n = this.n;
    let result = '';
    let parts = 0;
    for (;;) {
      j = this.skipWs(j);
      if (j >= n) {
        this.failAt = j;
        this.failMessage = `unexpected end of file in the value of field '${field}'`;
        return undefined;
      }
      const c = t.charCodeAt(j);
      let part: string;
      if (c === LBRACE) {
        const end = this.braced(j);
        if (end < 0) {
          this.failMessage = `unbalanced braces in field '${field}' (missing '}')`;
          return undefined;
        }
        part = t.slice(j + 1, end - 1);
        j = end;
      } else if (c === QUOTE) {
        const end = this.quoted(j);
        if (end < 0) {
          if (!this.failMessage) this.failMessage = `unterminated quoted value in field '${field}' (missing '"')`;
          return undefined;
        }
        part = t.slice(j + 1, end - 1);
        j = end;
      } else if (isNameChar(c)) {
        const s = j;
        let digits = true;
        while (j < n) {
          const d = t.charCodeAt(j);
          if (!isNameChar(d)) break;
          if (d < 48 || d > 57) digits = false;
          j++;
        }
        if (digits) part = t.slice(s, j);
        else {
          const name = internName(t, s, j);
          const m = this.lookupMacro(name);
          if (m !== undefined) part = m;
          else {
            part = t.slice(s, j);
            if (!this.undefinedMacros.has(name)) {
              this.undefinedMacros.add(name);
              this.warn(s, `undefined macro '${part}' (kept as text)`);
            }
          }
        }
      } else if ((c === COMMA || c === close) && parts === 0) {
        this.warn(j, `field '${field}' has no value`);
        this.valueEnd = j;
        return '';
      } else {
        this.failAt = j;
        this.failMessage = parts === 0
          ? `expected a value for field '${field}', found '${t[j]}'`
          : `expected a value after '#' in field '${field}', found '${t[j]}'`;
        return undefined;
      }
      result = parts === 0 ? part : result + part;
      parts++;
      j = this.skipWs(j);
      if (j < n && t.charCodeAt(j) === HASH) {
        j++;
        continue;
      }
      this.valueEnd = j;
      return result;
    }
  }

  /**
   * End (exclusive) of the brace group opening at `j`, or -1 when it is not closed before the end
   * of the file or before a line that starts a new entry (then {@link failAt} is set).
   */
  private braced(j: number): number {
    const t = this.text, n = this.n;
    let o = this.nextOpen, c = this.nextClose, l = this.nextLine;
    let depth = 0;
    let k = j;
    let result = -1;
    for (;;) {
      if (o < k) {
        o = t.indexOf('{', k);
        if (o < 0) o = n;
      }
      if (c < k) {
        c = t.indexOf('}', k);
        if (c < 0) c = n;
      }
      if (l < k) {
        l = t.indexOf('\n', k);
        if (l < 0) l = n;
      }
      if (o < c && o < l) {
        depth++;
        k = o + 1;
      } else if (c < l) {
        k = c + 1;
        if (--depth === 0) {
          result = k;
          break;
        }
      } else if (l < n) {
        if (this.entryStartsAt(l + 1)) {
          this.failAt = l;
          break;
        }
        k = l + 1;
      } else {
        this.failAt = n;
        break;
      }
    }
    this.nextOpen = o;
    this.nextClose = c;
    this.nextLine = l;
    return result;
  }

  /** End (exclusive) of the quoted value opening at `j`, or -1 (see {@link braced}). */
  private quoted(j: number): number {
    const t = this.text, n = this.n;
    let q = this.nextQuote, o = this.nextOpen, c = this.nextClose, l = this.nextLine;
    let depth = 0;
    let k = j + 1;
    let result = -1;
    this.failMessage = '';
    for (;;) {
      if (q < k) {
        q = t.indexOf('"', k);
        if (q < 0) q = n;
      }
      if (o < k) {
        o = t.indexOf('{', k);
        if (o < 0) o = n;
      }
      if (c < k) {
        c = t.indexOf('}', k);
        if (c < 0) c = n;
      }
      if (l < k) {
        l = t.indexOf('\n', k);
        if (l < 0) l = n;
      }
      const m = Math.min(q, o, c, l);
      if (m >= n) {
        this.failAt = n;
        break;
      }
      k = m + 1;
      if (m === q) {
        if (depth === 0) {
          result = k;
          break;
        }
      } else if (m === o) {
        depth++;
      } else if (m === c) {
        if (--depth < 0) {
          this.failAt = m;
          this.failMessage = `unbalanced '}' inside a quoted value`;
          break;
        }
      } else if (this.entryStartsAt(m + 1)) {
        this.failAt = m;
        break;
      }
    }
    this.nextQuote = q;
    this.nextOpen = o;
    this.nextClose = c;
    this.nextLine = l;
    return result;
  }

  /** Reads a name at `j`; returns its end (== j when there is none). */
  private nameEnd(j: number): number {
    const t = this.text, n = this.n;
    while (j < n && isNameChar(t.charCodeAt(j))) j++;
    return j;
  }

  /** Whether a `name =` starts at `j` (used to accept a missing comma between fields). */
  private fieldStartsAt(j: number): boolean {
    const e = this.nameEnd(j);
    if (e === j) return false;
    const k = this.skipWs(e);
    return k < this.n && this.text.charCodeAt(k) === EQUALS;
  }

  /** `@string{name = value}` (several `name = value` pairs separated by commas are accepted). */
  private stringDef(at: number, j: number, close: number): number {
    const t = this.text, n = this.n;
    for (;;) {
      j = this.skipWsAndComments(j);
      if (j >= n) {
        this.error(at, `@string is not closed (missing '${String.fromCharCode(close)}')`);
        return n;
      }
      const c = t.charCodeAt(j);
      if (c === close) return j + 1;
      if (c === COMMA) {
        j++;
        continue;
      }
      const ns = j;
      const ne = this.nameEnd(j);
      if (ne === ns) {
        this.error(j, `expected a macro name in @string, found '${t[j]}'`);
        return this.resumeAfter(j);
      }
      const name = internName(t, ns, ne);
      j = this.skipWs(ne);
      if (t.charCodeAt(j) !== EQUALS) {
        this.error(j, `expected '=' after macro name '${name}' in @string`);
        return this.resumeAfter(j);
      }
      const v = this.value(j + 1, name, close);
      if (v === undefined) {
        this.error(this.failAt, this.failMessage);
        return this.resumeAfter(this.failAt);
      }
      this.macros.set(name, v);
      j = this.valueEnd;
    }
  }

  /** Reads an entry whose body starts at `j` (after the opening delimiter). */
  private entry(at: number, j: number, type: string, close: number): number {
    const t = this.text, n = this.n;
    while (j < n && isWs(t.charCodeAt(j))) j++;
    const ks = j;
    let h = 0;
    while (j < n) {
      const c = t.charCodeAt(j);
      if (c < 128 && (WS[c] === 1 || c === COMMA || c === LBRACE || c === RBRACE || c === EQUALS || c === close)) break;
      h = (Math.imul(h, 31) + (c >= 65 && c <= 90 ? c + 32 : c)) & 0x3fffffff;
      j++;
    }
    let key = t.slice(ks, j);
    while (j < n && isWs(t.charCodeAt(j))) j++;
    let c = j < n ? t.charCodeAt(j) : -1;
    const startLine = this.lineOf(at);
    const startColumn = this.col;
    const index = this.nEntries;
    if (index === this.eCapacity) this.growEntries();
    // An entry without a key (`@misc{, …}`, `@article(foo=bar)`, a key line left empty) keeps its
    // fields among the entries, but makes no paper: it cannot be cited.
    const keyless = c === EQUALS || key.length === 0;
    if (keyless) {
      this.error(ks, `@${type} entry has no citation key: its fields are read, but it cannot be cited`);
      if (c === EQUALS) {
        // what looked like the key is the first field's name
        j = ks;
        c = t.charCodeAt(j);
      }
      key = '';
    }
    let hash = h ^ (h >>> 15);
    if (key.length > 1 && key.charCodeAt(0) === QUOTE && key.charCodeAt(key.length - 1) === QUOTE) {
      key = key.slice(1, -1);
      hash = keyHash(key);
    }

    // duplicate keys (BibTeX compares keys case-insensitively)
    const first = keyless ? undefined : this.findKey(key, hash);
    let makePaper = !keyless;
    if (first !== undefined) {
      const firstKey = this.eKey[first];
      const firstLine = this.ff.ranges[4 * first] + 1;
      if (firstKey === key) {
        makePaper = false;
        this.warn(at, `duplicate key '${key}' (first defined on line ${firstLine}): this entry is ignored`);
      } else {
        this.warn(at, `key '${key}' differs only in case from '${firstKey}' (line ${firstLine}); BibTeX treats them as the same key`);
      }
    } else if (!keyless) this.addKey(key, hash, index);

    const from = this.nSpans;
    this.hasCrossref = false;
    let end = -1;
    let failPos = -1;
    if (c === COMMA && close === RBRACE && fastPathEnabled && !keyless) end = this.fast(j + 1, from);
    if (end < 0) {
      this.nSpans = from;
      this.hasCrossref = false;
      // the general path reads the entry again from its start: the cursors only look forward
      this.nextOpen = this.nextClose = this.nextQuote = this.nextAt = this.nextLine = -1;
      end = this.general(j, c, keyless ? `(no key) on line ${startLine + 1}` : key, close, keyless);
      if (end < 0) failPos = this.failAt;
    }
    const stop = end >= 0 ? end : failPos;
    const endLine = this.lineOf(stop);
    const rs = this.ff.ranges;
    rs[4 * index] = startLine;
    rs[4 * index + 1] = startColumn;
    rs[4 * index + 2] = endLine;
    rs[4 * index + 3] = this.col;
    this.ff.bounds[2 * index] = from;
    this.ff.bounds[2 * index + 1] = this.nSpans;
    this.eOffsets[2 * index] = at;
    this.eOffsets[2 * index + 1] = stop;
    this.eHash[index] = keyless ? 0 : hash;
    this.eKey.push(key);
    this.eType.push(type);
    this.nEntries = index + 1;
    if (makePaper) {
      this.paperEntry.push(index);
      if (this.hasCrossref) {
        this.deferred.push(this.papers.length);
        this.papers.push(undefined);
      } else this.papers.push(this.buildPaper(key, type, index, from));
    }
    if (end >= 0) return end;
    // Resume at the next entry; a fail at an entry start resumes exactly there.
    if (failPos < n && t.charCodeAt(failPos) === AT) return failPos;
    return this.resumeAfter(failPos);
  }

  /**
   * The general path of an entry body, from just after the key (`j`, where the character `c` is).
   * Reports every problem; returns the end of the entry, or -1 with {@link failAt} set when it
   * could not be read to its end (the fields read so far are kept).
   */
  private general(j: number, c: number, key: string, close: number, keyless = false): number {
    const t = this.text, n = this.n;
    const closeCh = String.fromCharCode(close);
    let nf = 0;
    const names: string[] = [];
    let seen: Set<string> | undefined;
    let failPos = -1;
    let failMsg = '';
    let end = -1;
    if (c === COMMA) j++;
    else if (c === close) end = j + 1;
    else if (c === -1) {
      failPos = n;
      failMsg = `entry '${key}' is not closed (missing '${closeCh}' at the end of the file)`;
    } else if (keyless && this.fieldStartsAt(j)) {
      // the fields start right away
    } else if (this.fieldStartsAt(j)) {
      this.warn(j, `missing ',' after the citation key '${key}'`);
    } else {
      failPos = j;
      failMsg = `expected ',' after the citation key '${key}', found '${t[j]}'`;
    }
    while (end < 0 && failPos < 0) {
      j = this.skipWsAndComments(j);
      if (j >= n) {
        failPos = n;
        failMsg = `entry '${key}' is not closed (missing '${closeCh}' at the end of the file)`;
        break;
      }
      c = t.charCodeAt(j);
      if (c === close) {
        end = j + 1;
        break;
      }
      if (c === COMMA) {
        j++;
        continue;
      }
      if (c === AT && this.entryStartsAt(j)) {
        failPos = j;
        failMsg = `entry '${key}' is not closed (missing '${closeCh}' before the next entry)`;
        break;
      }
      const ns = j;
      const ne = this.nameEnd(j);
      if (ne === ns) {
        failPos = j;
        failMsg = `unexpected '${t[j]}' in entry '${key}' where a field name was expected`;
        break;
      }
      const name = internName(t, ns, ne);
      const role = internedRole;
      j = this.skipWs(ne);
      if (j >= n || t.charCodeAt(j) !== EQUALS) {
        failPos = j;
        failMsg = `expected '=' after field name '${name}' in entry '${key}'`;
        break;
      }
      const v = this.value(j + 1, name, close);
      if (v === undefined) {
        failPos = this.failAt;
        failMsg = `${this.failMessage} in entry '${key}'`;
        break;
      }
      let dup = false;
      if (seen !== undefined) dup = seen.has(name);
      else {
        for (let i = 0; i < names.length; i++) if (names[i] === name) dup = true;
        if (names.length >= 32) seen = new Set(names);
      }
      if (dup) this.warn(ns, `duplicate field '${name}' in entry '${key}': the first value is kept`);
      else {
        names.push(name);
        seen?.add(name);
        if (role === R_CROSSREF) this.hasCrossref = true;
        this.pushSpan(ns, ne, -1, this.ff.expanded.push(v) - 1, role);
        nf++;
      }
      j = this.skipWsAndComments(this.valueEnd);
      if (j >= n) continue; // reported as not closed at the loop head
      c = t.charCodeAt(j);
      if (c === COMMA) j++;
      else if (c === close) end = j + 1;
      else if (c === AT && this.entryStartsAt(j)) continue; // reported at the loop head
      else if (this.fieldStartsAt(j)) this.warn(j, `missing ',' after field '${name}' in entry '${key}'`);
      else {
        failPos = j;
        failMsg = `expected ',' or '${closeCh}' after the value of field '${name}' in entry '${key}', found '${t[j]}'`;
      }
    }
    this.nf = nf;
    if (failPos >= 0) {
      this.error(failPos, failMsg);
      this.failAt = failPos;
      return -1;
    }
    return end;
  }

  /**
   * Builds the paper of the entry just read. Only its year is read now (a number, usually without
   * making a string); the other values are read when first asked for (see {@link BibtexPaper}).
   */
  private buildPaper(key: string, type: string, index: number, from: number): Paper {
    const nf = this.nf, roles = this.ff.roles, sp = this.ff.spans, t = this.text;
    const paper = new BibtexPaper(key, this.source, this.ff, index);
    let year: string | undefined, date: string | undefined;
    for (let i = 0, r = from >> 2; i < nf; i++, r++) {
      const role = roles[r];
      if (role !== R_YEAR && role !== R_DATE) continue;
      const k = 4 * r;
      if (role === R_YEAR && sp[k + 3] - sp[k + 2] === 4 && sp[k + 2] >= 0) {
        // the usual four-digit year, read without making a string
        const s = sp[k + 2];
        const d0 = t.charCodeAt(s) - 48, d1 = t.charCodeAt(s + 1) - 48, d2 = t.charCodeAt(s + 2) - 48, d3 = t.charCodeAt(s + 3) - 48;
        if ((d0 === 1 || d0 === 2) && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9) {
          paper.year = d0 * 1000 + d1 * 100 + d2 * 10 + d3;
          break;
        }
      }
      if (role === R_YEAR) year = fieldValue(this.ff, k);
      else date = fieldValue(this.ff, k);
    }
    if (paper.year === undefined) {
      const y = yearOf(year ?? date);
      if (y !== undefined) paper.year = y;
    }
    paper.entryType = type;
    return paper as unknown as Paper;
  }

  /** Builds the result: crossref inheritance for the deferred papers, diagnostics in order. */
  finish(): BibtexResult {
    const diagnostics = this.diagnostics;
    const unresolved = new Map<number, Diagnostic>();
    const papers = this.papers;
    if (this.deferred.length) {
      const records = new Map<number, Record<string, string>>();
      const entryOf = (i: number): BibtexEntry => {
        let f = records.get(i);
        if (!f) records.set(i, (f = entryRecord(this.ff, i)));
        return { key: this.eKey[i], type: this.eType[i], fields: f, range: rangeOf(this.ff, i), raw: '' };
      };
      for (const p of this.deferred) {
        const e = entryOf(this.paperEntry[p]);
        const fields = inheritFields(e, (k) => {
          const i = this.findKey(k);
          return i === undefined ? undefined : entryOf(i);
        });
        if (fields === e.fields) {
          const d: Diagnostic = {
            source: this.source, line: e.range.startLine + 1, column: e.range.startColumn + 1,
            message: `crossref '${e.fields.crossref}' of entry '${e.key}' not found`, severity: 'warning',
          };
          unresolved.set(p, d);
          if (diagnostics.length < MAX_DIAGNOSTICS) diagnostics.push(d);
          else this.dropped++;
        }
        papers[p] = entryToPaper(e, this.source, fields);
      }
      diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    }
    if (this.dropped > 0) {
      diagnostics.push({ source: this.source, line: 1, column: 1, message: `${this.dropped} more problems not shown`, severity: 'warning' });
    }
    const result = { source: this.source, papers: papers as Paper[], diagnostics, macros: this.macros } as BibtexResult;
    const { eKey, eType, eOffsets, text, ff } = this;
    // the decoded values, filled in on first read (dense arrays: any paper may be read first)
    ff.titles = new Array<string | undefined>(this.nEntries).fill(undefined);
    ff.authors = new Array<string[] | undefined>(this.nEntries).fill(undefined);
    ff.fields = new Array<Record<string, string> | undefined>(this.nEntries).fill(undefined);
    // the columns were sized by estimate: give back what a file of unusual shape left unused
    if (this.nSpans < ff.spans.length >> 1) {
      ff.spans = ff.spans.slice(0, this.nSpans);
      ff.roles = ff.roles.slice(0, this.nSpans >> 2);
    }
    // `entries` is made on first read, then stored as a plain property.
    Object.defineProperty(result, 'entries', {
      get(this: BibtexResult): BibtexEntry[] {
        const entries: BibtexEntry[] = new Array(eKey.length);
        for (let i = 0; i < eKey.length; i++) {
          entries[i] = { key: eKey[i], type: eType[i], fields: entryRecord(ff, i), range: rangeOf(ff, i), raw: text.slice(eOffsets[2 * i], eOffsets[2 * i + 1]) };
        }
        Object.defineProperty(this, 'entries', { value: entries, writable: true, enumerable: true, configurable: true });
        return entries;
      },
      set(this: BibtexResult, v: BibtexEntry[]) {
        Object.defineProperty(this, 'entries', { value: v, writable: true, enumerable: true, configurable: true });
      },
      enumerable: true,
      configurable: true,
    });
    internals.set(result, { undefinedMacros: this.undefinedMacros, unresolvedCrossrefs: unresolved, paperEntry: this.paperEntry });
    return result;
  }
}

/**
 * The entry's fields with the fields it inherits through `crossref` (nearest parent first, chains
 * followed, cycles stopped). Returns `entry.fields` itself when no parent is found.
 */
function inheritFields(entry: BibtexEntry, find: (lowerKey: string) => BibtexEntry | undefined): Record<string, string> {
  let merged: Record<string, string> | undefined;
  const seen = new Set<string>([entry.key.toLowerCase()]);
  let cur = entry;
  for (let depth = 0; depth < 16; depth++) {
    const ref = cur.fields.crossref;
    if (ref === undefined) break;
    const k = ref.trim().toLowerCase();
    if (seen.has(k)) break;
    const parent = find(k);
    if (!parent) break;
    seen.add(k);
    if (!merged) merged = { ...entry.fields };
    for (const f in parent.fields) {
      if (f === 'crossref' || f === 'ids' || f === 'key') continue;
      if (merged[f] === undefined) merged[f] = parent.fields[f];
    }
    if (CONTAINER_TYPES.has(parent.type) && parent.fields.title !== undefined && merged.booktitle === undefined) {
      merged.booktitle = parent.fields.title;
    }
    cur = parent;
  }
  return merged ?? entry.fields;
}

/**
 * Symbol-keyed slots of a lazily decoded paper: the fields of its file and its entry's index.
 * JSON, structured clone, `Object.keys` and `for…in` ignore symbol keys.
 */
const FILE_FIELDS = Symbol('citelens.fileFields');
const ENTRY_INDEX = Symbol('citelens.entryIndex');
type LazyPaper = Paper & { [FILE_FIELDS]: FileFields; [ENTRY_INDEX]: number };

function lazyTitle(this: LazyPaper): string {
  const ff = this[FILE_FIELDS], i = this[ENTRY_INDEX];
  let v = ff.titles[i];
  if (v === undefined) {
    const raw = entryField(ff, i, R_TITLE);
    ff.titles[i] = v = raw === undefined ? '' : latexToUnicode(raw);
  }
  return v;
}
function lazyAuthors(this: LazyPaper): string[] {
  const ff = this[FILE_FIELDS], i = this[ENTRY_INDEX];
  let v = ff.authors[i];
  if (v === undefined) {
    const raw = entryField(ff, i, R_AUTHOR) ?? entryField(ff, i, R_EDITOR);
    ff.authors[i] = v = raw === undefined ? [] : splitAuthors(raw);
  }
  return v;
}
function lazyFields(this: LazyPaper): Record<string, string> {
  const ff = this[FILE_FIELDS], i = this[ENTRY_INDEX];
  let v = ff.fields[i];
  if (v === undefined) {
    v = {};
    for (let k = ff.bounds[2 * i], e = ff.bounds[2 * i + 1]; k < e; k += 4) {
      const name = fieldName(ff, k);
      if (v[name] !== undefined && Object.prototype.hasOwnProperty.call(v, name)) continue;
      const d = name === 'title' ? lazyTitle.call(this) : decodeField(name, fieldValue(ff, k));
      if (name === '__proto__') Object.defineProperty(v, name, { value: d, enumerable: true, writable: true, configurable: true });
      else v[name] = d;
    }
    ff.fields[i] = v;
  }
  return v;
}

/** The values of a paper read on first demand (see {@link BibtexPaper}). */
interface LazyValues {
  venue: string | undefined;
  abstract: string | undefined;
  doi: string | undefined;
  arxiv: string | undefined;
  url: string | undefined;
  keywords: string[] | undefined;
}

/** Reads the lazily made values of entry `i` from its fields (LaTeX decoded, identifiers cleaned). */
function lazyValues(ff: FileFields, i: number): LazyValues {
  let venue: string | undefined, venueRole = 99, abstract: string | undefined, doi: string | undefined,
    url: string | undefined, eprint: string | undefined, prefix: string | undefined, arxivid: string | undefined,
    keywords: string | undefined;
  const roles = ff.roles;
  for (let k = ff.bounds[2 * i], e = ff.bounds[2 * i + 1]; k < e; k += 4) {
    const role = roles[k >> 2];
    if (role < R_JOURNAL) continue;
    const v = fieldValue(ff, k);
    switch (role) {
      case R_JOURNAL: case R_JOURNALTITLE: case R_BOOKTITLE:
        if (role < venueRole) { venue = v; venueRole = role; }
        break;
      case R_ABSTRACT: abstract = v; break;
      case R_DOI: doi = v; break;
      case R_URL: url = v; break;
      case R_EPRINT: eprint = v; break;
      case R_ARCHIVEPREFIX: prefix = v; break;
      case R_EPRINTTYPE: if (prefix === undefined) prefix = v; break;
      case R_ARXIVID: arxivid = v; break;
      case R_KEYWORDS: keywords = v; break;
      case R_GROUPS: if (keywords === undefined) keywords = v; break;
    }
  }
  const out: LazyValues = { venue: undefined, abstract: undefined, doi: undefined, arxiv: undefined, url: undefined, keywords: undefined };
  if (venue !== undefined) out.venue = latexToUnicode(venue) || undefined;
  if (abstract !== undefined) out.abstract = latexToUnicode(abstract) || undefined;
  if (doi !== undefined) out.doi = cleanDoi(doi) || undefined;
  out.arxiv = arxivFrom(eprint, prefix, arxivid, url, out.doi) || undefined;
  if (url !== undefined) out.url = trimWs(url) || undefined;
  if (keywords !== undefined) {
    const list = splitKeywords(latexToUnicode(keywords));
    if (list.length) out.keywords = list;
  }
  return out;
}

/**
 * A paper read from a BibTeX file. Its key, year and entry type are read at parse time; every
 * other value is read from the file's field lists on first demand: `title`, `authors` and
 * `fields` (getters that decode and keep the result in the file's field lists), and venue,
 * abstract, DOI, arXiv id, URL and keywords (read together on the first read of any of them).
 * So making 100k papers costs neither property definitions nor strings per value. Assigning
 * replaces a value. JSON sees every value (`toJSON`); for a plain copy (spreading, structured
 * clone, `postMessage`) use `plainPaper` from `paper.ts`.
 */
class BibtexPaper {
  declare year?: number;
  declare entryType?: string;
  declare [FILE_FIELDS]: FileFields;
  declare [ENTRY_INDEX]: number;
  #values: LazyValues | undefined = undefined;

  constructor(readonly key: string, readonly source: string, ff: FileFields, index: number) {
    this[FILE_FIELDS] = ff;
    this[ENTRY_INDEX] = index;
  }

  private values(): LazyValues {
    return (this.#values ??= lazyValues(this[FILE_FIELDS], this[ENTRY_INDEX]));
  }

  get title(): string {
    return lazyTitle.call(this as unknown as LazyPaper);
  }
  set title(v: string) {
    this[FILE_FIELDS].titles[this[ENTRY_INDEX]] = v;
  }
  get authors(): string[] {
    return lazyAuthors.call(this as unknown as LazyPaper);
  }
  set authors(v: string[]) {
    this[FILE_FIELDS].authors[this[ENTRY_INDEX]] = v;
  }
  get fields(): Record<string, string> {
    return lazyFields.call(this as unknown as LazyPaper);
  }
  set fields(v: Record<string, string>) {
    this[FILE_FIELDS].fields[this[ENTRY_INDEX]] = v;
  }
  get venue(): string | undefined { return this.values().venue; }
  set venue(v: string | undefined) { this.values().venue = v; }
  get abstract(): string | undefined { return this.values().abstract; }
  set abstract(v: string | undefined) { this.values().abstract = v; }
  get doi(): string | undefined { return this.values().doi; }
  set doi(v: string | undefined) { this.values().doi = v; }
  get arxiv(): string | undefined { return this.values().arxiv; }
  set arxiv(v: string | undefined) { this.values().arxiv = v; }
  get url(): string | undefined { return this.values().url; }
  set url(v: string | undefined) { this.values().url = v; }
  get keywords(): string[] | undefined { return this.values().keywords; }
  set keywords(v: string[] | undefined) { this.values().keywords = v; }

  get range(): SourceRange {
    return rangeOf(this[FILE_FIELDS], this[ENTRY_INDEX]);
  }
  set range(v: SourceRange) {
    Object.defineProperty(this, 'range', { value: v, writable: true, enumerable: true, configurable: true });
  }

  /** Every value, decoded, as plain data (values that are absent are left out), with the fields record. */
  toJSON(): Paper {
    return { ...plainPaper(this as unknown as Paper), fields: this.fields };
  }
}

/** Decodes one field value (verbatim fields are only trimmed). */
function decodeField(name: string, raw: string): string {
  if (VERBATIM_FIELDS.has(name)) return trimWs(raw);
  return latexToUnicode(raw);
}

/** `s` without surrounding white space (the same string when there is none). */
function trimWs(s: string): string {
  return s.length > 0 && (isWs(s.charCodeAt(0)) || isWs(s.charCodeAt(s.length - 1))) ? s.trim() : s;
}

/** Every field of a raw record decoded (LaTeX → Unicode; verbatim fields such as url/doi only trimmed). */
export function decodeFields(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in raw) {
    if (k === '__proto__') Object.defineProperty(out, k, { value: decodeField(k, raw[k]), enumerable: true, writable: true, configurable: true });
    else out[k] = decodeField(k, raw[k]);
  }
  return out;
}

const ARXIV_URL = /arxiv\.org\/(?:abs|pdf)\/((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[A-Za-z]{2})?\/\d{7}))/i;
const ARXIV_DOI = /10\.48550\/arxiv\.(\d{4}\.\d{4,5})/i;

/** "arXiv:1909.08053v2" → "1909.08053". */
function cleanArxiv(id: string): string {
  let s = id.trim();
  if (/^arxiv:/i.test(s)) s = s.slice(6).trim();
  return s.replace(/v\d+$/, '');
}

/** "https://doi.org/10.1/x" or "doi:10.1/x" → "10.1/x". */
function cleanDoi(doi: string): string {
  const s = trimWs(doi);
  // the usual case: the DOI itself ("10.…")
  if (s.charCodeAt(0) === 49 && s.charCodeAt(1) === 48 && s.charCodeAt(2) === 46) return s;
  const i = s.indexOf('10.');
  if (i > 0 && /^(https?:\/\/(dx\.)?doi\.org\/|doi:\s*)/i.test(s)) return s.slice(i);
  return s;
}

/** First plausible year (1000–2999) in a year or date field. */
function yearOf(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (s.length === 4) {
    const y = +s;
    if (y >= 1000 && y < 3000) return y;
  }
  const m = /(?:^|[^0-9])([12][0-9]{3})(?![0-9])/.exec(s);
  return m ? +m[1] : undefined;
}

/** "a, b; c" → ["a", "b", "c"]. */
function splitKeywords(s: string): string[] {
  if (s.indexOf(',') < 0 && s.indexOf(';') < 0) {
    const k = s.trim();
    return k ? [k] : [];
  }
  return s.split(/[,;]/).map((x) => x.trim()).filter((x) => x.length > 0);
}

/** The arXiv id of an entry: eprint with archivePrefix/eprinttype arXiv, arxivid, or an arXiv URL/DOI. */
function arxivFrom(eprint: string | undefined, prefix: string | undefined, arxivid: string | undefined, url: string | undefined, doi: string | undefined): string | undefined {
  if (eprint !== undefined && prefix !== undefined && prefix.trim().toLowerCase() === 'arxiv') return cleanArxiv(eprint);
  if (arxivid !== undefined) return cleanArxiv(arxivid);
  if (eprint !== undefined && /^\s*arxiv:/i.test(eprint)) return cleanArxiv(eprint);
  if (url !== undefined && url.length < 2000 && (url.indexOf('arxiv') >= 0 || url.indexOf('arXiv') >= 0)) {
    const m = ARXIV_URL.exec(url);
    if (m) return m[1];
  }
  // arXiv DOIs are 10.48550/arXiv.<id> (doi is already cleaned by cleanDoi)
  if (doi !== undefined && doi.length < 2000 && doi.charCodeAt(3) === 52 && doi.charCodeAt(4) === 56 && doi.startsWith('10.48550/')) {
    const m = ARXIV_DOI.exec(doi);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Builds the decoded {@link Paper} of an entry. `fields` are the raw fields to use (the entry's
 * own, or those merged through crossref).
 */
export function entryToPaper(entry: BibtexEntry, source: string, fields: Record<string, string> = entry.fields): Paper {
  const decoded = decodeFields(fields);
  const author = fields.author ?? fields.editor;
  const paper: Paper = {
    key: entry.key,
    title: decoded.title ?? '',
    authors: author === undefined ? [] : splitAuthors(author),
    source,
  };
  const year = yearOf(fields.year) ?? yearOf(fields.date);
  if (year !== undefined) paper.year = year;
  const venue = decoded.journal ?? decoded.journaltitle ?? decoded.booktitle;
  if (venue) paper.venue = venue;
  if (decoded.abstract) paper.abstract = decoded.abstract;
  if (decoded.doi) paper.doi = cleanDoi(decoded.doi);
  const arxiv = arxivFrom(fields.eprint, fields.archiveprefix ?? fields.eprinttype, fields.arxivid, fields.url, fields.doi === undefined ? undefined : cleanDoi(fields.doi));
  if (arxiv) paper.arxiv = arxiv;
  if (decoded.url) paper.url = decoded.url;
  paper.entryType = entry.type;
  const kw = decoded.keywords ?? decoded.groups;
  if (kw !== undefined) {
    const list = splitKeywords(kw);
    if (list.length) paper.keywords = list;
  }
  paper.fields = decoded;
  paper.range = entry.range;
  return paper;
}

/**
 * Splits a raw BibTeX name list into display names: split on "and" at brace depth 0,
 * "Last, First" and "Last, Jr, First" → "First Last Jr", biblatex's `family=…, given=…`
 * understood, LaTeX decoded, braces removed, "others" dropped.
 *
 * One pass over the characters finds the separators, the commas of each name and whether the
 * name holds any markup, so plain names are only sliced and joined.
 *
 * @param decode false when the caller knows the list holds no LaTeX markup at all
 */
export function splitAuthors(raw: string, decode = true): string[] {
  const out: string[] = [];
  const n = raw.length;
  let depth = 0, start = 0, comma1 = -1, comma2 = -1, markup = false, equals = false;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === LBRACE) {
      depth++;
      markup = true;
    } else if (c === RBRACE) {
      if (depth > 0) depth--;
      markup = true;
    } else if (depth === 0 && c === COMMA) {
      if (comma1 < 0) comma1 = i;
      else if (comma2 < 0) comma2 = i;
    } else if (depth === 0 && c < 128 && WS[c] === 1) {
      // " and " (any case, any white space around it)
      if ((raw.charCodeAt(i + 1) | 0x20) === 97 && (raw.charCodeAt(i + 2) | 0x20) === 110 && (raw.charCodeAt(i + 3) | 0x20) === 100 &&
          i + 4 < n && isWs(raw.charCodeAt(i + 4))) {
        addName(out, raw, start, i, comma1, comma2, decode && markup, equals);
        i += 4;
        start = i + 1;
        comma1 = comma2 = -1;
        markup = equals = false;
      } else if (c !== SPACE || raw.charCodeAt(i + 1) === SPACE) markup = true; // white space to collapse
    } else if (c === EQUALS) equals = true;
    else if (c < 128 && (MARKUP[c] === 1 || ((c === 45 || c === 39) && raw.charCodeAt(i + 1) === c))) markup = true; // \ ~ $ ` -- ''
  }
  addName(out, raw, start, n, comma1, comma2, decode && markup, equals);
  return out;
}

/** ASCII characters that make a name need LaTeX decoding. */
const MARKUP = new Uint8Array(128);
for (const ch of '\\~$`') MARKUP[ch.charCodeAt(0)] = 1;

/**
 * Appends the display form of the name `raw[s..e)` ("Last, First" → "First Last"), given the
 * positions of its first two top-level commas.
 */
function addName(out: string[], raw: string, s: number, e: number, c1: number, c2: number, decode: boolean, equals: boolean): void {
  while (s < e && isWs(raw.charCodeAt(s))) s++;
  while (e > s && isWs(raw.charCodeAt(e - 1))) e--;
  if (e <= s) return;
  if (equals || decode) {
    pushName(out, raw.slice(s, e), decode || equals);
    return;
  }
  if (e - s === 6 && raw.slice(s, e).toLowerCase() === 'others') return;
  let display: string;
  if (c1 < 0) display = raw.slice(s, e);
  else {
    const last = trimSlice(raw, s, c1);
    const first = trimSlice(raw, (c2 < 0 ? c1 : c2) + 1, e);
    const jr = c2 < 0 ? '' : trimSlice(raw, c1 + 1, c2);
    display = first ? (last ? first + ' ' + last : first) : last;
    if (jr) display = display ? display + ' ' + jr : jr;
  }
  if (display.length > 0) out.push(display);
}

/** `raw[s..e)` without surrounding white space. */
function trimSlice(raw: string, s: number, e: number): string {
  while (s < e && isWs(raw.charCodeAt(s))) s++;
  while (e > s && isWs(raw.charCodeAt(e - 1))) e--;
  return raw.slice(s, e);
}

const NAME_PART_KEY = /^\s*(family|given|prefix|suffix|giveni|familyi|useprefix)\s*=/i;

/** Index of the first comma at brace depth 0 in `s` from `from`, or -1. */
function topLevelComma(s: string, from: number): number {
  const c0 = s.indexOf(',', from);
  if (c0 < 0) return -1;
  const b = s.indexOf('{', from);
  if (b < 0 || b > c0) return c0;
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LBRACE) depth++;
    else if (c === RBRACE) {
      if (depth > 0) depth--;
    } else if (c === COMMA && depth === 0) return i;
  }
  return -1;
}

/** Appends the display form of one raw name ("Last, First" → "First Last"). */
function pushName(out: string[], name: string, decode: boolean): void {
  const s = trimWs(name);
  if (s.length === 0 || (s.length === 6 && s.toLowerCase() === 'others')) return;
  const c1 = topLevelComma(s, 0);
  let display: string;
  if (c1 < 0) display = decode ? latexToUnicode(s) : s;
  else if (s.indexOf('=') >= 0 && NAME_PART_KEY.test(s)) {
    const named: Record<string, string> = {};
    let from = 0;
    for (;;) {
      const c = topLevelComma(s, from);
      const part = s.slice(from, c < 0 ? s.length : c);
      const eq = part.indexOf('=');
      if (eq > 0) named[part.slice(0, eq).trim().toLowerCase()] = latexToUnicode(part.slice(eq + 1));
      if (c < 0) break;
      from = c + 1;
    }
    display = [named.given, named.prefix, named.family, named.suffix].filter(Boolean).join(' ');
  } else {
    const c2 = topLevelComma(s, c1 + 1);
    let last = s.slice(0, c1);
    let first = c2 < 0 ? s.slice(c1 + 1) : s.slice(c2 + 1);
    let jr = c2 < 0 ? '' : s.slice(c1 + 1, c2);
    if (decode) {
      last = latexToUnicode(last);
      first = latexToUnicode(first);
      if (jr) jr = latexToUnicode(jr);
    } else {
      last = trimWs(last);
      first = trimWs(first);
      jr = trimWs(jr);
    }
    display = first ? (last ? first + ' ' + last : first) : last;
    if (jr) display = display ? display + ' ' + jr : jr;
  }
  if (display.length > 0) out.push(display);
}
