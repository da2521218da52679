/**
 * Finding a paper of the library by what a user or script has at hand: its key (a BibTeX key or
 * a CSL-JSON id), a DOI (bare, `doi:…` or a doi.org URL) or an arXiv id (bare, `arXiv:…`, with a
 * version, or an arxiv.org URL).
 */
import type { Paper } from '../model/paper';

/** The DOI `id` names, lower-cased, or undefined when it is not a DOI. */
export function doiOf(id: string): string | undefined {
  const m = /^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)?(10\.\d{4,9}\/\S+)$/i.exec(id.trim());
  return m ? m[1].toLowerCase() : undefined;
}

/** The arXiv id `id` names (without version), or undefined when it is not one. */
export function arxivOf(id: string): string | undefined {
  const s = id.trim().replace(/^arxiv:\s*/i, '').replace(/^https?:\/\/(?:www\.)?arxiv\.org\/(?:abs|pdf)\//i, '').replace(/\.pdf$/i, '');
  const m = /^(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/i.exec(s);
  return m ? m[1] : undefined;
}

/**
 * The paper `id` names in `papers` (see the module's comment), looked up with `byKey` first (a
 * key wins over a DOI or arXiv id that happens to look the same), or undefined.
 */
export function paperById(id: string, byKey: (key: string) => Paper | undefined, papers: () => readonly Paper[]): Paper | undefined {
  const direct = byKey(id) ?? byKey(id.trim());
  if (direct) return direct;
  const doi = doiOf(id);
  if (doi) return papers().find((p) => p.doi?.toLowerCase() === doi);
  const arxiv = arxivOf(id);
  if (arxiv) return papers().find((p) => p.arxiv === arxiv);
  return undefined;
}
