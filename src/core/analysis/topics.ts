/**
 * Topics: a name plus a query over the index. Each paper goes under the topic it matches best
 * and up to two more that it matches nearly as well.
 * Papers with keywords/groups (user libraries) also get one topic per keyword shared by several papers.
 */
import { Paper } from '../model/paper';
import { TOPIC_PHRASE_STOPWORDS } from '../text/stopwords';

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
  // (one collator: the same order as localeCompare, several times faster over a large topic)
  const compare = (collator ??= new Intl.Collator()).compare;
  if (by === 'title') return [...papers].sort((a, b) => compare(a.title, b.title));
  return [...papers].sort((a, b) => (b.year ?? 0) - (a.year ?? 0) || compare(a.title, b.title));
}
let collator: Intl.Collator | undefined;

const PHRASE_STOP = TOPIC_PHRASE_STOPWORDS;

/** Options of {@link phraseTopics}. */
export interface PhraseTopicOptions {
  /** Papers a phrase must be shared by (default 3). */
  minPapers?: number;
  /** At most this many topics (default 20). */
  max?: number;
  /** A phrase in more than this share of the papers says nothing and is skipped (default 0.3). */
  maxShare?: number;
}

/** Letters and digits beyond ASCII, as the title splitter sees them. */
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** Whether the code point `c` belongs to a word of a title (letters, digits and hyphens). */
function isWordChar(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || (c >= 65 && c <= 90);
  return LETTER_OR_DIGIT.test(String.fromCodePoint(c));
}

/** Whether a word can be half of a phrase: not a stop word, not a number, three letters or more. */
function phraseWord(w: string): boolean {
  if (w.length < 3 || PHRASE_STOP.has(w)) return false;
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 48 || c > 57) return true;
  }
  return false;
}

/** The lower-cased words of a title (split at anything but letters, digits and hyphens; hyphens at either end dropped). */
function titleWords(title: string): string[] {
  const t = title.toLowerCase();
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= t.length; ) {
    const c = i < t.length ? t.codePointAt(i)! : 32;
    const w = i < t.length && isWordChar(c);
    if (w && start < 0) start = i;
    else if (!w && start >= 0) {
      let s = start, e = i;
      while (s < e && t.charCodeAt(s) === 45) s++;
      while (e > s && t.charCodeAt(e - 1) === 45) e--;
      if (e > s) out.push(t.slice(s, e));
      start = -1;
    }
    i += c > 0xffff ? 2 : 1;
  }
  return out;
}

/**
 * Finds phrase topics in slices (see {@link phraseTopics}): {@link add} reads the titles of the
 * next papers, {@link finish} ranks the phrases. Phrases are counted by id, and each paper's
 * phrase ids are kept in one typed array, so 100k titles make no list per phrase.
 */
export class PhraseTopicBuilder {
  /** Word → word id; a word's id tells whether it can be half of a phrase (see {@link phraseWord}). */
  private readonly words = new Map<string, number>();
  private readonly wordText: string[] = [];
  private readonly wordOk: boolean[] = [];
  /** (first word id × 2^26 + second word id) → phrase id. */
  private readonly ids = new Map<number, number>();
  private readonly phrases: string[] = [];
  private counts = new Int32Array(1024);
  /** Paper i's phrase ids are `paperPhrases[paperStart[i]..paperStart[i + 1])`. */
  private paperPhrases = new Int32Array(1024);
  private readonly paperStart: Int32Array;
  private next = 0;
  private used = 0;

  constructor(private readonly papers: readonly Paper[], private readonly options: PhraseTopicOptions = {}) {
    this.paperStart = new Int32Array(papers.length + 1);
  }

  get done(): boolean {
    return this.next >= this.papers.length;
  }

