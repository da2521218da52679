/**
 * The persisted cache of one library source: its papers, diagnostics, `@string` macros and index
 * segment, stamped with the file's size and modification time and the cache format. A second
 * start reads this instead of parsing and indexing the file again; any difference in the stamp
 * or the format makes the cache a miss (never a wrong library).
 *
 * Layout (each part 8-byte aligned): "CTLC", format version, header length; the header as UTF-8
 * JSON (stamp, diagnostics, macros, counts); the papers column-wise (years, source ranges, author
 * and keyword counts, the offsets of every string, the strings as one UTF-16 text); the segment.
 */
import { Diagnostic, Paper, SourceRange, idHashesOf, plainPaper, titleHash } from '../model/paper';
import { SEGMENT_FORMAT_VERSION, Segment } from '../search/termIndex';
import { segmentFromBytes, segmentToBytes } from '../search/segmentBytes';

/** Bumped whenever the paper record below changes. */
export const SOURCE_CACHE_VERSION = 5;
const MAGIC = 0x434c5443; // "CTLC"

/** What identifies the file a cache was made from. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  /** What else the parse depended on: `@string` macros from the library's other files (see {@link macrosDigest}). */
  context?: string;
}

/** A short digest of the macros other files contribute (the cache must miss when they change). */
export function macrosDigest(macros: ReadonlyMap<string, string> | undefined): string {
  if (!macros || !macros.size) return '';
  let h = 0x811c9dc5;
  for (const [k, v] of [...macros].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const s = k + '\u0000' + v + '\u0001';
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  }
  return `${macros.size}:${(h >>> 0).toString(16)}`;
}



/** The index segment inside cache bytes (without reading the papers), if the bytes are a cache of this format. */
export function segmentOfCache(bytes: Uint8Array): Segment | undefined {
  return readCache(bytes, undefined)?.source.segment;
}

/** A source as cached. */
export interface CachedSource {
  source: string;
  papers: Paper[];
  diagnostics: Diagnostic[];
  macros?: Map<string, string>;
  /** The index; undefined in the papers-only bytes the worker sends first. */
  segment?: Segment;
  /** Each paper's `titleHash` (made when encoding if not given). */
  titleHashes?: Float64Array;
  /** Each paper's `doiHash` and `arxivHash` at 2i and 2i + 1 (made when encoding if not given). */
  idHashes?: Float64Array;
}

/** The string fields kept per paper, in order ('' for a missing optional field). */
const STRING_FIELDS = ['key', 'title', 'venue', 'abstract', 'arxiv', 'doi', 'url', 'entryType'] as const;
const NO_YEAR = -0x80000000;

/** Lays `parts` out one after another, each at an 8-byte boundary. */
function concat(parts: Uint8Array[]): { bytes: Uint8Array; offsets: number[] } {
  const offsets: number[] = [];
  let size = 0;
  for (const p of parts) {
    offsets.push(size);
    size = (size + p.byteLength + 7) & ~7;
  }
  const bytes = new Uint8Array(size);
  parts.forEach((p, i) => bytes.set(p, offsets[i]));
  return { bytes, offsets };
}

/** A string as UTF-16LE bytes: Node's Buffer writes them in one go; a loop elsewhere. */
function encodeUtf16(text: string): Uint8Array {
  const B = (globalThis as { Buffer?: { from(s: string, e: string): Uint8Array } }).Buffer;
  if (B) return B.from(text, 'utf16le');
  const out = new Uint8Array(text.length * 2);
  for (let i = 0, j = 0; i < text.length; i++, j += 2) {
    const u = text.charCodeAt(i);
    out[j] = u & 0xff;
    out[j + 1] = u >>> 8;
  }
  return out;
}

/** UTF-16LE bytes as a string: Node's Buffer copies them in one go, TextDecoder is the portable fallback. */
function decodeUtf16(bytes: Uint8Array): string {
  const B = (globalThis as { Buffer?: { from(b: ArrayBufferLike, o: number, l: number): { toString(e: string): string } } }).Buffer;
  return B ? B.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf16le') : new TextDecoder('utf-16le').decode(bytes);
}

const asBytes = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Papers per chunk of the cache's text: each chunk is decoded to a string when its first paper is
 * made, so taking in a 100k-entry cache is a series of small steps, not one copy of ~50 MB.
 */
