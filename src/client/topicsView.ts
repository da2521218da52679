/**
 * The Topics view: topics (built-in, user-defined, from library keywords or title phrases) with
 * counts, and under each its papers, as the server works them out. Paper items cite on drag into an
 * editor and carry inline actions; every item has a spoken label. Papers the document being
 * written cites are marked (and read) "cited"; the marks follow the active document and its saves.
 */
import * as vscode from 'vscode';
import type { PaperSummary, TopicInfo } from '../protocol/requests';
import { Config } from './config';
import { CitelensServer } from './serverApi';

export type TopicNode =
  | { kind: 'topic'; topic: TopicInfo }
  | { kind: 'paper'; paper: PaperSummary; topic: TopicInfo }
  /** Stands for the papers of a large topic beyond the first {@link PAPERS_SHOWN}. */
  | { kind: 'more'; topic: TopicInfo; count: number };

/**
 * Papers listed under one topic; the rest are summed up in one item. A topic of a 100k-entry
 * library can hold tens of thousands, and a tree of that many items is no use to read.
 */
export const PAPERS_SHOWN = 500;

export class TopicsProvider implements vscode.TreeDataProvider<TopicNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TopicNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private filter = '';
  private cache: Promise<TopicInfo[]> | undefined;
  /** The document whose citations mark papers "cited" (the last active citing document). */
  document: vscode.TextDocument | undefined;

  constructor(
    private readonly server: CitelensServer,
    private readonly config: Config,
  ) {}

  refresh(): void {
    this.cache = undefined;
    this.emitter.fire(undefined);
  }

  setFilter(query: string): void {
    this.filter = query.trim();
    this.refresh();
  }

  get filterQuery(): string {
    return this.filter;
  }

  /** The topics (filtered when a filter is set). */
  topics(): Promise<TopicInfo[]> {
    this.cache ??= this.server.topics(this.filter || undefined).then((r) => r.topics);
    return this.cache;
  }

  async getChildren(node?: TopicNode): Promise<TopicNode[]> {
    if (!node) return (await this.topics()).map((topic) => ({ kind: 'topic', topic }));
    if (node.kind !== 'topic') return [];
    const uri = this.document?.uri.toString();
    const { papers, more } = await this.server.topicPapers({ id: node.topic.id, filter: this.filter || undefined, sortBy: this.config.paperSort, limit: PAPERS_SHOWN, uri });
    const nodes: TopicNode[] = papers.map((paper) => ({ kind: 'paper', paper, topic: node.topic }));
    if (more > 0) nodes.push({ kind: 'more', topic: node.topic, count: more });
    return nodes;
  }

  getTreeItem(node: TopicNode): vscode.TreeItem {
    if (node.kind === 'topic') {
      const t = node.topic;
      const item = new vscode.TreeItem(`${t.name} (${t.count})`, this.filter ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `topic:${t.id}`;
      item.contextValue = t.origin === 'user' ? 'citelens.userTopic' : 'citelens.topic';
      item.iconPath = new vscode.ThemeIcon(t.origin === 'user' ? 'bookmark' : t.origin === 'keywords' ? 'tag' : 'library');
      item.tooltip = t.query && !t.query.startsWith('keyword:') ? `Query: ${t.query}` : undefined;
      // the tooltip would otherwise be read as the row's name
      item.accessibilityInformation = { label: `${t.name}, ${t.count} paper${t.count === 1 ? '' : 's'}`, role: 'treeitem' };
      return item;
    }
    if (node.kind === 'more') {
      const item = new vscode.TreeItem(`${node.count.toLocaleString('en-US')} more papers`, vscode.TreeItemCollapsibleState.None);
      item.id = `more:${node.topic.id}`;
      item.description = 'filter the view to narrow the list';
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: 'citelens.filterTopics', title: 'Filter Topics' };
      item.accessibilityInformation = { label: `${node.count} more papers in ${node.topic.name}: filter the view to narrow the list` };
      return item;
    }
    return paperTreeItem(node.paper, `paper:${node.topic.id}:${node.paper.key}`);
  }

  async resolveTreeItem(item: vscode.TreeItem, node: TopicNode): Promise<vscode.TreeItem> {
    if (node.kind === 'paper') {
      const p = await this.server.paper(node.paper.key);
      if (p) item.tooltip = new vscode.MarkdownString(p.markdown);
    }
    return item;
  }

  /** A node for a paper (its first topic listing it), for `reveal`. */
  async nodeFor(key: string): Promise<TopicNode | undefined> {
    const id = await this.server.topicOfPaper({ key, filter: this.filter || undefined, sortBy: this.config.paperSort, limit: PAPERS_SHOWN });
    const topic = id ? (await this.topics()).find((t) => t.id === id) : undefined;
    if (!topic) return undefined;
    const paper = (await this.getChildren({ kind: 'topic', topic })).find((n) => n.kind === 'paper' && n.paper.key === key);
    return paper;
  }

  getParent(node: TopicNode): TopicNode | undefined {
    return node.kind === 'topic' ? undefined : { kind: 'topic', topic: node.topic };
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** A paper as a tree row: title, first author · year, book icon, a spoken label, opens the card. */
export function paperTreeItem(p: PaperSummary, id: string, options: { cited?: boolean; description?: string } = {}): vscode.TreeItem {
  const item = new vscode.TreeItem(p.title, vscode.TreeItemCollapsibleState.None);
  item.id = id;
  item.description = options.description ?? p.byline;
  item.contextValue = p.builtin ? 'citelens.paper' : 'citelens.paper.bib';
  item.command = { command: 'citelens.openPaperCard', title: 'Open Paper Card', arguments: [p.key] };
  const isCited = options.cited ?? p.cited;
  item.iconPath = new vscode.ThemeIcon(isCited ? 'pass' : 'book');
  const cited = isCited === undefined ? '' : isCited ? ', cited' : ', not cited';
  item.accessibilityInformation = { label: `${p.title}, ${p.byline || 'no author or year'}${cited}` };
  return item;
}
