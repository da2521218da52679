/**
 * The library: every source's papers merged into one set, each with its search index.
 * Data flow: sources (built-in corpus, .bib, CSL-JSON, listings) → Library → indexes → features.
 *
 * The same paper from two sources (same DOI, same arXiv id, or same normalised title and year)
 * appears once. User sources win over the built-in corpus, so the user's key is the one cited;
 * the built-in key stays resolvable as an alias.
 */
import { BUILTIN_SOURCE, Diagnostic, Paper, SourceResult, normalizeTitle } from './paper';
import { PaperIndex, SearchHit } from './searchIndex';

/** One loaded source; the built-in corpus brings its prebuilt index. */
export interface LoadedSource extends SourceResult {
  index?: PaperIndex;
}

/** A source's one-line status for the user. */
export interface SourceStatus {
  source: string;
  entries: number;
  diagnostics: Diagnostic[];
}

function identities(p: Paper): string[] {
  const ids: string[] = [];
  if (p.doi) ids.push('doi:' + p.doi.toLowerCase());
  if (p.arxiv) ids.push('arxiv:' + p.arxiv.toLowerCase().replace(/v\d+$/, ''));
  const t = normalizeTitle(p.title);
  if (t.length > 10) ids.push(`title:${t}|${p.year ?? ''}`);
  return ids;
}

export class Library {
  private readonly sources = new Map<string, LoadedSource>();
  /** One index over every source, so scores compare across sources. */
  private index: PaperIndex | undefined;
  private readonly indexIds = new Map<string, number[]>();
  private merged: { papers: Paper[]; byKey: Map<string, Paper>; hidden: Set<Paper> } | undefined;
  private readonly listeners = new Set<() => void>();

  /** Adds or replaces a source (by its `source` id). */
  setSource(source: LoadedSource): void {
    this.unindex(source.source);
    if (!this.index && source.index && source.index.size === source.papers.length) {
      // adopt a prebuilt index (the built-in corpus) instead of indexing its papers again
      this.index = source.index;
      this.indexIds.set(source.source, source.papers.map((_, i) => i));
    } else {
      this.index ??= PaperIndex.empty();
      this.indexIds.set(source.source, this.index.add(source.papers));
    }
    this.sources.set(source.source, { source: source.source, papers: source.papers, diagnostics: source.diagnostics });
    this.changed();
  }

  removeSource(id: string): void {
    this.unindex(id);
    if (this.sources.delete(id)) this.changed();
  }

  /**
   * Like {@link setSource}, but indexes a large source in chunks that yield to other work; the
   * source's papers become searchable when it settles.
   */
  async setSourceAsync(source: LoadedSource): Promise<void> {
    if (source.papers.length < 5000) return this.setSource(source);
    this.index ??= PaperIndex.empty();
    const index = this.index;
    const ids = await index.addAsync(source.papers);
    this.unindex(source.source);
    this.indexIds.set(source.source, ids);
    this.sources.set(source.source, { source: source.source, papers: source.papers, diagnostics: source.diagnostics });
    this.changed();
  }

  private unindex(id: string): void {
    const ids = this.indexIds.get(id);
    if (ids && this.index) this.index.remove(ids);
    this.indexIds.delete(id);
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
  private ordered(): LoadedSource[] {
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
      for (const p of s.papers) {
        const ids = identities(p);
        const same = ids.map((id) => seen.get(id)).find(Boolean);
        if (same) {
          hidden.add(p);
          if (!byKey.has(p.key)) byKey.set(p.key, same); // the other key still resolves
          continue;
        }
        for (const id of ids) seen.set(id, p);
        if (byKey.has(p.key) && !hidden.has(byKey.get(p.key)!)) {
          // same key, different paper: the first source wins; the clash is visible in the status
          hidden.add(p);
          continue;
        }
        byKey.set(p.key, p);
        papers.push(p);
      }
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
    const { hidden } = this.merge();
    return this.index ? this.index.search(query, limit, (p) => !hidden.has(p)) : [];
  }

  /** Topic-style scores (any term, whole words) over every source, duplicates skipped. */
  scoreAll(query: string): Map<Paper, number> {
    const { hidden } = this.merge();
    const out = new Map<Paper, number>();
    if (this.index) for (const [p, v] of this.index.scoreAll(query)) if (!hidden.has(p)) out.set(p, v);
    return out;
  }

  /** Per-source counts and diagnostics. */
  status(): SourceStatus[] {
    return this.ordered().map((s) => ({ source: s.source, entries: s.papers.length, diagnostics: s.diagnostics }));
  }
}
