/**
 * Full-text search over papers with MiniSearch. One `PaperIndex` serves one source (the built-in
 * corpus, or one library file), so a changed file re-indexes alone; `searchAll` merges them.
 *
 * The options below are shared by the build-time indexer (`scripts/buildIndex.ts`) and the loader:
 * MiniSearch's `loadJSON` needs exactly the options that built the index.
 */
import MiniSearch, { Options, SearchResult } from 'minisearch';
import { Paper, foldAscii, systemName } from './paper';

/** Document shape fed to MiniSearch: `id` is the paper's position in its source. */
interface IndexedDoc {
  id: number;
  paper: Paper;
}

/** Bumped whenever the options below change the index's content (cache invalidation). */
export const INDEX_FORMAT_VERSION = 1;

/** Field weights: title and system name above ids, above authors, above abstract. */
export const FIELD_BOOST: Record<string, number> = { name: 5, title: 3, ids: 3, authors: 2, abstract: 0.4 };

/** Words so common in titles and queries that indexing them only adds noise. */
const STOP = new Set(['a', 'an', 'and', 'are', 'as', 'at', 'by', 'for', 'from', 'in', 'is', 'of', 'on', 'or', 'the', 'to', 'via', 'with']);

/** Lower-case, fold accents, drop stop words. Shared by indexing and querying. */
export function processTerm(term: string): string | null {
  const t = foldAscii(term).toLowerCase();
  return t && !STOP.has(t) ? t : null;
}

/** The MiniSearch options shared between build time and load time. */
export const SEARCH_OPTIONS: Options<IndexedDoc> = {
  idField: 'id',
  fields: ['name', 'title', 'ids', 'authors', 'abstract'],
  storeFields: [],
  extractField: (doc, field) => {
    const p = doc.paper;
    switch (field) {
      case 'id':
        return String(doc.id);
      case 'name': {
        const n = systemName(p.title);
        // "Megatron-LM" is also searchable as "megatronlm"
        return n ? `${n} ${n.replace(/[^\p{L}\p{N}]+/gu, '')}` : '';
      }
      case 'title':
        return p.title;
      case 'ids':
        return [p.key, p.arxiv, p.doi, p.year].filter(Boolean).join(' ');
      case 'authors':
        return p.authors.join(' ');
      case 'abstract':
        return p.abstract ?? '';
      default:
        return '';
    }
  },
  processTerm,
};

/** One hit: the paper and its score (higher is better). */
export interface SearchHit {
  paper: Paper;
  score: number;
}

/** A searchable set of papers from one source. */
export class PaperIndex {
  private readonly byKey = new Map<string, number>();
  private readonly byId = new Map<string, number>();

  private constructor(readonly papers: readonly Paper[], private readonly mini: MiniSearch<IndexedDoc>) {
    papers.forEach((p, i) => {
      this.byKey.set(p.key.toLowerCase(), i);
      if (p.arxiv) this.byId.set(p.arxiv.toLowerCase(), i);
      if (p.doi) this.byId.set(p.doi.toLowerCase(), i);
    });
  }

  /** Indexes `papers` now. */
  static build(papers: readonly Paper[]): PaperIndex {
    const mini = new MiniSearch<IndexedDoc>(SEARCH_OPTIONS);
    mini.addAll(papers.map((paper, id) => ({ id, paper })));
    return new PaperIndex(papers, mini);
  }

  /** Loads an index serialised by {@link PaperIndex.toJSON} for the same `papers`. */
  static load(papers: readonly Paper[], json: string): PaperIndex {
    return new PaperIndex(papers, MiniSearch.loadJSON<IndexedDoc>(json, SEARCH_OPTIONS));
  }

  /** Scores of every paper matching any term of `query` (whole words and short prefixes, no typos). */
  scoreAll(query: string): Map<Paper, number> {
    const out = new Map<Paper, number>();
    const results = this.mini.search(query, { boost: { title: 2, name: 2, abstract: 1 }, fields: ['title', 'name', 'abstract'], prefix: (t) => t.length >= 6, combineWith: 'OR' });
    for (const r of results) out.set(this.papers[r.id as number], r.score);
    return out;
  }

  toJSON(): unknown {
    return this.mini.toJSON();
  }

  /** Ranked hits for `query` (best first), at most `limit`. An empty query returns nothing. */
  search(query: string, limit = 50): SearchHit[] {
    const q = query.trim();
    if (!q) return [];
    const exact = this.byKey.get(q.toLowerCase()) ?? this.byId.get(q.toLowerCase().replace(/^(arxiv:|https?:\/\/arxiv\.org\/abs\/)/, '').replace(/v\d+$/, ''));
    const terms = q.split(/\s+/);
    const lastPrefix = !/\s$/.test(query);
    const searchOptions = {
      boost: FIELD_BOOST,
      // prefix matching for the word being typed and for longer words; typo tolerance bounded
      // by word length so short words never fan out into hundreds of terms
      prefix: (term: string, i: number, all: string[]) => (i === all.length - 1 && lastPrefix) || term.length >= 5,
      fuzzy: (term: string) => (term.length >= 7 ? 2 : term.length >= 4 ? 1 : 0),
      weights: { fuzzy: 0.45, prefix: 0.7 },
    };
    let results: SearchResult[] = this.mini.search(q, { ...searchOptions, combineWith: 'AND' });
    if (results.length === 0 && terms.length > 1) results = this.mini.search(q, { ...searchOptions, combineWith: 'OR' });
    const hits: SearchHit[] = results.slice(0, limit).map((r) => ({ paper: this.papers[r.id as number], score: r.score }));
    if (exact !== undefined) {
      const p = this.papers[exact];
      const top = hits.length ? hits[0].score : 1;
      return [{ paper: p, score: top * 2 + 1 }, ...hits.filter((h) => h.paper !== p)].slice(0, limit);
    }
    return hits;
  }
}

/** Searches several indexes and merges their hits by score, best first. */
export function searchAll(indexes: readonly PaperIndex[], query: string, limit = 50, accept?: (p: Paper) => boolean): SearchHit[] {
  const all: SearchHit[] = [];
  for (const ix of indexes) for (const h of ix.search(query, limit * 2)) if (!accept || accept(h.paper)) all.push(h);
  all.sort((a, b) => b.score - a.score);
  return all.slice(0, limit);
}

