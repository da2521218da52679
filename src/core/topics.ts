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

const PHRASE_STOP = new Set(
  'a an and are as at by for from in into is of on or over the to toward towards under via with without we our using based toward new large language model models llm llms study analysis approach approaches method methods'.split(' '),
);

/**
 * Topics found automatically in a library without keywords: two-word phrases from titles that
 * several papers share ("neural network", "reinforcement learning"), most shared first. A phrase in
 * more than `maxShare` of the papers says nothing and is skipped; a paper joins at most three.
 */
export function phraseTopics(papers: readonly Paper[], options: { minPapers?: number; max?: number; maxShare?: number } = {}): Topic[] {
  const minPapers = options.minPapers ?? 3;
  const max = options.max ?? 20;
  const maxShare = options.maxShare ?? 0.3;
  const byPhrase = new Map<string, Paper[]>();
  for (const p of papers) {
    const words = p.title
      .toLowerCase()
      .split(/[^\p{L}\p{N}-]+/u)
      .map((w) => w.replace(/^-+|-+$/g, ''))
      .filter(Boolean);
    const seen = new Set<string>();
    for (let i = 0; i + 1 < words.length; i++) {
      const [a, b] = [words[i], words[i + 1]];
      if (PHRASE_STOP.has(a) || PHRASE_STOP.has(b) || /^\d+$/.test(a) || /^\d+$/.test(b) || a.length < 3 || b.length < 3) continue;
      const phrase = `${a} ${b}`;
      if (seen.has(phrase)) continue;
      seen.add(phrase);
      const list = byPhrase.get(phrase) ?? [];
      list.push(p);
      byPhrase.set(phrase, list);
    }
  }
  const perPaper = new Map<Paper, number>();
  const out: Topic[] = [];
  const ranked = [...byPhrase.entries()]
    .filter(([, ps]) => ps.length >= minPapers && ps.length <= Math.max(minPapers, papers.length * maxShare))
    .sort((x, y) => y[1].length - x[1].length || x[0].localeCompare(y[0]));
  for (const [phrase, ps] of ranked) {
    if (out.length >= max) break;
    const members = ps.filter((p) => (perPaper.get(p) ?? 0) < 3);
    if (members.length < minPapers) continue;
    for (const p of members) perPaper.set(p, (perPaper.get(p) ?? 0) + 1);
    const name = phrase.replace(/(^|\s)\p{L}/gu, (c) => c.toUpperCase());
    out.push({ name, query: phrase, papers: members, origin: 'keywords' });
  }
  return out;
}
