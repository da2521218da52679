/**
 * Reading a library file of any supported format into papers: BibTeX/BibLaTeX (`.bib`),
 * CSL-JSON (`.json`), and page listings (`.txt`). Never throws: problems become diagnostics.
 */
import { parseBibtex } from './bibtex/reader';
import { decodeText } from './decodeText';
import { parseCslJson } from './cslJson';
import { readPageListing } from './pageListing';
import { SourceResult } from '../model/paper';

export type LibraryFormat = 'bibtex' | 'csl-json' | 'listing';

/** The format a library file is read as, from its name. */
export function formatOf(path: string): LibraryFormat | undefined {
  const p = path.toLowerCase();
  if (p.endsWith('.bib') || p.endsWith('.bibtex') || p.endsWith('.biblatex')) return 'bibtex';
  if (p.endsWith('.json') || p.endsWith('.csl') || p.endsWith('.csljson')) return 'csl-json';
  if (p.endsWith('.txt')) return 'listing';
  return undefined;
}

/** The result of reading a file, plus the @string macros it defined (BibTeX only). */
export interface ReadResult extends SourceResult {
  macros?: Map<string, string>;
}

/** Most lines with stray NUL bytes reported one by one; the rest are counted in one message. */
const MAX_NUL_LINES = 20;

/**
 * Reads one library file's bytes. `macros` are @string definitions from other files of the same library.
 * A binary file is reported by name and reads as nothing; a text file with a few stray NUL bytes
 * (a crash, a bad copy) loads without them, and the lines that held them are reported.
 */
export function readLibraryFile(source: string, bytes: Uint8Array, macros?: Map<string, string>): ReadResult {
  try {
    const format = formatOf(source);
    if (bytes.length > 0 && looksBinary(bytes)) {
      return { source, papers: [], diagnostics: [{ source, line: 1, column: 1, severity: 'error', message: `${fileName(source)} is binary, not a text library; nothing was read from it` }] };
    }
    const nuls = strayNuls(bytes);
    const { text } = decodeText(nuls.bytes);
    const result = readText(format, source, text, macros);
    if (nuls.lines.length) result.diagnostics = [...nuls.lines.map((l) => nulDiagnostic(source, l)), ...result.diagnostics];
    return result;
  } catch (e) {
    return { source, papers: [], diagnostics: [{ source, line: 1, column: 1, severity: 'error', message: `could not read this file: ${e instanceof Error ? e.message : String(e)}` }] };
  }
}

function readText(format: LibraryFormat | undefined, source: string, text: string, macros: Map<string, string> | undefined): ReadResult {
  switch (format) {
    case 'bibtex': {
      const r = parseBibtex(text, source, { macros });
      return { source, papers: r.papers, diagnostics: r.diagnostics, macros: r.macros };
    }
    case 'csl-json':
      return parseCslJson(text, source);
    case 'listing':
      return readPageListing(text, source);
    default:
      return { source, papers: [], diagnostics: [{ source, line: 1, column: 1, severity: 'error', message: 'unknown library format (expected .bib, .json (CSL-JSON) or .txt (page listing))' }] };
  }
}

function nulDiagnostic(source: string, l: { line: number; count: number; more?: number }): ReadResult['diagnostics'][number] {
  const message = l.more !== undefined
    ? `stray NUL bytes on ${l.more} more lines were ignored`
    : `${l.count === 1 ? 'a stray NUL byte' : `${l.count} stray NUL bytes`} on this line ${l.count === 1 ? 'was' : 'were'} ignored`;
  return { source, line: l.line, column: 1, severity: 'warning', message };
}

function fileName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1) || path;
}

/**
 * The bytes without their NUL bytes, and the lines (1-based) that held them, with how many. The
 * bytes are returned as they are when there is no NUL.
 */
export function strayNuls(bytes: Uint8Array): { bytes: Uint8Array; lines: { line: number; count: number; more?: number }[] } {
  const first = bytes.indexOf(0);
  if (first < 0) return { bytes, lines: [] };
  const out = new Uint8Array(bytes.length);
  out.set(bytes.subarray(0, first));
  let n = first;
  const lines: { line: number; count: number; more?: number }[] = [];
  let line = 1;
  for (let i = 0; i < first; i++) if (bytes[i] === 10) line++;
  let more = 0, lastMore = -1;
  for (let i = first; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0) {
      if (b === 10) line++;
      out[n++] = b;
      continue;
    }
    const last = lines[lines.length - 1];
    if (last && last.line === line) last.count++;
    else if (lines.length < MAX_NUL_LINES) lines.push({ line, count: 1 });
    else if (lastMore !== line) {
      more++;
      lastMore = line;
    }
  }
  if (more) lines.push({ line: lines[lines.length - 1].line, count: 0, more });
  return { bytes: out.subarray(0, n), lines };
}

/** File signatures of binary formats a library setting may point at by mistake. */
const MAGIC: readonly number[][] = [
  [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  [0x50, 0x4b, 0x03, 0x04], // zip (docx, xlsx, epub)
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x1f, 0x8b], // gzip
  [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66], // SQLite format 3
  [0x7f, 0x45, 0x4c, 0x46], // ELF
];

/**
 * True for a binary file: a known binary signature, or (in the first 64 KB) control characters
 * other than NUL in more than 5% of the other bytes, or nothing but NULs. NUL bytes alone do not
 * make a file binary: a text file's stray NULs (a crash, a bad copy) are left to {@link strayNuls}.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  for (const m of MAGIC) if (bytes.length >= m.length && m.every((b, i) => bytes[i] === b)) return true;
  const n = Math.min(bytes.length, 65536);
  let control = 0, nul = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) nul++;
    else if (b < 9 || (b > 13 && b < 32)) control++;
  }
  const other = n - nul;
  if (other === 0) return n > 0;
  return control / other > 0.05;
}
