/**
 * Topics: a name plus a query over the index. Each paper goes under the topic it matches best
 * and up to two more that it matches nearly as well.
 * Papers with keywords/groups (user libraries) also get one topic per keyword shared by several papers.
 */
import { Paper } from './paper';

/** A topic as stored in `corpus/topics.json` or the `citelens.topics` setting. */
export interface TopicDefinition {
  name: string;
  query: string;
}

/** A topic with its papers, best-matching first. */
export interface Topic extends TopicDefinition {
  papers: Paper[];
  /** Where the topic comes from. */
  origin: 'builtin' | 'user' | 'keywords';
}

/** Scores every paper a query matches (higher is better). */
export type QueryScorer = (query: string) => Map<Paper, number>;

export interface AssignOptions {
  /** At most this many topics per paper (default 3). */
  maxPerPaper?: number;
  /**
   * A further topic must reach this fraction of the paper's best topic (default 0.5); relevance is
   * a paper's score for a topic divided by that topic's best score.
   */
  threshold?: number;
  /** A further topic's relevance must also reach this (default 0.15). */
  minRelevance?: number;
}

/**
 * Places papers under topics. Every paper a topic query matches goes under at least its best topic;
 * a paper no query matches is left out (the caller may show it under "Other").
 */
export function assignTopics(
  papers: readonly Paper[],
  topics: readonly TopicDefinition[],
  score: QueryScorer,
  origin: Topic['origin'],
  options: AssignOptions = {},
): Topic[] {
  const maxPer = options.maxPerPaper ?? 3;
  const threshold = options.threshold ?? 0.5;
  const minRelevance = options.minRelevance ?? 0.15;
  const scores = topics.map((t) => {
    const s = score(t.query);
    let max = 0;
    for (const v of s.values()) max = Math.max(max, v);
    return { s, max };
  });
  const result: Topic[] = topics.map((t) => ({ ...t, papers: [], origin }));
  const inLibrary = new Set(papers);
  for (const p of papers) {
    const ranked = scores
      .map(({ s, max }, i) => ({ i, rel: max > 0 ? (s.get(p) ?? 0) / max : 0 }))
      .filter((x) => x.rel > 0)
      .sort((a, b) => b.rel - a.rel);
    ranked.forEach((x, n) => {
      if (n === 0 || (n < maxPer && x.rel >= threshold * ranked[0].rel && x.rel >= minRelevance)) result[x.i].papers.push(p);
    });
  }
  for (const [i, t] of result.entries()) {
    const s = scores[i].s;
    t.papers = t.papers.filter((p) => inLibrary.has(p)).sort((a, b) => (s.get(b) ?? 0) - (s.get(a) ?? 0));
  }
  return result;
}

/**
 * Topics from the papers' own keywords/groups (case-insensitive), for keywords at least
 * `minPapers` papers share, largest first, at most `max`.
 */
export function keywordTopics(papers: readonly Paper[], minPapers = 2, max = 50): Topic[] {
  const groups = new Map<string, { name: string; papers: Paper[] }>();
  for (const p of papers) {
    for (const k of new Set((p.keywords ?? []).map((k) => k.trim()).filter(Boolean))) {
      const id = k.toLowerCase();
      const g = groups.get(id) ?? { name: k, papers: [] };
      g.papers.push(p);
      groups.set(id, g);
    }
  }
  return [...groups.values()]
    .filter((g) => g.papers.length >= minPapers)
    .sort((a, b) => b.papers.length - a.papers.length || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((g) => ({ name: g.name, query: `keyword:${g.name}`, papers: g.papers, origin: 'keywords' as const }));
}

/** Sorts a topic's papers for display. */
export function sortPapers(papers: readonly Paper[], by: 'year' | 'title' | 'relevance'): Paper[] {
  if (by === 'relevance') return [...papers];
  if (by === 'title') return [...papers].sort((a, b) => a.title.localeCompare(b.title));
  return [...papers].sort((a, b) => (b.year ?? 0) - (a.year ?? 0) || a.title.localeCompare(b.title));
}
