/**
 * The built-in corpus as stored in `corpus/papers.json`, and its conversion to the paper model.
 */
import { BUILTIN_SOURCE, Paper } from '../model/paper';

/** One paper of `corpus/papers.json`. */
export interface CorpusPaper {
  key: string;
  title: string;
  abstract: string;
  authors: string[];
  year: number;
  venue?: string;
  arxiv?: string;
  url?: string;
}

/** Built-in corpus papers in the shared paper model. */
export function corpusPapers(entries: readonly CorpusPaper[]): Paper[] {
  return entries.map((e) => ({
    key: e.key,
    title: e.title,
    abstract: e.abstract,
    authors: e.authors,
    year: e.year,
    venue: e.venue,
    arxiv: e.arxiv,
    url: e.url ?? (e.arxiv ? `https://arxiv.org/abs/${e.arxiv}` : undefined),
    entryType: e.venue ? (/journal|transactions|access|tmlr/i.test(e.venue) ? 'article' : 'inproceedings') : 'misc',
    source: BUILTIN_SOURCE,
  }));
}
