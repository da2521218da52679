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

/** Reads one library file's bytes. `macros` are @string definitions from other files of the same library. */
export function readLibraryFile(source: string, bytes: Uint8Array, macros?: Map<string, string>): ReadResult {
  try {
    const format = formatOf(source);
    const { text } = decodeText(bytes);
    if (bytes.length > 0 && looksBinary(bytes)) {
      return { source, papers: [], diagnostics: [{ source, line: 1, column: 1, severity: 'error', message: 'this file is binary, not a text library; nothing was read from it' }] };
    }
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
  } catch (e) {
    return { source, papers: [], diagnostics: [{ source, line: 1, column: 1, severity: 'error', message: `could not read this file: ${e instanceof Error ? e.message : String(e)}` }] };
  }
}

/** True when the first 8 KB hold NUL bytes or mostly control characters. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return n > 0 && control / n > 0.1;
}
