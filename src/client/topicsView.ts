/**
 * The Topics view: topics (built-in, user-defined, and from library keywords) with counts, and
 * under each its papers. Paper items cite on drag into an editor, and carry inline actions.
 */
import * as vscode from 'vscode';
import { Library } from '../core/library/library';
import { BUILTIN_SOURCE, Paper } from '../core/model/paper';
import { Topic, TopicDefinition, assignTopics, keywordTopics, phraseTopicsAsync, sortPapers } from '../core/analysis/topics';
import { Config } from './config';
import { firstAuthorYear } from './paperText';

export type TopicNode =
  | { kind: 'topic'; topic: Topic }
  | { kind: 'paper'; paper: Paper; topic: Topic }
  /** Stands for the papers of a large topic beyond the first {@link PAPERS_SHOWN}. */
  | { kind: 'more'; topic: Topic; count: number };

/**
 * Papers listed under one topic; the rest are summed up in one item. A topic of a 100k-entry
 * library can hold tens of thousands, and a tree of that many items is no use to read.
 */
export const PAPERS_SHOWN = 500;

/** Renders a paper's hover-style card for tooltips. */
export type PaperCardRenderer = (paper: Paper) => vscode.MarkdownString;

export class TopicsProvider implements vscode.TreeDataProvider<TopicNode> {
  private readonly emitter = new vscode.EventEmitter<TopicNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private cache: Topic[] | undefined;
  /** The topics being worked out, and for which {@link generation}. */
  private pending: { generation: number; topics: Promise<Topic[]> } | undefined;
  /** Counts refreshes: topics worked out before the last one are not kept. */
  private generation = 0;
  private filter = '';

  constructor(
    private readonly library: Library,
    private readonly builtinTopics: () => Promise<TopicDefinition[]>,
    private readonly config: Config,
    private readonly card: PaperCardRenderer,
  ) {}

  refresh(): void {
    this.cache = undefined;
    this.generation++;
    this.emitter.fire(undefined);
  }

  setFilter(query: string): void {
    this.filter = query.trim();
    this.refresh();
  }

  get filterQuery(): string {
    return this.filter;
  }

  /** All topics with their papers (filtered when a filter is set). */
  topics(): Promise<Topic[]> {
    if (this.cache) return Promise.resolve(this.cache);
    const generation = this.generation;
    if (this.pending?.generation !== generation) {
      const topics: Promise<Topic[]> = this.compute().then(
        (t) => {
          if (this.generation === generation) this.cache = t;
          return t;
        },
        (e: unknown) => {
          if (this.pending?.topics === topics) this.pending = undefined; // the next call tries again
          throw e;
        },
      );
      this.pending = { generation, topics };
    }
    return this.pending.topics;
  }

  private async compute(): Promise<Topic[]> {
    const papers = this.library.papers();
    const allowed = this.filter ? new Set(this.library.search(this.filter, 10_000).map((h) => h.paper)) : undefined;
    const score = (q: string) => {
      const m = new Map<Paper, number>();
      for (const s of this.library.scoreAll(q)) m.set(s[0], s[1]);
      return m;
    };
    const builtinPapers = papers.filter((p) => p.source === BUILTIN_SOURCE);
    const userPapers = papers.filter((p) => p.source !== BUILTIN_SOURCE);
    const topics: Topic[] = [
      ...assignTopics(papers, this.config.topics, score, 'user', { maxPerPaper: 100, threshold: 0.15 }),
      ...keywordTopics(userPapers.filter((p) => p.keywords?.length)),
      // papers without keywords or groups: topics from key phrases their titles share
      // (in slices: a large library's titles take a while, and the extension host stays responsive)
      ...(await phraseTopicsAsync(userPapers.filter((p) => !p.keywords?.length), () => new Promise((r) => setImmediate(r)))),
      ...assignTopics(builtinPapers, await this.builtinTopics(), score, 'builtin'),
    ];
    const placed = new Set(topics.flatMap((t) => t.papers));
    const rest = papers.filter((p) => !placed.has(p));
    if (rest.length) topics.push({ name: userPapers.length ? 'Library (no topic)' : 'Other', query: '', papers: rest, origin: 'keywords' });
    return topics
      .map((t) => ({ ...t, papers: allowed ? t.papers.filter((p) => allowed.has(p)) : t.papers }))
      .filter((t) => t.papers.length > 0 || t.origin === 'user');
  }

