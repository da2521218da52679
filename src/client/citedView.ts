/**
 * The *Cited in This Document* view: the keys the active LaTeX or Markdown document cites, in
 * order of first use, each with its paper (title, first author · year) or marked as unknown.
 * It follows the active editor (keeping the last document while a non-document editor or the
 * paper card has focus), the document's edits (debounced) and the library's changes.
 */
import * as vscode from 'vscode';
import { findCitations } from '../core/citations/documentLexer';
import { syntaxForLanguage } from '../core/citations/languages';
import { Paper } from '../core/model/paper';
import { renderPaperCard } from './paperCardMarkdown';
import { LibraryService } from './libraryService';
import { firstAuthorYear } from './paperText';

/** Language ids whose citations the view lists. */
export const CITED_VIEW_LANGUAGES: ReadonlySet<string> = new Set(['latex', 'tex', 'markdown', 'quarto', 'rmd', 'rmarkdown', 'typst', 'pandoc']);

/** One cited key. `paper` is undefined when no library knows the key. */
export interface CitedNode {
  key: string;
  paper?: Paper;
  /** How many times the document cites this key. */
  count: number;
  /** Offset of the first citation of the key in the document. */
  firstOffset: number;
}

/** How long document edits settle before the view refreshes. */
const REFRESH_DELAY_MS = 300;

export class CitedProvider implements vscode.TreeDataProvider<CitedNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<CitedNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private doc: vscode.TextDocument | undefined;
  /** Keyed by the document object, not its URI: a closed untitled document's URI is reused. */
  private cache: { doc: vscode.TextDocument; version: number; generation: number; nodes: CitedNode[] } | undefined;
  private generation = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Called after the view's contents may have changed (for the view's description). */
  onRefresh: (() => void) | undefined;

  constructor(private readonly libraries: LibraryService) {
    this.track(vscode.window.activeTextEditor);
    const off = libraries.library.onDidChange(() => {
      this.generation++;
      this.scheduleRefresh();
    });
    this.disposables.push(
      { dispose: off },
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (this.track(e)) this.refresh();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === this.doc && e.contentChanges.length) this.scheduleRefresh();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === this.doc) {
          this.doc = undefined;
          this.cache = undefined;
          this.refresh();
        }
      }),
    );
    // the library may still be loading: unknown keys become known when it is ready
    void libraries.ready.then(() => this.refresh());
  }

  /** Follows `editor` if it shows a document; returns true when the tracked document changed. */
  private track(editor: vscode.TextEditor | undefined): boolean {
    const doc = editor?.document;
    if (!doc || !CITED_VIEW_LANGUAGES.has(doc.languageId) || doc === this.doc) return false;
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
    this.emitter.fire(undefined);
    this.onRefresh?.();
  }

  /** The cited keys of the document, in order of first use. */
  nodes(): CitedNode[] {
    const doc = this.document;
    if (!doc) return [];
    const c = this.cache;
    if (c && c.doc === doc && c.version === doc.version && c.generation === this.generation) return c.nodes;
    const library = this.libraries.library;
    const byKey = new Map<string, CitedNode>();
    let citations: { key: string; start: number }[] = [];
    try {
      citations = findCitations(doc.getText(), syntaxForLanguage(doc.languageId));
    } catch {
      citations = [];
    }
    for (const cit of [...citations].sort((a, b) => a.start - b.start)) {
      const seen = byKey.get(cit.key);
      if (seen) seen.count++;
      else byKey.set(cit.key, { key: cit.key, paper: library.get(cit.key), count: 1, firstOffset: cit.start });
    }
    const nodes = [...byKey.values()];
    this.cache = { doc, version: doc.version, generation: this.generation, nodes };
    return nodes;
  }

  getChildren(node?: CitedNode): CitedNode[] {
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
      return item;
    }
    const item = new vscode.TreeItem(p.title, vscode.TreeItemCollapsibleState.None);
    item.id = `cited:${node.key}`;
    item.description = (firstAuthorYear(p) || node.key) + times;
    item.iconPath = new vscode.ThemeIcon('book');
    item.contextValue = p.source === 'builtin' ? 'citelens.paper.cited' : 'citelens.paper.bib';
    item.command = { command: 'citelens.openPaperCard', title: 'Open Paper Card', arguments: [node.key] };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: CitedNode): vscode.TreeItem {
    if (node.paper) item.tooltip = renderPaperCard(node.paper, this.libraries.library, { citedHere: node.count });
    return item;
  }

  /** "main.tex · 12 papers · 1 unknown", or undefined when no document is tracked. */
  summary(): string | undefined {
    const doc = this.document;
    if (!doc) return undefined;
    const nodes = this.nodes();
    const unknown = nodes.filter((n) => !n.paper).length;
    const name = doc.uri.path.slice(doc.uri.path.lastIndexOf('/') + 1);
    const known = nodes.length - unknown;
    return [name, `${known} paper${known === 1 ? '' : 's'}`, unknown ? `${unknown} unknown` : ''].filter(Boolean).join(' · ');
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.emitter.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

let active: CitedProvider | undefined;

/** The provider of the registered view, for tests. */
export function activeCitedProvider(): CitedProvider | undefined {
  return active;
}

/** Registers the `citelens.cited` tree view. */
export function registerCitedView(libraries: LibraryService): vscode.Disposable {
  const provider = new CitedProvider(libraries);
  active = provider;
  const view = vscode.window.createTreeView('citelens.cited', { treeDataProvider: provider, showCollapseAll: false });
  const describe = () => {
    view.description = provider.summary();
  };
  provider.onRefresh = describe;
  describe();
  return vscode.Disposable.from(view, provider, { dispose: () => void (active === provider && (active = undefined)) });
}
