/**
 * The library: every source's papers merged into one set, each with its search index.
 * Data flow: sources (built-in corpus, .bib, CSL-JSON, listings) → Library → indexes → features.
 *
 * The same paper from two sources (same DOI, same arXiv id, or same normalised title and year)
 * appears once. User sources win over the built-in corpus, so the user's key is the one cited;
 * the built-in key stays resolvable as an alias. What the winning entry lacks (abstract, venue,
 * keywords, identifiers) is filled from the others, so citing a built-in paper loses nothing.
 */
import { BUILTIN_SOURCE, Diagnostic, Paper, SourceResult, idHashesOf, titleHash } from '../model/paper';
import { fillPaper } from './fillPaper';
import { PaperIndex, SearchHit, indexPapersAsync } from '../search/searchIndex';
import { Segment } from '../search/termIndex';

/** One loaded source; it may bring its index segment (prebuilt for the built-in corpus, or from the cache). */
export interface LoadedSource extends SourceResult {
  segment?: Segment;
  /** Each paper's `titleHash`, when known already (the cache keeps them). */
  titleHashes?: Float64Array;
  /** Each paper's `doiHash` and `arxivHash` (at 2i and 2i + 1), when known already (the cache keeps them). */
  idHashes?: Float64Array;
}

/** A source as the library keeps it: its papers' identity hashes (see `titleHash`, `doiHash`) are worked out once. */
interface HeldSource extends SourceResult {
  titleHashes?: Float64Array;
  idHashes?: Float64Array;
  /** Its duplicates of papers shown from other sources (set by the last merge). */
  hidden?: Uint8Array;
}

/** A source's one-line status for the user. */
export interface SourceStatus {
  source: string;
  entries: number;
  diagnostics: Diagnostic[];
}

/**
 * The merged view: shown papers (user sources' first, then the built-in corpus's), keys, and the
 * identities seen. Built up one source at a time, so a source that arrives adds work in proportion
 * to its own size; the built-in corpus's part (last, small) is taken off and put back around it.
 */
interface Merged {
  papers: Paper[];
  byKey: Map<string, Paper>;
  /** Identity hash → the shown paper's index in `papers`. */
  seenDoi: Map<number, number>;
  seenArxiv: Map<number, number>;
  seenTitle: Map<number, number>;
  /** A shown paper with what other sources filled in (absent: nothing to fill). */
  filled: Map<Paper, Paper>;
  /** The same, by index in `papers` (a snapshot patches a copy of the list, no lookup per paper). */
  filledAt: Map<number, Paper>;
  /** A duplicate that brought something to fill → the shown paper it duplicates (searches find it for it). */
  shownOf: Map<Paper, Paper>;
  /** The papers as handed out (filled): a copy, so a holder never sees the list change under it. */
  snapshot?: readonly Paper[];
  /** What the built-in corpus added, to take it off again. */
  builtin?: MergeRecord & { shown: number };
}

/** What one source's merge added (to take the built-in corpus's part off again). */
interface MergeRecord {
  keys: string[];
  doi: number[];
  arxiv: number[];
  title: number[];
  /** Shown papers (index, paper) whose filled form changed, with the form before (undefined: none). */
  filled: [number, Paper, Paper | undefined][];
  shownOf: Paper[];
}

export class Library {
  private readonly sources = new Map<string, HeldSource>();
  /** One index over every source (a segment each), so scores compare across sources. */
  private readonly index = PaperIndex.empty();
  private merged: Merged | undefined;
  /** Whether the merged view is stale, and whether only new user sources were added since. */
  private stale: 'no' | 'appended' | 'all' = 'all';
  private readonly appended: string[] = [];
  private readonly listeners = new Set<() => void>();
  /** Bumped by every change, so a slow asynchronous indexing never overwrites a newer version. */
  private readonly generation = new Map<string, number>();

  /** Adds or replaces a source (by its `source` id), indexing it now unless it brings its segment. */
  setSource(source: LoadedSource): void {
    this.bump(source.source);
    this.index.set(source.source, source.papers, source.segment);
    const isNew = !this.sources.has(source.source);
    this.sources.set(source.source, { source: source.source, papers: source.papers, diagnostics: source.diagnostics, titleHashes: source.titleHashes, idHashes: source.idHashes });
    this.changed(source.source, isNew);
  }

  removeSource(id: string): void {
    this.bump(id);
    this.index.delete(id);
    if (this.sources.delete(id)) this.changed(id, false);
  }

  private bump(id: string): number {
    const g = (this.generation.get(id) ?? 0) + 1;
    this.generation.set(id, g);
    return g;
  }

