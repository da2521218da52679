/**
 * The library: every source's papers merged into one set, each with its search index.
 * Data flow: sources (built-in corpus, .bib, CSL-JSON, listings) → Library → indexes → features.
 *
 * The same paper from two sources (same DOI, same arXiv id, or same normalised title and year)
 * appears once. User sources win over the built-in corpus, so the user's key is the one cited;
 * the built-in key stays resolvable as an alias.
 */
import { BUILTIN_SOURCE, Diagnostic, Paper, SourceResult, normalizeTitle } from './paper';
import { PaperIndex, SearchHit, indexPapersAsync } from './searchIndex';
import { Segment } from './termIndex';

/** One loaded source; it may bring its index segment (prebuilt for the built-in corpus, or from the cache). */
export interface LoadedSource extends SourceResult {
  segment?: Segment;
  /** Each paper's {@link titleIdentity}, when known already (the cache keeps them). */
  titleKeys?: readonly string[];
}

/** A source as the library keeps it: its papers' identities are worked out once. */
interface HeldSource extends SourceResult {
  identities?: string[][];
  titleKeys?: readonly string[];
}

/** A source's one-line status for the user. */
export interface SourceStatus {
  source: string;
  entries: number;
  diagnostics: Diagnostic[];
}

/** The title part of a paper's identity: normalised title and year, or '' for titles too short to tell papers apart. */
export function titleIdentity(p: Paper): string {
  const t = normalizeTitle(p.title);
  return t.length > 10 ? `title:${t}|${p.year ?? ''}` : '';
}

/** What makes two papers the same: DOI, arXiv id, normalised title with year. `title` may be precomputed. */
function identities(p: Paper, title = titleIdentity(p)): string[] {
  const ids: string[] = [];
  if (p.doi) ids.push('doi:' + p.doi.toLowerCase());
  if (p.arxiv) ids.push('arxiv:' + p.arxiv.toLowerCase().replace(/v\d+$/, ''));
  if (title) ids.push(title);
  return ids;
}

export class Library {
  private readonly sources = new Map<string, HeldSource>();
  /** One index over every source (a segment each), so scores compare across sources. */
  private readonly index = PaperIndex.empty();
  private merged: { papers: Paper[]; byKey: Map<string, Paper>; hidden: Set<Paper> } | undefined;
  private readonly listeners = new Set<() => void>();
  /** Bumped by every change, so a slow asynchronous indexing never overwrites a newer version. */
  private readonly generation = new Map<string, number>();

  /** Adds or replaces a source (by its `source` id), indexing it now unless it brings its segment. */
  setSource(source: LoadedSource): void {
    this.bump(source.source);
    this.index.set(source.source, source.papers, source.segment);
    this.sources.set(source.source, { source: source.source, papers: source.papers, diagnostics: source.diagnostics, titleKeys: source.titleKeys });
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
   * Like {@link setSource}, but indexes a large source in slices that yield to other work; the
   * source's papers become searchable when it settles (replacing the source's previous version).
   */
  async setSourceAsync(source: LoadedSource): Promise<void> {
    if (source.papers.length < 5000 || source.segment?.docCount === source.papers.length) return this.setSource(source);
    const g = this.bump(source.source);
    const segment = await indexPapersAsync(source.papers);
    if (this.generation.get(source.source) !== g) return; // replaced or removed meanwhile
    this.index.set(source.source, source.papers, segment);
    this.sources.set(source.source, { source: source.source, papers: source.papers, diagnostics: source.diagnostics, titleKeys: source.titleKeys });
    this.changed();
  }

  /** The index segment of source `id` (to save it in a cache). */
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
    const hidden = new Set<Paper>();
    const seen = new Map<string, Paper>();
    for (const s of this.ordered()) {
      const tk = s.titleKeys && s.titleKeys.length === s.papers.length ? s.titleKeys : undefined;
      s.identities ??= s.papers.map((p, i) => identities(p, tk?.[i]));
      let mask: Uint8Array | undefined;
      const hide = (p: Paper, i: number): void => {
        hidden.add(p);
        (mask ??= new Uint8Array(s.papers.length))[i] = 1;
      };
      for (let i = 0; i < s.papers.length; i++) {
        const p = s.papers[i];
        const ids = s.identities[i];
        let same: Paper | undefined;
        for (let k = 0; k < ids.length && !same; k++) same = seen.get(ids[k]);
        if (same) {
          hide(p, i);
          if (!byKey.has(p.key)) byKey.set(p.key, same); // the other key still resolves
          continue;
        }
        for (const id of ids) seen.set(id, p);
        if (byKey.has(p.key) && !hidden.has(byKey.get(p.key)!)) {
          // same key, different paper: the first source wins; the clash is visible in the status
          hide(p, i);
          continue;
        }
        byKey.set(p.key, p);
        papers.push(p);
      }
      this.index.setHidden(s.source, mask); // duplicates are skipped by searches
    }
    this.merged = { papers, byKey, hidden };
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
