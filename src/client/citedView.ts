/**
 * The *Cited in This Document* view: the keys the active LaTeX or Markdown document cites, in order
 * of first use, each with its paper (title, first author · year) or marked as unknown. A key being
 * typed is not reported until its citation is complete or the cursor leaves it. The view follows the
 * active editor (keeping the last document while the paper card or another non-document has focus),
 * the document's edits (debounced) and the library's changes.
 */
import * as vscode from 'vscode';
import type { CitedNodeInfo, CitedResult } from '../protocol/requests';
import { CitelensServer, toPosition } from './serverApi';
import { paperTreeItem } from './topicsView';
import { isCitingDocument } from './documentSelector';

/** One cited key (`paper` is undefined when no library knows the key). */
export type CitedNode = CitedNodeInfo;

/** How long document edits settle before the view refreshes. */
const REFRESH_DELAY_MS = 300;

export class CitedProvider implements vscode.TreeDataProvider<CitedNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<CitedNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private doc: vscode.TextDocument | undefined;
  private result: Promise<CitedResult | null> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Called after the view's contents may have changed (for the view's description). */
  onRefresh: ((summary: string | undefined) => void) | undefined;

  constructor(private readonly server: CitelensServer) {
    this.track(vscode.window.activeTextEditor);
    this.disposables.push(
      server.onDidChangeLibrary(() => this.scheduleRefresh()),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (this.track(e)) this.refresh();
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        // the cursor left a key being typed: it may be reported now
        if (e.textEditor.document === this.doc) this.scheduleRefresh();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.doc && e.contentChanges.length) this.scheduleRefresh();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.doc) {
          this.doc = undefined;
          this.refresh();
        }
      }),
    );
  }

  /** Follows `editor` if it shows a document; returns true when the tracked document changed. */
  private track(editor: vscode.TextEditor | undefined): boolean {
    const doc = editor?.document;
    if (!doc || !isCitingDocument(doc) || doc === this.doc) return false;
    this.doc = doc;
    return true;
  }

  /** The document the view lists: the active editor's when it is a document, else the last one. */
  get document(): vscode.TextDocument | undefined {
    this.track(vscode.window.activeTextEditor);
    return this.doc && !this.doc.isClosed ? this.doc : undefined;
  }

  private scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refresh();
    }, REFRESH_DELAY_MS);
  }

  refresh(): void {
    this.result = undefined;
    this.emitter.fire(undefined);
    void this.summary().then((s) => this.onRefresh?.(s));
  }

  private load(): Promise<CitedResult | null> {
    const doc = this.document;
    if (!doc) return Promise.resolve(null);
    if (!this.result) {
      const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
      this.result = this.server.cited({ uri: doc.uri.toString(), position: editor && editor === vscode.window.activeTextEditor ? toPosition(editor.selection.active) : undefined });
    }
    return this.result;
  }

  /** The cited keys of the document, in order of first use. */
  async nodes(): Promise<CitedNode[]> {
    return (await this.load())?.nodes ?? [];
  }

  getChildren(node?: CitedNode): Promise<CitedNode[]> | CitedNode[] {
    return node ? [] : this.nodes();
  }

  getTreeItem(node: CitedNode): vscode.TreeItem {
    const p = node.paper;
    const times = node.count > 1 ? ` · ${node.count}×` : '';
    if (!p) {
      const item = new vscode.TreeItem(node.key, vscode.TreeItemCollapsibleState.None);
      item.id = `cited:unknown:${node.key}`;
      item.description = 'not in any library' + times;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.tooltip = `"${node.key}" is cited here, but no library has a paper with this key.`;
      item.contextValue = 'citelens.unknownKey';
      item.accessibilityInformation = { label: `${node.key}, not in any library, cited ${node.count} time${node.count === 1 ? '' : 's'}` };
      return item;
    }
    const item = paperTreeItem(p, `cited:${node.key}`, { description: (p.byline || node.key) + times });
    item.contextValue = p.builtin ? 'citelens.paper.cited' : 'citelens.paper.bib';
    item.command = { command: 'citelens.openPaperCard', title: 'Open Paper Card', arguments: [node.key] };
    item.accessibilityInformation = { label: `${p.title}, ${p.byline || 'no author or year'}, cited ${node.count} time${node.count === 1 ? '' : 's'}` };
    return item;
  }

  async resolveTreeItem(item: vscode.TreeItem, node: CitedNode): Promise<vscode.TreeItem> {
    if (node.paper) {
      const p = await this.server.paper(node.key, this.doc?.uri.toString());
      if (p) item.tooltip = new vscode.MarkdownString(p.markdown);
    }
    return item;
  }

  /** "main.tex · 12 papers · 1 unknown", or undefined when no document is tracked. */
  async summary(): Promise<string | undefined> {
    const r = await this.load();
    if (!r) return undefined;
    const unknown = r.nodes.filter((n) => !n.paper).length;
    const known = r.nodes.length - unknown;
    return [r.name, `${known} paper${known === 1 ? '' : 's'}`, unknown ? `${unknown} unknown` : ''].filter(Boolean).join(' · ');
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.emitter.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** Registers the `citelens.cited` tree view. */
export function registerCitedView(provider: CitedProvider): vscode.Disposable {
  const view = vscode.window.createTreeView('citelens.cited', { treeDataProvider: provider, showCollapseAll: false });
  provider.onRefresh = (summary) => (view.description = summary);
  provider.refresh();
  return vscode.Disposable.from(view, provider);
}