  /**
   * Like {@link setSource}, but indexes a large source in slices that yield to other work. The
   * papers are searchable at once (by scanning, see {@link setSourcePending}) and fully indexed
   * when the returned promise settles.
   */
  async setSourceAsync(source: LoadedSource): Promise<void> {
    if (source.papers.length < 5000 || source.segment?.docCount === source.papers.length) return this.setSource(source);
    const install = this.setSourcePending(source);
    install(await indexPapersAsync(source.papers));
  }

  /**
   * Adds or replaces a source whose index is being built elsewhere (the library worker): its papers
   * are in the library and searchable at once, by scanning titles, authors, keys and years, until
   * the returned function installs the index. A call after the source was replaced or removed is
   * ignored.
   */
  setSourcePending(source: LoadedSource): (segment: Segment) => void {
    const id = source.source;
    const g = this.bump(id);
    this.index.setPending(id, source.papers);
    const held: HeldSource = { source: id, papers: source.papers, diagnostics: source.diagnostics, titleHashes: source.titleHashes, idHashes: source.idHashes };
    const isNew = !this.sources.has(id);
    this.sources.set(id, held);
    this.changed(id, isNew);
    return (segment) => {
      if (this.generation.get(id) !== g) return; // replaced or removed meanwhile
      // the same papers, now indexed: searches change, the library does not (no change event,
      // so views and diagnostics do not work everything out again)
      this.index.set(id, source.papers, segment);
      if (this.merged) this.index.setHidden(id, held.hidden);
    };
  }

  /** The index segment of source `id`, once it is indexed (undefined while it is pending). */
  segment(id: string): Segment | undefined {
    return this.index.segment(id);
  }

  hasSource(id: string): boolean {
    return this.sources.has(id);
  }

  sourceIds(): string[] {
    return [...this.sources.keys()];
  }

  /** Called after every change; returns an unsubscribe function. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(id: string, isNew: boolean): void {
    // a new user source only adds to the merged view; anything else redoes it when next asked
    if (isNew && id !== BUILTIN_SOURCE && this.stale !== 'all') {
      this.stale = 'appended';
      this.appended.push(id);
    } else this.stale = 'all';
    for (const l of [...this.listeners]) l();
  }

  /** User sources first (in insertion order), the built-in corpus last. */
  private ordered(): HeldSource[] {
    const all = [...this.sources.values()];
    return [...all.filter((s) => s.source !== BUILTIN_SOURCE), ...all.filter((s) => s.source === BUILTIN_SOURCE)];
  }

  private merge(): Merged {
    if (this.merged && this.stale === 'no') return this.merged;
    if (!this.merged || this.stale === 'all') {
      this.merged = { papers: [], byKey: new Map(), seenDoi: new Map(), seenArxiv: new Map(), seenTitle: new Map(), filled: new Map(), filledAt: new Map(), shownOf: new Map() };
      for (const s of this.ordered()) if (s.source !== BUILTIN_SOURCE) this.mergeSource(this.merged, s);
    } else {
      this.takeOffBuiltin(this.merged);
      for (const id of this.appended) {
        const s = this.sources.get(id);
        if (s) this.mergeSource(this.merged, s);
      }
    }
    this.appended.length = 0;
    this.merged.snapshot = undefined;
    const builtin = this.sources.get(BUILTIN_SOURCE);
    if (builtin) {
      const m = this.merged;
      const before = m.papers.length;
      const added = { shown: 0, keys: [], doi: [], arxiv: [], title: [], filled: [], shownOf: [] } as MergeRecord & { shown: number };
      this.mergeSource(m, builtin, added);
      added.shown = m.papers.length - before;
      m.builtin = added;
    }
    this.stale = 'no';
    return this.merged;
  }

  /** Undoes what the built-in corpus added to the merged view (it comes last, after every user source). */
  private takeOffBuiltin(m: Merged): void {
    const b = m.builtin;
    if (!b) return;
    m.papers.length -= b.shown;
    for (const k of b.keys) m.byKey.delete(k);
    for (const h of b.doi) m.seenDoi.delete(h);
    for (const h of b.arxiv) m.seenArxiv.delete(h);
    for (const h of b.title) m.seenTitle.delete(h);
    for (let i = b.filled.length - 1; i >= 0; i--) {
      const [at, shown, before] = b.filled[i];
      if (before) {
        m.filled.set(shown, before);
        m.filledAt.set(at, before);
      } else {
        m.filled.delete(shown);
        m.filledAt.delete(at);
      }
    }
    for (const d of b.shownOf) m.shownOf.delete(d);
    m.builtin = undefined;
  }

