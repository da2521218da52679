/**
 * Related papers for what is being written: the *Related* view (updated when the cursor moves to
 * another paragraph, debounced, stale answers dropped; it keeps its last suggestions while the paper
 * card or another non-document has focus) and `Citelens: Suggest Citations` (a QuickPick for the
 * selection or the paragraph; accepting cites at the end of the sentence).
 */
import * as vscode from 'vscode';
import type { RelatedSuggestion } from '../protocol/requests';
import { CitationInserter } from './citationInserter';
import { Config } from './config';
import { isCitelensDocument } from './documentSelector';
import { Logger } from './logger';
import { CitelensServer, toPosition } from './serverApi';
import { paperTreeItem } from './topicsView';

type RelatedNode = { suggestion: RelatedSuggestion };

export class RelatedProvider implements vscode.TreeDataProvider<RelatedNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  suggestions: RelatedSuggestion[] = [];

  constructor(private readonly server: CitelensServer) {}

  set(s: RelatedSuggestion[]): void {
    this.suggestions = s;
    this.emitter.fire();
  }

  getChildren(node?: RelatedNode): RelatedNode[] {
    return node ? [] : this.suggestions.map((suggestion) => ({ suggestion }));
  }

  getTreeItem({ suggestion: s }: RelatedNode): vscode.TreeItem {
    const item = paperTreeItem(s.paper, `related:${s.key}`, { cited: s.cited, description: (s.cited ? '✓ cited · ' : '') + s.evidence.slice(0, 3).join(', ') });
    item.iconPath = new vscode.ThemeIcon(s.cited ? 'pass' : 'lightbulb');
    return item;
  }

  async resolveTreeItem(item: vscode.TreeItem, node: RelatedNode): Promise<vscode.TreeItem> {
    const p = await this.server.paper(node.suggestion.key);
    if (p) item.tooltip = new vscode.MarkdownString(p.markdown);
    return item;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** The Related view's provider, for tests. */
let active: RelatedProvider | undefined;
export function activeRelated(): RelatedProvider | undefined {
  return active;
}

export function registerRelated(server: CitelensServer, inserter: CitationInserter, config: Config, logger: Logger): vscode.Disposable {
  const provider = new RelatedProvider(server);
  active = provider;
  const view = vscode.window.createTreeView('citelens.related', { treeDataProvider: provider });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastPassage = '';
  let generation = 0;

  const refresh = async (force = false) => {
    const editor = vscode.window.activeTextEditor;
    // the paper card, a view or the output has focus: keep the last suggestions
    if (!editor || !isCitelensDocument(editor.document) || !config.relatedEnabled) return;
    const mine = ++generation;
    try {
      const doc = editor.document;
      const { suggestions, passage } = await server.related({ uri: doc.uri.toString(), position: toPosition(editor.selection.active), range: editor.selection.isEmpty ? undefined : { start: toPosition(editor.selection.start), end: toPosition(editor.selection.end) }, limit: 8 });
      if (mine !== generation) return; // a newer request superseded this one
      const id = passage ? `${doc.uri}#${passage.start.line}:${passage.end.line}:${doc.version}` : '';
      if (!force && id === lastPassage) return;
      lastPassage = id;
      provider.set(suggestions);
      view.description = suggestions.length && passage ? `for the paragraph at line ${passage.start.line + 1}` : undefined;
    } catch (e) {
      logger.error('related papers', e);
    }
  };
  const schedule = (delay: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), delay);
  };

  return vscode.Disposable.from(
    view,
    provider,
    { dispose: () => clearTimeout(timer) },
    { dispose: () => void (active === provider && (active = undefined)) },
    // cursor moves are debounced; typing only re-runs once the writer pauses
    vscode.window.onDidChangeTextEditorSelection(() => schedule(600)),
    vscode.window.onDidChangeActiveTextEditor(() => schedule(100)),
    view.onDidChangeVisibility((e) => e.visible && schedule(50)),
    server.onDidChangeLibrary((p) => !p.loading && schedule(300)),
    vscode.commands.registerCommand('citelens.refreshRelated', () => refresh(true)),
    vscode.commands.registerCommand('citelens.suggestCitations', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Open a LaTeX or Markdown document to get citation suggestions for its paragraph.');
        return undefined;
      }
      const doc = editor.document;
      const { suggestions } = await server.related({ uri: doc.uri.toString(), position: toPosition(editor.selection.active), range: editor.selection.isEmpty ? undefined : { start: toPosition(editor.selection.start), end: toPosition(editor.selection.end) }, limit: 15 });
      if (!suggestions.length) {
        void vscode.window.showInformationMessage('Citelens found no papers related to this paragraph. Write a little more, or add a library.');
        return undefined;
      }
      const items = suggestions.map((s) => ({
        label: s.title.replace(/\$\(/g, '$\u200B('),
        description: s.cited ? `${s.key} · ✓ cited` : s.key,
        detail: `${s.paper.detail ? s.paper.detail + ' · ' : ''}shares: ${s.evidence.join(', ')}`,
        alwaysShow: true,
        suggestion: s,
      }));
      const picked = await vscode.window.showQuickPick(items, { title: 'Citelens: Suggest Citations', placeHolder: 'Papers this paragraph should cite, best first; Enter cites at the end of the sentence', matchOnDescription: true });
      if (!picked) return undefined;
      return inserter.cite(editor, [picked.suggestion.key], editor.selection.active, { atSentenceEnd: true });
    }),
  );
}
