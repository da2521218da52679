/**
 * One paper known to several sources: the entry shown (the user's, when the user has it) decides
 * the key, the title and every field it has; the others fill what it lacks. A writer who cites a
 * built-in paper keeps its abstract, topics and identifiers in hovers, cards and related papers.
 */
import { Paper, plainPaper } from '../model/paper';

/** The fields another source may fill (never the key, title, source or where the entry sits). */
const FILLABLE = ['year', 'venue', 'abstract', 'arxiv', 'doi', 'url', 'entryType'] as const;

/**
 * `shown` with what `other` knows and it lacks, and `other`'s source among its `sources`; `shown`
 * itself when `other` brings nothing (no copy made: most duplicates are exact copies).
 */
export function fillPaper(shown: Paper, other: Paper): Paper {
  const lacks = FILLABLE.filter((f) => isEmpty(shown[f]) && !isEmpty(other[f]));
  const authors = !shown.authors.length && other.authors.length > 0;
  const keywords = !shown.keywords?.length && !!other.keywords?.length;
  if (!lacks.length && !authors && !keywords) return shown;
  // a copy as plain data: spreading a class-backed paper would lose its getters
  const out = plainPaper(shown);
  const fields = shown.fields;
  if (fields) out.fields = fields;
  const target = out as unknown as Record<string, unknown>;
  for (const f of lacks) target[f] = other[f];
  if (authors) out.authors = other.authors;
  if (keywords) out.keywords = other.keywords;
  const known = shown.sources ?? [shown.source];
  out.sources = [...known, ...(other.sources ?? [other.source]).filter((s) => !known.includes(s))];
  return out;
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === '';
}