  async getChildren(node?: TopicNode): Promise<TopicNode[]> {
    if (!node) return (await this.topics()).map((topic) => ({ kind: 'topic', topic }));
    if (node.kind !== 'topic') return [];
    const papers = sortPapers(node.topic.papers, this.config.paperSort);
    const nodes: TopicNode[] = papers.slice(0, PAPERS_SHOWN).map((paper) => ({ kind: 'paper', paper, topic: node.topic }));
    if (papers.length > PAPERS_SHOWN) nodes.push({ kind: 'more', topic: node.topic, count: papers.length - PAPERS_SHOWN });
    return nodes;
  }

  getTreeItem(node: TopicNode): vscode.TreeItem {
    if (node.kind === 'topic') {
      const t = node.topic;
      const item = new vscode.TreeItem(`${t.name} (${t.papers.length})`, this.filter ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `topic:${t.origin}:${t.name}`;
      item.contextValue = t.origin === 'user' ? 'citelens.userTopic' : 'citelens.topic';
      item.iconPath = new vscode.ThemeIcon(t.origin === 'user' ? 'bookmark' : t.origin === 'keywords' ? 'tag' : 'library');
      item.tooltip = t.query ? `Query: ${t.query}` : undefined;
      return item;
    }
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(`${node.count.toLocaleString('en-US')} more papers`, vscode.TreeItemCollapsibleState.None);
      item.id = `more:${node.topic.origin}:${node.topic.name}`;
      item.description = 'filter the view to narrow the list';
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: 'citelens.filterTopics', title: 'Filter Topics' };
      return item;
    }
    const p = node.paper;
    const item = new vscode.TreeItem(p.title, vscode.TreeItemCollapsibleState.None);
    item.id = `paper:${node.topic.origin}:${node.topic.name}:${p.key}`;
    item.description = firstAuthorYear(p);
    item.contextValue = p.source === BUILTIN_SOURCE ? 'citelens.paper' : 'citelens.paper.bib';
    item.iconPath = new vscode.ThemeIcon('book');
    item.command = { command: 'citelens.openPaperCard', title: 'Open Paper Card', arguments: [p.key] };
    return item;
  }

  async resolveTreeItem(item: vscode.TreeItem, node: TopicNode): Promise<vscode.TreeItem> {
    if (node.kind === 'paper') item.tooltip = this.card(node.paper);
    return item;
  }

  /** Names of the topics a paper sits under (empty until the tree was first computed). */
  topicsOf(paper: Paper): string[] {
    return (this.cache ?? []).filter((t) => t.origin !== 'keywords' || t.query).filter((t) => t.papers.includes(paper)).map((t) => t.name);
  }

  /** A node for a paper (its first topic), for `reveal`. */
  async nodeFor(key: string): Promise<TopicNode | undefined> {
    for (const topic of await this.topics()) {
      const paper = topic.papers.find((p) => p.key === key);
      if (!paper) continue;
      // in a large topic, only a paper among those listed can be revealed
      if (topic.papers.length > PAPERS_SHOWN && !sortPapers(topic.papers, this.config.paperSort).slice(0, PAPERS_SHOWN).includes(paper)) continue;
      return { kind: 'paper', paper, topic };
    }
    return undefined;
  }

  getParent(node: TopicNode): TopicNode | undefined {
    return node.kind === 'topic' ? undefined : { kind: 'topic', topic: node.topic };
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