  /** Reads the titles of up to `count` more papers. */
  add(count: number): void {
    const stop = Math.min(this.papers.length, this.next + count);
    for (; this.next < stop; this.next++) {
      const words = titleWords(this.papers[this.next].title);
      const from = this.used;
      let prev = -1;
      for (const word of words) {
        let w = this.words.get(word);
        if (w === undefined) {
          w = this.wordText.push(word) - 1;
          this.wordOk.push(phraseWord(word));
          this.words.set(word, w);
        }
        const a = prev;
        prev = this.wordOk[w] ? w : -1;
        if (a < 0 || prev < 0) continue;
        const pair = a * 67108864 + w;
        let id = this.ids.get(pair);
        if (id === undefined) {
          id = this.phrases.push(`${this.wordText[a]} ${word}`) - 1;
          this.ids.set(pair, id);
          if (id >= this.counts.length) this.counts = grown(this.counts);
        }
        let seen = false;
        for (let k = from; k < this.used; k++) if (this.paperPhrases[k] === id) seen = true;
        if (seen) continue;
        if (this.used >= this.paperPhrases.length) this.paperPhrases = grown(this.paperPhrases);
        this.paperPhrases[this.used++] = id;
        this.counts[id]++;
      }
      this.paperStart[this.next + 1] = this.used;
    }
  }

  /** The topics: phrases shared by the most papers first, each paper under at most three. */
  finish(): Topic[] {
    this.add(Infinity);
    const minPapers = this.options.minPapers ?? 3;
    const max = this.options.max ?? 20;
    const most = Math.max(minPapers, this.papers.length * (this.options.maxShare ?? 0.3));
    // candidates by count, most shared first; ties in alphabetical order, sorted only when reached
    const byCount = new Map<number, number[]>();
    for (let id = 0; id < this.phrases.length; id++) {
      const c = this.counts[id];
      if (c < minPapers || c > most) continue;
      const list = byCount.get(c);
      if (list) list.push(id);
      else byCount.set(c, [id]);
    }
    const levels = [...byCount.keys()].sort((x, y) => y - x);
    const perPaper = new Uint8Array(this.papers.length);
    /** Position + 1 of a phrase in the batch being read (0: not in it). */
    const slotOf = new Int32Array(this.phrases.length);
    const out: Topic[] = [];
    for (let level = 0; level < levels.length && out.length < max; ) {
      // the next candidates in order, at least 64 of them (whole count levels)
      const batch: number[] = [];
      for (; level < levels.length && batch.length < 64; level++) {
        batch.push(...byCount.get(levels[level])!.sort((x, y) => this.phrases[x].localeCompare(this.phrases[y])));
      }
      batch.forEach((id, k) => (slotOf[id] = k + 1));
      // their papers, in one pass over the papers
      const members: number[][] = batch.map(() => []);
      for (let i = 0; i < this.papers.length; i++) {
        for (let k = this.paperStart[i]; k < this.paperStart[i + 1]; k++) {
          const s = slotOf[this.paperPhrases[k]];
          if (s !== 0) members[s - 1].push(i);
        }
      }
      for (const id of batch) slotOf[id] = 0;
      for (let k = 0; k < batch.length && out.length < max; k++) {
        const free = members[k].filter((i) => perPaper[i] < 3);
        if (free.length < minPapers) continue;
        for (const i of free) perPaper[i]++;
        const phrase = this.phrases[batch[k]];
        const name = phrase.replace(/(^|\s)\p{L}/gu, (c) => c.toUpperCase());
        out.push({ name, query: phrase, papers: free.map((i) => this.papers[i]), origin: 'keywords' });
      }
    }
    return out;
  }
}

function grown(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * Topics found automatically in a library without keywords: two-word phrases from titles that
 * several papers share ("neural network", "reinforcement learning"), most shared first. A phrase in
 * more than `maxShare` of the papers says nothing and is skipped; a paper joins at most three.
 */
export function phraseTopics(papers: readonly Paper[], options: PhraseTopicOptions = {}): Topic[] {
  return new PhraseTopicBuilder(papers, options).finish();
}

/** {@link phraseTopics} in slices of `slice` papers, awaiting `pause()` between them (so a large library does not hold the thread). */
export async function phraseTopicsAsync(papers: readonly Paper[], pause: () => Promise<void>, options: PhraseTopicOptions = {}, slice = 5000): Promise<Topic[]> {
  const b = new PhraseTopicBuilder(papers, options);
  while (!b.done) {
    b.add(slice);
    await pause();
  }
  return b.finish();
}
