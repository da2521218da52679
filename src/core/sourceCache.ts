/**
 * The persisted cache of one library source: its papers, diagnostics, `@string` macros and index
 * segment, stamped with the file's size and modification time and the cache format. A second
 * start reads this instead of parsing and indexing the file again; any difference in the stamp
 * or the format makes the cache a miss (never a wrong library).
 *
 * Layout: "CTLC", format version, header length, then the header as UTF-8 JSON and the segment
 * bytes (8-byte aligned).
 */
import { Diagnostic, Paper, SourceRange } from './paper';
import { SEGMENT_FORMAT_VERSION, Segment, segmentFromBytes, segmentToBytes } from './termIndex';

/** Bumped whenever the paper record below changes. */
export const SOURCE_CACHE_VERSION = 1;
const MAGIC = 0x434c5443; // "CTLC"

/** What identifies the file a cache was made from. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

/** A source as cached. */
export interface CachedSource {
  source: string;
  papers: Paper[];
  diagnostics: Diagnostic[];
  macros?: Map<string, string>;
  segment: Segment;
}

type PaperRecord = [
  key: string, title: string, authors: string[], year: number | null, venue: string | null, abstract: string | null,
  arxiv: string | null, doi: string | null, url: string | null, entryType: string | null, keywords: string[] | null, range: number[] | null,
];

function toRecord(p: Paper): PaperRecord {
  const r = p.range;
  return [
    p.key, p.title, p.authors, p.year ?? null, p.venue ?? null, p.abstract ?? null, p.arxiv ?? null, p.doi ?? null, p.url ?? null,
    p.entryType ?? null, p.keywords ?? null, r ? [r.startLine, r.startColumn, r.endLine, r.endColumn] : null,
  ];
}

function fromRecord(r: PaperRecord, source: string): Paper {
  const p: Paper = { key: r[0], title: r[1], authors: r[2], source };
  if (r[3] !== null) p.year = r[3];
  if (r[4] !== null) p.venue = r[4];
  if (r[5] !== null) p.abstract = r[5];
  if (r[6] !== null) p.arxiv = r[6];
  if (r[7] !== null) p.doi = r[7];
  if (r[8] !== null) p.url = r[8];
  if (r[9] !== null) p.entryType = r[9];
  if (r[10] !== null) p.keywords = r[10];
  if (r[11] !== null) {
    const [startLine, startColumn, endLine, endColumn] = r[11];
    p.range = { startLine, startColumn, endLine, endColumn } satisfies SourceRange;
  }
  return p;
}

/** The cache bytes of a parsed and indexed source. */
export function encodeSourceCache(c: CachedSource, stamp: FileStamp): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({
    source: c.source, size: stamp.size, mtimeMs: stamp.mtimeMs, segmentFormat: SEGMENT_FORMAT_VERSION,
    diagnostics: c.diagnostics, macros: c.macros ? [...c.macros] : null, papers: c.papers.map(toRecord),
  }));
  const seg = segmentToBytes(c.segment);
  const headerEnd = (12 + header.length + 7) & ~7;
  const out = new Uint8Array(headerEnd + seg.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, SOURCE_CACHE_VERSION, true);
  view.setUint32(8, header.length, true);
  out.set(header, 12);
  out.set(seg, headerEnd);
  return out;
}

/**
 * The source cached in `bytes`, if they were made from a file with exactly this stamp by this
 * version of the cache; undefined otherwise (including for damaged bytes).
 */
export function decodeSourceCache(bytes: Uint8Array, stamp: FileStamp): CachedSource | undefined {
  try {
    if (bytes.byteLength < 12) return undefined;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== SOURCE_CACHE_VERSION) return undefined;
    const headerLength = view.getUint32(8, true);
    if (12 + headerLength > bytes.byteLength) return undefined;
    const h = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as {
      source: string; size: number; mtimeMs: number; segmentFormat: number; diagnostics: Diagnostic[];
      macros: [string, string][] | null; papers: PaperRecord[];
    };
    if (h.size !== stamp.size || h.mtimeMs !== stamp.mtimeMs || h.segmentFormat !== SEGMENT_FORMAT_VERSION) return undefined;
    const segment = segmentFromBytes(bytes.subarray((12 + headerLength + 7) & ~7));
    if (!segment || segment.docCount !== h.papers.length) return undefined;
    return {
      source: h.source,
      papers: h.papers.map((r) => fromRecord(r, h.source)),
      diagnostics: h.diagnostics,
      macros: h.macros ? new Map(h.macros) : undefined,
      segment,
    };
  } catch {
    return undefined;
  }
}
