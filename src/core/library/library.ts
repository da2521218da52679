/**
 * The library: every source's papers merged into one set, each with its search index.
 * Data flow: sources (built-in corpus, .bib, CSL-JSON, listings) → Library → indexes → features.
 *
 * The same paper from two sources (same DOI, same arXiv id, or same normalised title and year)
 * appears once. User sources win over the built-in corpus, so the user's key is the one cited;
 * the built-in key stays resolvable as an alias.
 */
import { BUILTIN_SOURCE, Diagnostic, Paper, SourceResult, idHashesOf, titleHash } from '../model/paper';
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

export interface SourceStatus {
  source: string;
  entries: number;
  diagnostics: Diagnostic[];
}

export class Library {
  private readonly sources = new Map<string, HeldSource>();
  /** One index over every source (a segment each), so scores compare across sources. */
  private readonly index = PaperIndex.empty();
  private merged: { papers: Paper[]; byKey: Map<string, Paper> } | undefined;
  private readonly listeners = new Set<() => void>();
  /** Bumped by every change, so a slow asynchronous indexing never overwrites a newer version. */
  private readonly generation = new Map<string, number>();

  /** Adds or replaces a source (by its `source` id), indexing it now unless it brings its segment. */
  setSource(source: LoadedSource): void {
    this.bump(source.source);
    this.index.set(source.source, source.papers, source.segment);
    this.sources.set(source.source, { source: source.source, papers: source.papers, diagnostics: source.diagnostics, titleHashes: source.titleHashes, idHashes: source.idHashes });
    this.changed();
  }

  removeSource(id: string): void {
    this.bump(id);
    this.index.delete(id);
    if (this.sources.delete(id)) this.changed();
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
    this.sources.set(id, held);
    this.changed();
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

  private changed(): void {
    this.merged = undefined;
    for (const l of [...this.listeners]) l();
  }

  /** User sources first (in insertion order), the built-in corpus last. */
  private ordered(): HeldSource[] {
    const all = [...this.sources.values()];
    return [...all.filter((s) => s.source !== BUILTIN_SOURCE), ...all.filter((s) => s.source === BUILTIN_SOURCE)];
  }

  private merge() {
    if (this.merged) return this.merged;
    const papers: Paper[] = [];
    const byKey = new Map<string, Paper>();
    // the same paper: same DOI, same arXiv id, or same normalised title and year (compared by
    // hash: no string is made per paper)
    const seenDoi = new Map<number, Paper>();
    const seenArxiv = new Map<number, Paper>();
    const seenTitle = new Map<number, Paper>();
    for (const s of this.ordered()) {
      if (s.titleHashes?.length !== s.papers.length) s.titleHashes = Float64Array.from(s.papers, (p) => titleHash(p.title, p.year));
      if (s.idHashes?.length !== 2 * s.papers.length) s.idHashes = idHashesOf(s.papers);
      const th = s.titleHashes, ids = s.idHashes;
      let mask: Uint8Array | undefined;
      const hide = (i: number): void => void ((mask ??= new Uint8Array(s.papers.length))[i] = 1);
      for (let i = 0; i < s.papers.length; i++) {
        const p = s.papers[i];
        const doi = ids[2 * i], arxiv = ids[2 * i + 1], title = th[i]; // (NaN: none)
        const same = (doi === doi && seenDoi.get(doi)) || (arxiv === arxiv && seenArxiv.get(arxiv)) || (title === title ? seenTitle.get(title) : undefined);
        if (same) {
          hide(i);
          if (!byKey.has(p.key)) byKey.set(p.key, same); // the other key still resolves
          continue;
        }
        if (doi === doi) seenDoi.set(doi, p);
        if (arxiv === arxiv) seenArxiv.set(arxiv, p);
        if (title === title) seenTitle.set(title, p);
        // byKey holds shown papers only (a duplicate's key resolves to the paper shown)
        if (byKey.has(p.key)) {
          // same key, different paper: the first source wins; the clash is visible in the status
          hide(i);
          continue;
        }
        byKey.set(p.key, p);
        papers.push(p);
      }
      s.hidden = mask;
      this.index.setHidden(s.source, mask); // duplicates are skipped by searches
    }
    this.merged = { papers, byKey };
    return this.merged;
  }

  /** Every paper once, user sources first. */
  papers(): readonly Paper[] {
    return this.merge().papers;
  }

  get size(): number {
    return this.merge().papers.length;
  }

  /** The paper a key names (a user key, or a built-in key whose paper a user source also has). */
  get(key: string): Paper | undefined {
    return this.merge().byKey.get(key);
  }

  has(key: string): boolean {
    return this.merge().byKey.has(key);
  }

  /** Ranked search over every source; duplicates of a paper from another source are skipped. */
  search(query: string, limit = 50): SearchHit[] {
    this.merge(); // duplicates are marked hidden in the index
    return this.index.search(query, limit);
  }

  /** Topic-style scores (any term, whole words) over every source, duplicates skipped. */
  scoreAll(query: string): Map<Paper, number> {
    this.merge(); // duplicates are marked hidden in the index
    return this.index.scoreAll(query);
  }

  /** Per-source counts and diagnostics. */
  status(): SourceStatus[] {
    return this.ordered().map((s) => ({ source: s.source, entries: s.papers.length, diagnostics: s.diagnostics }));
  }
}