const PAPERS_PER_CHUNK = 10_000;

/** The papers' columns as loaded from a cache. */
interface Columns {
  /** The text of papers [c·PAPERS_PER_CHUNK, (c + 1)·PAPERS_PER_CHUNK), decoded when first needed. */
  chunks: string[];
  /** Where chunk c starts in the text (the offsets count from the start of the whole text). */
  chunkStart: Uint32Array;
  offsets: Uint32Array;
  /** Paper → index of its first string. */
  first: Uint32Array;
  counts: Uint32Array;
  years: Int32Array;
  ranges: Int32Array;
}

const COLUMNS = Symbol('citelens.columns');
const INDEX = Symbol('citelens.index');

/**
 * A paper loaded from the cache: its key is read at once, every other field when first asked for
 * (a getter that slices the cache's text), so a 100k-entry library loads without making a million
 * strings. Assigning a field replaces it. JSON sees every field (`toJSON`); `plainPaper` copies.
 */
class CachedPaper {
  declare readonly [COLUMNS]: Columns;
  declare readonly [INDEX]: number;

  constructor(readonly key: string, readonly source: string, columns: Columns, index: number) {
    (this as { [COLUMNS]: Columns })[COLUMNS] = columns;
    (this as { [INDEX]: number })[INDEX] = index;
  }

  private str(field: number): string {
    const c = this[COLUMNS], i = this[INDEX];
    const k = c.first[i] + field;
    const chunk = (i / PAPERS_PER_CHUNK) | 0, base = c.chunkStart[chunk];
    return c.chunks[chunk].slice(c.offsets[k] - base, c.offsets[k + 1] - base);
  }

  private list(from: number, count: number): string[] {
    const c = this[COLUMNS], i = this[INDEX];
    const k = c.first[i] + from;
    const chunk = (i / PAPERS_PER_CHUNK) | 0, base = c.chunkStart[chunk], text = c.chunks[chunk];
    const out: string[] = new Array(count);
    for (let a = 0; a < count; a++) out[a] = text.slice(c.offsets[k + a] - base, c.offsets[k + a + 1] - base);
    return out;
  }

  /** Keeps `value` as the paper's own `name` (after an assignment). */
  private keep<T>(name: string, value: T): T {
    Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
    return value;
  }

  get title(): string { return this.str(1); }
  set title(v: string) { this.keep('title', v); }
  get venue(): string | undefined { return this.str(2) || undefined; }
  set venue(v: string | undefined) { this.keep('venue', v); }
  get abstract(): string | undefined { return this.str(3) || undefined; }
  set abstract(v: string | undefined) { this.keep('abstract', v); }
  get arxiv(): string | undefined { return this.str(4) || undefined; }
  set arxiv(v: string | undefined) { this.keep('arxiv', v); }
  get doi(): string | undefined { return this.str(5) || undefined; }
  set doi(v: string | undefined) { this.keep('doi', v); }
  get url(): string | undefined { return this.str(6) || undefined; }
  set url(v: string | undefined) { this.keep('url', v); }
  get entryType(): string | undefined { return this.str(7) || undefined; }
  set entryType(v: string | undefined) { this.keep('entryType', v); }
  get year(): number | undefined {
    const y = this[COLUMNS].years[this[INDEX]];
    return y === NO_YEAR ? undefined : y;
  }
  set year(v: number | undefined) { this.keep('year', v); }
  get authors(): string[] {
    return this.list(STRING_FIELDS.length, this[COLUMNS].counts[2 * this[INDEX]]);
  }
  set authors(v: string[]) { this.keep('authors', v); }
  get keywords(): string[] | undefined {
    const c = this[COLUMNS], i = this[INDEX];
    return c.counts[2 * i + 1] ? this.list(STRING_FIELDS.length + c.counts[2 * i], c.counts[2 * i + 1]) : undefined;
  }
  set keywords(v: string[] | undefined) { this.keep('keywords', v); }
  get range(): SourceRange | undefined {
    const r = this[COLUMNS].ranges, j = 4 * this[INDEX];
    return r[j] >= 0 ? { startLine: r[j], startColumn: r[j + 1], endLine: r[j + 2], endColumn: r[j + 3] } : undefined;
  }
  set range(v: SourceRange | undefined) { this.keep('range', v); }

