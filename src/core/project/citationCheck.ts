/**
 * Whether a cited key will resolve when the project is built: the one judgement the editor's
 * diagnostics and `citelens check` share. A key is fine when one of the project's bibliographies has
 * it; a key only the built-in corpus or another library has is not (BibTeX, Biber and citeproc read
 * only the project's files), and says where it is, so the editor can offer to add the entry.
 */
import { BUILTIN_SOURCE, Paper } from '../model/paper';
import { baseName } from './projectHost';

/** One bibliography of the project as loaded: its source id (path or URI) and the keys it holds. */
export interface LoadedBibliography {
  source: string;
  keys: ReadonlySet<string>;
}

export type CitationVerdict =
  | { kind: 'ok' }
  /** No library has the key. */
  | { kind: 'unknown' }
  /** The project's bibliography has the paper under another key. */
  | { kind: 'otherKey'; paper: Paper }
  /** Another library (or the built-in corpus) has it; the project's bibliographies do not. */
  | { kind: 'notInBibliography'; paper: Paper };

export function judgeCitation(key: string, library: { get(key: string): Paper | undefined }, bibliographies: readonly LoadedBibliography[]): CitationVerdict {
  if (bibliographies.some((b) => b.keys.has(key))) return { kind: 'ok' };
  const paper = library.get(key);
  if (!paper) return { kind: 'unknown' };
  // a document that names no bibliography cites from the libraries (a note, a draft): nothing to miss
  if (!bibliographies.length) return { kind: 'ok' };
  if (bibliographies.some((b) => b.source === paper.source)) return paper.key === key ? { kind: 'ok' } : { kind: 'otherKey', paper };
  return { kind: 'notInBibliography', paper };
}

/** "'k' is in the built-in corpus but not in references.bib": the words of a verdict, for the user. */
export function verdictMessage(key: string, verdict: CitationVerdict, bibliographyNames: readonly string[]): string {
  const names = bibliographyNames.map(baseName).join(', ');
  switch (verdict.kind) {
    case 'ok':
      return '';
    case 'unknown':
      return `Unknown citation key '${key}': no library has it.`;
    case 'otherKey':
      return `'${key}' is in ${baseName(verdict.paper.source)} as '${verdict.paper.key}'.`;
    case 'notInBibliography':
      return verdict.paper.source === BUILTIN_SOURCE
        ? `'${key}' is in the built-in corpus but not in ${names}.`
        : `'${key}' is in ${baseName(verdict.paper.source)} but not in ${names}.`;
  }
}
