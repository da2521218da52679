/**
 * The topics of the library: the built-in corpus's topics, the user's own (`citelens.topics`), topics
 * from library keywords, and topics from the phrases titles share when a library has no keywords.
 * Worked out once per library state (in slices, so requests keep being answered), filtered on demand.
 */
import { promises as fs } from 'node:fs';
import { Topic, TopicDefinition, assignTopics, keywordTopics, phraseTopicsAsync, sortPapers } from '../../core/analysis/topics';
import { BUILTIN_SOURCE, Paper } from '../../core/model/paper';
import { TopicInfo, TopicPapersParams, TopicPapersResult, TopicsResult } from '../../protocol/requests';
import { ServerContext } from '../context';
import { summaryOf } from './paperViews';

const pause = (): Promise<void> => new Promise((r) => setImmediate(r));

export class TopicsService {
  private cache: Topic[] | undefined;
  private pending: { generation: number; topics: Promise<Topic[]> } | undefined;
  private generation = 0;
  private builtin: Promise<TopicDefinition[]> | undefined;
  private filtered: { filter: string; generation: number; allowed: Set<Paper> } | undefined;
  /** The topic names of each paper (by key), made on first use from the topics last worked out. */
  private byPaper: Map<string, string[]> | undefined;
  /** The topics last worked out, for hovers while the library changes (they never wait). */
  private last: Topic[] | undefined;
  /** Whether topics are being worked out, and when hovers may start that again. */
  private running = false;
  private nextRunAt = 0;

  constructor(
    private readonly ctx: ServerContext,
    private readonly topicsFile: string,
  ) {
    ctx.library.onDidChange(() => this.invalidate());
  }

  /** Forget the topics (the library or the user's topics changed). */
  invalidate(): void {
    this.cache = undefined;
    this.byPaper = undefined;
    this.filtered = undefined;
    this.generation++;
  }

  private builtinTopics(): Promise<TopicDefinition[]> {
    this.builtin ??= fs.readFile(this.topicsFile, 'utf8').then((t) => JSON.parse(t) as TopicDefinition[], () => []);
    return this.builtin;
  }

  /** All topics with their papers. */
  topics(): Promise<Topic[]> {
    if (this.cache) return Promise.resolve(this.cache);
    const generation = this.generation;
    if (this.pending?.generation !== generation) {
      const started = Date.now();
      this.running = true;
      const done = (): void => {
        this.running = false;
        // a library arriving as 900 files changes it 900 times: hovers restart this at most every
        // four runs' time, so loading keeps most of the process
        this.nextRunAt = Date.now() + 4 * (Date.now() - started);
      };
      const topics: Promise<Topic[]> = this.compute().then(
        (t) => {
          done();
          if (this.generation === generation) this.cache = t;
          if (this.last !== t) this.byPaper = undefined;
          this.last = t;
          return t;
        },
        (e: unknown) => {
          done();
          if (this.pending?.topics === topics) this.pending = undefined;
          throw e;
        },
      );
      this.pending = { generation, topics };
    }
    return this.pending.topics;
  }

  private async compute(): Promise<Topic[]> {
    const library = this.ctx.library;
    const papers = library.papers();
    const score = (q: string) => {
      const m = new Map<Paper, number>();
      for (const [p, s] of library.scoreAll(q)) m.set(p, s);
      return m;
    };
    // a built-in paper the writer has cited (their entry shown, the corpus filling it) stays in its topic
    const builtinPapers = papers.filter((p) => p.source === BUILTIN_SOURCE || p.sources?.includes(BUILTIN_SOURCE));
    const userPapers = papers.filter((p) => p.source !== BUILTIN_SOURCE);
    const topics: Topic[] = [
      ...assignTopics(papers, this.ctx.settings().topics, score, 'user', { maxPerPaper: 100, threshold: 0.15 }),
      ...keywordTopics(userPapers.filter((p) => p.keywords?.length)),
      ...(await phraseTopicsAsync(userPapers.filter((p) => !p.keywords?.length), pause)),
      ...assignTopics(builtinPapers, await this.builtinTopics(), score, 'builtin'),
    ];
    const placed = new Set(topics.flatMap((t) => t.papers));
    const rest = papers.filter((p) => !placed.has(p));
    if (rest.length) topics.push({ name: userPapers.length ? 'Library (no topic)' : 'Other', query: '', papers: rest, origin: 'keywords' });
    return topics;
  }