  toJSON(): Paper {
    return plainPaper(this as unknown as Paper);
  }
}

/**
 * The cache bytes of a parsed and indexed source. Papers are stored column-wise: every string in
 * one UTF-16 text with an offset table (loading is one decode and slices), numbers in typed arrays.
 */
export function encodeSourceCache(c: CachedSource & { segment: Segment }, stamp: FileStamp): Uint8Array {
  return appendSegment(encodePapers(c, stamp), c.segment);
}

/** Cache bytes of `papers` (made by {@link encodePapers}) completed with the source's index segment. */
export function appendSegment(papers: Uint8Array, segment: Segment): Uint8Array {
  return concat([papers, segmentToBytes(segment)]).bytes;
}

/**
 * The cache bytes of a source's papers without its index (what the library worker sends first:
 * {@link decodeSourceCache} reads them with `segment` undefined).
 */
export function encodePapers(c: Omit<CachedSource, 'segment'>, stamp: FileStamp): Uint8Array {
  const n = c.papers.length;
  const strings: string[] = [];
  const years = new Int32Array(n);
  const ranges = new Int32Array(n * 4).fill(-1);
  const counts = new Uint32Array(n * 2); // authors, keywords
  const hashes = c.titleHashes?.length === n ? c.titleHashes : Float64Array.from(c.papers, (p) => titleHash(p.title, p.year));
  const ids = c.idHashes?.length === 2 * n ? c.idHashes : idHashesOf(c.papers);
  c.papers.forEach((p, i) => {
    for (const f of STRING_FIELDS) strings.push(p[f] ?? '');
    for (const a of p.authors) strings.push(a);
    for (const k of p.keywords ?? []) strings.push(k);
    counts[2 * i] = p.authors.length;
    counts[2 * i + 1] = p.keywords?.length ?? 0;
    years[i] = p.year ?? NO_YEAR;
    if (p.range) ranges.set([p.range.startLine, p.range.startColumn, p.range.endLine, p.range.endColumn], 4 * i);
  });
  const offsets = new Uint32Array(strings.length + 1);
  for (let i = 0; i < strings.length; i++) offsets[i + 1] = offsets[i] + strings[i].length;
  const text = strings.join('');
  const utf16 = encodeUtf16(text);
  const header = new TextEncoder().encode(JSON.stringify({
    source: c.source, size: stamp.size, mtimeMs: stamp.mtimeMs, context: stamp.context ?? '', segmentFormat: SEGMENT_FORMAT_VERSION,
    diagnostics: c.diagnostics, macros: c.macros ? [...c.macros] : null, papers: n, strings: strings.length,
  }));
  const lead = new Uint8Array(16);
  const view = new DataView(lead.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, SOURCE_CACHE_VERSION, true);
  view.setUint32(8, header.length, true);
  return concat([lead, header, asBytes(hashes), asBytes(ids), asBytes(years), asBytes(ranges), asBytes(counts), asBytes(offsets), utf16]).bytes;
}

/**
 * The source cached in `bytes`, if they were made from a file with exactly this stamp by this
 * version of the cache; undefined otherwise (including for damaged bytes).
 */
export function decodeSourceCache(bytes: Uint8Array, stamp: FileStamp): CachedSource | undefined {
  const r = readCache(bytes, stamp);
  r?.make(r.count);
  return r?.source;
}

/**
 * {@link decodeSourceCache} that makes the papers in slices of `slice`, awaiting `pause()`
 * between them, so that taking in a 100k-entry library does not hold the thread.
 */
export async function decodeSourceCacheAsync(bytes: Uint8Array, stamp: FileStamp, pause: () => Promise<void>, slice = PAPERS_PER_CHUNK): Promise<CachedSource | undefined> {
  const r = readCache(bytes, stamp);
  if (!r) return undefined;
  for (let made = 0; made < r.count; made += slice) {
    await pause();
    r.make(slice);
  }
  return r.source;
}

/** What {@link readCache} found: the source, whose `papers` are made by `make` (`count` in all). */
interface CacheReading {
  source: CachedSource;
  count: number;
  /** Makes the next `count` papers. */
  make(count: number): void;
}

