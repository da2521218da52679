/**
 * Full-text search over papers with MiniSearch. One `PaperIndex` serves the whole library; each
 * source's papers are added and removed as a batch, so a changed file re-indexes alone.
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
  extractField: (doc, field): any => {
    const p = doc.paper;
    switch (field) {
      case 'id':
        return doc.id;
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

/**
 * A searchable, updatable set of papers. Papers are added and removed in batches (one batch per
 * library source), so a changed file re-indexes alone while scores stay comparable across sources.
 */
export class PaperIndex {
  private readonly papersById = new Map<number, Paper>();
  private readonly byKey = new Map<string, number>();
  private readonly byId = new Map<string, number>();
  private nextId = 0;

  private constructor(private readonly mini: MiniSearch<IndexedDoc>) {}

  /** An empty index. */
  static empty(): PaperIndex {
    return new PaperIndex(new MiniSearch<IndexedDoc>(SEARCH_OPTIONS));
  }

  /** Indexes `papers` now (ids 0…n-1). */
  static build(papers: readonly Paper[]): PaperIndex {
    const ix = PaperIndex.empty();
    ix.add(papers);
    return ix;
  }

  /** Loads an index serialised by {@link PaperIndex.toJSON} of `build(papers)`. */
  static load(papers: readonly Paper[], json: string): PaperIndex {
    const ix = new PaperIndex(MiniSearch.loadJSON<IndexedDoc>(json, SEARCH_OPTIONS));
    ix.register(papers);
    return ix;
  }

  private register(papers: readonly Paper[]): number[] {
    return papers.map((p) => {
      const id = this.nextId++;
      this.papersById.set(id, p);
      this.byKey.set(p.key.toLowerCase(), id);
      if (p.arxiv) this.byId.set(p.arxiv.toLowerCase(), id);
      if (p.doi) this.byId.set(p.doi.toLowerCase(), id);
      return id;
    });
  }

  /** Adds papers in chunks, yielding between them so a large library never blocks the caller's thread for long. */
  async addAsync(papers: readonly Paper[], chunkSize = 500): Promise<number[]> {
    const ids = this.register(papers);
    for (let i = 0; i < ids.length; i += chunkSize) {
      this.mini.addAll(ids.slice(i, i + chunkSize).map((id) => ({ id, paper: this.papersById.get(id)! })));
      if (i + chunkSize < ids.length) await new Promise((r) => setImmediate(r));
    }
    return ids;
  }

  /** Adds papers; returns their ids (for {@link remove}). */
  add(papers: readonly Paper[]): number[] {
    const ids = this.register(papers);
    this.mini.addAll(ids.map((id) => ({ id, paper: this.papersById.get(id)! })));
    return ids;
  }

  /** Removes papers added earlier. */
  remove(ids: readonly number[]): void {
    const live = ids.filter((id) => this.papersById.has(id));
    if (!live.length) return;
    this.mini.discardAll(live);
    for (const id of live) this.papersById.delete(id);
    const dead = new Set(live);
    for (const m of [this.byKey, this.byId]) for (const [k, id] of m) if (dead.has(id)) m.delete(k);
  }

  get size(): number {
    return this.papersById.size;
  }

  /** Scores of every paper matching any term of `query` (whole words and short prefixes, no typos). */
  scoreAll(query: string): Map<Paper, number> {
    const out = new Map<Paper, number>();
    const results = this.mini.search(query, { boost: { title: 2, name: 2, abstract: 1 }, fields: ['title', 'name', 'abstract'], prefix: (t) => t.length >= 6, combineWith: 'OR' });
    for (const r of results) {
      const p = this.papersById.get(r.id as number);
      if (p) out.set(p, r.score);
    }
    return out;
  }

  toJSON(): unknown {
    return this.mini.toJSON();
  }

  /** Ranked hits for `query` (best first), at most `limit`. An empty query returns nothing. */
  search(query: string, limit = 50, accept?: (p: Paper) => boolean): SearchHit[] {
    const q = query.trim();
    if (!q) return [];
    const exactId = this.byKey.get(q.toLowerCase()) ?? this.byId.get(q.toLowerCase().replace(/^(arxiv:|https?:\/\/arxiv\.org\/abs\/)/, '').replace(/v\d+$/, ''));
    const terms = q.split(/\s+/);
    const lastPrefix = !/\s$/.test(query);
    // Prefix matching for the word being typed (from 2 letters) and for longer words. Typo
    // tolerance costs a walk of the whole vocabulary, so it runs only when exact and prefix
    // matches find too little, and it is bounded by word length.
    const exactOptions = {
      boost: FIELD_BOOST,
      prefix: (term: string, i: number, all: string[]) => (i === all.length - 1 && lastPrefix && term.length >= 3) || term.length >= 5,
      weights: { fuzzy: 0.45, prefix: 0.7 },
    };
    const fuzzyOptions = { ...exactOptions, fuzzy: (term: string) => (term.length >= 7 ? 2 : term.length >= 4 ? 1 : 0) };
    const toHits = (results: SearchResult[]) => {
      const hits: SearchHit[] = [];
      for (const r of results) {
        const paper = this.papersById.get(r.id as number);
        if (!paper || (accept && !accept(paper))) continue;
        hits.push({ paper, score: r.score });
        if (hits.length >= limit) break;
      }
      return hits;
    };
    const enough = Math.min(limit, 5);
    let hits = toHits(this.mini.search(q, { ...exactOptions, combineWith: 'AND' }));
    if (hits.length < enough) {
      const fuzzy = toHits(this.mini.search(q, { ...fuzzyOptions, combineWith: 'AND' }));
      if (fuzzy.length > hits.length) hits = fuzzy;
    }
    if (hits.length === 0 && terms.length > 1) hits = toHits(this.mini.search(q, { ...fuzzyOptions, combineWith: 'OR' }));
    const exact = exactId !== undefined ? this.papersById.get(exactId) : undefined;
    if (exact && (!accept || accept(exact))) {
      const top = hits.length ? hits[0].score : 1;
      return [{ paper: exact, score: top * 2 + 1 }, ...hits.filter((h) => h.paper !== exact)].slice(0, limit);
    }
    return hits;
  }
}
