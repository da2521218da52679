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
import type { Diagnostic, SourceRange, SourceResult } from '../../model/paper';
import { Scanner } from './scanner';
import { internals } from './scanState';
import { inheritFields } from './crossref';
import { entryToPaper } from './paper';

export { setFastPathForTests } from './scanner';
export { decodeFields, entryToPaper } from './paper';
export { splitAuthors } from './names';

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