  /**
   * Adds one source to the merged view. The same paper (same DOI, same arXiv id, or same normalised
   * title and year, compared by hash: no string is made per paper) is shown once, from the source
   * merged first; `record` notes what was added (for the built-in corpus, taken off again later).
   */
  private mergeSource(m: Merged, s: HeldSource, record?: MergeRecord): void {
    if (s.titleHashes?.length !== s.papers.length) s.titleHashes = Float64Array.from(s.papers, (p) => titleHash(p.title, p.year));
    if (s.idHashes?.length !== 2 * s.papers.length) s.idHashes = idHashesOf(s.papers);
    const th = s.titleHashes, ids = s.idHashes;
    let mask: Uint8Array | undefined;
    const hide = (i: number): void => void ((mask ??= new Uint8Array(s.papers.length))[i] = 1);
    const setKey = (key: string, p: Paper): void => {
      m.byKey.set(key, p);
      record?.keys.push(key);
    };
    for (let i = 0; i < s.papers.length; i++) {
      const p = s.papers[i];
      const doi = ids[2 * i], arxiv = ids[2 * i + 1], title = th[i]; // (NaN: none)
      const at = (doi === doi ? m.seenDoi.get(doi) : undefined) ?? (arxiv === arxiv ? m.seenArxiv.get(arxiv) : undefined) ?? (title === title ? m.seenTitle.get(title) : undefined);
      if (at !== undefined) {
        const same = m.papers[at];
        if (!m.byKey.has(p.key)) setKey(p.key, same); // the other key still resolves
        const before = m.filled.get(same);
        const after = fillPaper(before ?? same, p);
        if (after === (before ?? same)) {
          hide(i);
          continue;
        }
        // it brings what the shown entry lacks: searches that find it find the shown paper
        m.filled.set(same, after);
        m.filledAt.set(at, after);
        m.shownOf.set(p, same);
        record?.filled.push([at, same, before]);
        record?.shownOf.push(p);
        continue;
      }
      // byKey holds shown papers only (a duplicate's key resolves to the paper shown)
      if (m.byKey.has(p.key)) {
        // same key, different paper: the first source wins; the clash is visible in the status
        hide(i);
        continue;
      }
      const index = m.papers.length;
      if (doi === doi) {
        m.seenDoi.set(doi, index);
        record?.doi.push(doi);
      }
      if (arxiv === arxiv) {
        m.seenArxiv.set(arxiv, index);
        record?.arxiv.push(arxiv);
      }
      if (title === title) {
        m.seenTitle.set(title, index);
        record?.title.push(title);
      }
      setKey(p.key, p);
      m.papers.push(p);
    }
    s.hidden = mask;
    this.index.setHidden(s.source, mask); // duplicates are skipped by searches
  }

  /** Every paper once, user sources first, each with what every source knows of it. */
  papers(): readonly Paper[] {
    const m = this.merge();
    if (!m.snapshot) {
      const copy = m.papers.slice();
      for (const [i, p] of m.filledAt) copy[i] = p;
      m.snapshot = copy;
    }
    return m.snapshot;
  }

  /** The paper as handed out for a paper an index holds (a filling duplicate stands for the paper it fills). */
  private shown(m: Merged, p: Paper): Paper {
    const s = m.shownOf.get(p) ?? p;
    return m.filled.get(s) ?? s;
  }

  get size(): number {
    return this.merge().papers.length;
  }

  /** The paper a key names (a user key, or a built-in key whose paper a user source also has). */
  get(key: string): Paper | undefined {
    const m = this.merge();
    const p = m.byKey.get(key);
    return p && (m.filled.get(p) ?? p);
  }

  has(key: string): boolean {
    return this.merge().byKey.has(key);
  }

  /** Ranked search over every source; duplicates of a paper from another source are skipped. */
  search(query: string, limit = 50): SearchHit[] {
    const m = this.merge(); // duplicates are marked hidden in the index, but for those that fill a paper
    if (!m.shownOf.size && !m.filled.size) return this.index.search(query, limit);
    const seen = new Set<Paper>();
    const out: SearchHit[] = [];
    for (const h of this.index.search(query, limit + Math.min(limit, m.shownOf.size))) {
      const p = this.shown(m, h.paper);
      if (seen.has(p)) continue; // the paper and its filling duplicate both matched: the better hit stays
      seen.add(p);
      out.push(p === h.paper ? h : { ...h, paper: p });
      if (out.length === limit) break;
    }
    return out;
  }

  /** Topic-style scores (any term, whole words) over every source, duplicates skipped. */
  scoreAll(query: string): Map<Paper, number> {
    const m = this.merge(); // duplicates are marked hidden in the index, but for those that fill a paper
    const scores = this.index.scoreAll(query);
    if (!m.shownOf.size && !m.filled.size) return scores;
    const out = new Map<Paper, number>();
    for (const [p, s] of scores) {
      const q = this.shown(m, p);
      out.set(q, Math.max(out.get(q) ?? 0, s));
    }
    return out;
  }

  /** Per-source counts and diagnostics. */
  status(): SourceStatus[] {
    return this.ordered().map((s) => ({ source: s.source, entries: s.papers.length, diagnostics: s.diagnostics }));
  }
}