/** Reads cache bytes; with no `stamp`, only the segment (papers empty, nothing checked against a file). */
function readCache(bytes: Uint8Array, stamp: FileStamp | undefined): CacheReading | undefined {
  try {
    if (bytes.byteLength < 16) return undefined;
    // typed-array views need aligned offsets
    const buf = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== SOURCE_CACHE_VERSION) return undefined;
    const headerLength = view.getUint32(8, true);
    if (16 + headerLength > buf.byteLength) return undefined;
    const h = JSON.parse(new TextDecoder().decode(buf.subarray(16, 16 + headerLength))) as {
      source: string; size: number; mtimeMs: number; context: string; segmentFormat: number; diagnostics: Diagnostic[];
      macros: [string, string][] | null; papers: number; strings: number;
    };
    if (h.segmentFormat !== SEGMENT_FORMAT_VERSION) return undefined;
    if (stamp && (h.size !== stamp.size || h.mtimeMs !== stamp.mtimeMs || h.context !== (stamp.context ?? ''))) return undefined;
    const n = h.papers;
    let at = (16 + headerLength + 7) & ~7;
    const take = <T>(make: (buffer: ArrayBufferLike, offset: number, length: number) => T, length: number, size: number): T => {
      if (at + length * size > buf.byteLength) throw new Error('truncated');
      const v = make(buf.buffer, buf.byteOffset + at, length);
      at = (at + length * size + 7) & ~7;
      return v;
    };
    const titleHashes = take((b, o, l) => new Float64Array(b, o, l), n, 8);
    const idHashes = take((b, o, l) => new Float64Array(b, o, l), 2 * n, 8);
    const years = take((b, o, l) => new Int32Array(b, o, l), n, 4);
    const ranges = take((b, o, l) => new Int32Array(b, o, l), n * 4, 4);
    const counts = take((b, o, l) => new Uint32Array(b, o, l), n * 2, 4);
    const offsets = take((b, o, l) => new Uint32Array(b, o, l), h.strings + 1, 4);
    const chars = offsets[h.strings];
    const textBytes = take((b, o, l) => new Uint8Array(b, o, l), chars * 2, 1);
    if (at > buf.byteLength) at = buf.byteLength; // the text was the last part
    // the segment follows, unless these are the papers alone (see encodePapers)
    const segment = at < buf.byteLength ? segmentFromBytes(buf.subarray(at)) : undefined;
    if (at < buf.byteLength && (!segment || segment.docCount !== n)) return undefined;
    if (!stamp) return { source: { source: h.source, papers: [], diagnostics: h.diagnostics, segment }, count: 0, make: () => undefined };

    // where each paper's strings start: its fixed fields, then its authors and keywords
    const first = new Uint32Array(n);
    let k = 0;
    for (let i = 0; i < n; i++) {
      first[i] = k;
      k += STRING_FIELDS.length + counts[2 * i] + counts[2 * i + 1];
    }
    if (k !== h.strings) return undefined;
    const chunkCount = Math.ceil(n / PAPERS_PER_CHUNK);
    const chunkStart = new Uint32Array(chunkCount + 1);
    for (let c = 0; c <= chunkCount; c++) chunkStart[c] = offsets[c < chunkCount ? first[c * PAPERS_PER_CHUNK] : h.strings];
    const columns: Columns = { chunks: new Array<string>(chunkCount).fill(''), chunkStart, offsets, first, counts, years, ranges };
    const papers: Paper[] = new Array(n);
    let made = 0;
    const make = (count: number): void => {
      const stop = Math.min(n, made + count);
      for (let i = made; i < stop; i++) {
        const chunk = (i / PAPERS_PER_CHUNK) | 0, base = chunkStart[chunk];
        if (i === made || i % PAPERS_PER_CHUNK === 0) {
          if (columns.chunks[chunk] === '' && chunkStart[chunk + 1] > base) columns.chunks[chunk] = decodeUtf16(textBytes.subarray(2 * base, 2 * chunkStart[chunk + 1]));
        }
        const s = offsets[first[i]];
        papers[i] = new CachedPaper(columns.chunks[chunk].slice(s - base, offsets[first[i] + 1] - base), h.source, columns, i) as unknown as Paper;
      }
      made = stop;
    };
    const source = { source: h.source, papers, diagnostics: h.diagnostics, macros: h.macros ? new Map(h.macros) : undefined, segment, titleHashes, idHashes };
    return { source, count: n, make };
  } catch {
    return undefined;
  }
}