  private allowed(filter: string | undefined): Set<Paper> | undefined {
    const f = filter?.trim();
    if (!f) return undefined;
    if (this.filtered?.filter === f && this.filtered.generation === this.generation) return this.filtered.allowed;
    const allowed = new Set(this.ctx.library.search(f, 10_000).map((h) => h.paper));
    this.filtered = { filter: f, generation: this.generation, allowed };
    return allowed;
  }

  private static id(t: Topic): string {
    return `${t.origin}:${t.name}`;
  }

  async list(filter?: string): Promise<TopicsResult> {
    const allowed = this.allowed(filter);
    const out: TopicInfo[] = [];
    for (const t of await this.topics()) {
      const count = allowed ? t.papers.filter((p) => allowed.has(p)).length : t.papers.length;
      if (count > 0 || t.origin === 'user') out.push({ id: TopicsService.id(t), name: t.name, query: t.query, origin: t.origin, count });
    }
    return { topics: out };
  }

  private async sortedPapers(id: string, filter: string | undefined, sortBy: TopicPapersParams['sortBy']): Promise<Paper[] | undefined> {
    const topic = (await this.topics()).find((t) => TopicsService.id(t) === id);
    if (!topic) return undefined;
    const allowed = this.allowed(filter);
    return sortPapers(allowed ? topic.papers.filter((p) => allowed.has(p)) : topic.papers, sortBy);
  }

  async papers(params: TopicPapersParams): Promise<TopicPapersResult> {
    const papers = (await this.sortedPapers(params.id, params.filter, params.sortBy)) ?? [];
    return { papers: papers.slice(0, params.limit).map((p) => summaryOf(p)), more: Math.max(0, papers.length - params.limit) };
  }

  /** The first topic listing `key` among its first `limit` papers. */
  async topicOf(key: string, filter: string | undefined, sortBy: TopicPapersParams['sortBy'], limit: number): Promise<string | undefined> {
    for (const t of await this.topics()) {
      if (!t.papers.some((p) => p.key === key)) continue;
      const shown = ((await this.sortedPapers(TopicsService.id(t), filter, sortBy)) ?? []).slice(0, limit);
      if (shown.some((p) => p.key === key)) return TopicsService.id(t);
    }
    return undefined;
  }

  /** Names of the topics a paper sits under, as far as they are worked out (never waits). */
  topicsOfNow(paper: Paper): string[] {
    // not while libraries load: working out 100k papers' topics holds the process for seconds
    if (!this.cache && !this.running && Date.now() >= this.nextRunAt && !this.ctx.loader.loading) void this.topics().catch(() => undefined);
    const source = this.cache ?? this.last;
    if (!source) return [];
    if (!this.byPaper) {
      this.byPaper = new Map();
      // the catch-all "Other" topic has no query: it is not a topic a paper is "in"
      for (const t of source.filter((t) => t.origin !== 'keywords' || t.query)) {
        for (const p of t.papers) {
          const names = this.byPaper.get(p.key);
          if (names) names.push(t.name);
          else this.byPaper.set(p.key, [t.name]);
        }
      }
    }
    return this.byPaper.get(paper.key) ?? [];
  }

  /** Names of the topics a paper sits under. */
  async topicsOf(paper: Paper): Promise<string[]> {
    await this.topics();
    return this.topicsOfNow(paper);
  }
}
