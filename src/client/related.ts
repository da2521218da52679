/**
 * Related papers for what is being written: the *Related* view (updated when the cursor moves to
 * another paragraph, debounced, stale requests dropped) and `Citelens: Suggest Citations` (a
 * QuickPick for the selection or the paragraph; accepting cites at the end of the sentence).
 */
import * as vscode from 'vscode';
import { findCitations } from '../core/citations/documentLexer';
import { syntaxForLanguage } from '../core/citations/languages';
import { Library } from '../core/library/library';
import { paragraphAt, sentenceEndAt } from '../core/text/paragraph';
import { RelatednessEngine, Suggestion } from '../core/analysis/related';
import { CitationInserter } from './citationInserter';
import { Config } from './config';
import { DOCUMENT_SELECTOR } from './documentAnalysis';
import { Logger } from './logger';
import { renderPaperCard } from './paperCardMarkdown';

/** Builds the engine lazily and again after the library changes. */
export class RelatedService implements vscode.Disposable {
  private current: RelatednessEngine | undefined;
  private readonly off: () => void;

  constructor(private readonly library: Library) {
    this.off = library.onDidChange(() => (this.current = undefined));
  }

  /** Suggestions for the passage around `editor`'s cursor (or its selection). */
  suggestFor(doc: vscode.TextDocument, selection: vscode.Selection, limit = 10): { suggestions: Suggestion[]; passage: { start: number; end: number } } {
    const text = doc.getText();
    const passage = selection.isEmpty ? paragraphAt(text, doc.offsetAt(selection.active)) : { start: doc.offsetAt(selection.start), end: doc.offsetAt(selection.end) };
    const body = text.slice(passage.start, passage.end);
    if (body.trim().split(/\s+/).length < 3) return { suggestions: [], passage };
    const syntax = syntaxForLanguage(doc.languageId);
    const cited = new Set(findCitations(body, syntax).map((c) => this.library.get(c.key)?.key ?? c.key));
    const suggestions = this.engine().suggest(body, { limit, citedKeys: cited, syntax: syntax === 'latex' ? 'latex' : syntax === 'markdown' ? 'markdown' : 'plain' });
    return { suggestions, passage };
  }

  /** The engine over the current library, built on first use after each library change. */
  engine(): RelatednessEngine {
    this.current ??= new RelatednessEngine(this.library.papers());
    return this.current;
  }

  dispose(): void {
    this.off();
  }
}

type RelatedNode = { suggestion: Suggestion };

class RelatedProvider implements vscode.TreeDataProvider<RelatedNode> {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  suggestions: Suggestion[] = [];

  constructor(private readonly library: Library) {}

  set(s: Suggestion[]): void {
    this.suggestions = s;
    this.emitter.fire();
  }

  getChildren(node?: RelatedNode): RelatedNode[] {
    return node ? [] : this.suggestions.map((suggestion) => ({ suggestion }));
  }

  getTreeItem({ suggestion: s }: RelatedNode): vscode.TreeItem {
    const item = new vscode.TreeItem(s.title);
    item.id = `related:${s.key}`;
    item.description = (s.cited ? '✓ cited · ' : '') + s.evidence.slice(0, 3).join(', ');
    item.contextValue = 'citelens.paper';
    item.iconPath = new vscode.ThemeIcon(s.cited ? 'pass' : 'lightbulb');
    item.command = { command: 'citelens.openPaperCard', title: 'Open Paper Card', arguments: [s.key] };
    const p = this.library.get(s.key);
    if (p) item.tooltip = renderPaperCard(p, this.library);
    return item;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

export function registerRelated(library: Library, ready: Promise<void>, related: RelatedService, inserter: CitationInserter, config: Config, logger: Logger): vscode.Disposable {
  const provider = new RelatedProvider(library);
  const view = vscode.window.createTreeView('citelens.related', { treeDataProvider: provider });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastPassage = '';
  let generation = 0;

  const refresh = (force = false) => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || vscode.languages.match(DOCUMENT_SELECTOR, editor.document) === 0 || !config.relatedEnabled) return;
    const mine = ++generation;
    try {
      const { suggestions, passage } = related.suggestFor(editor.document, editor.selection, 8);
      const id = `${editor.document.uri}#${passage.start}:${editor.document.getText().slice(passage.start, passage.end).length}`;
      if (!force && id === lastPassage) return;
      if (mine !== generation) return; // a newer request superseded this one
      lastPassage = id;
      provider.set(suggestions);
      view.description = suggestions.length ? `for the paragraph at line ${editor.document.positionAt(passage.start).line + 1}` : undefined;
    } catch (e) {
      logger.error('related papers', e);
    }
  };
  const schedule = (delay: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => refresh(), delay);
  };

  return vscode.Disposable.from(
    view,
    provider,
    { dispose: () => clearTimeout(timer) },
    // cursor moves are debounced; typing only re-runs once the writer pauses
    vscode.window.onDidChangeTextEditorSelection(() => schedule(600)),
    vscode.window.onDidChangeActiveTextEditor(() => schedule(100)),
    view.onDidChangeVisibility((e) => e.visible && schedule(50)),
    vscode.commands.registerCommand('citelens.refreshRelated', () => refresh(true)),
    vscode.commands.registerCommand('citelens.suggestCitations', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) {
        void vscode.window.showInformationMessage('Open a LaTeX or Markdown document to get citation suggestions for its paragraph.');
        return undefined;
      }
      await ready;
      const { suggestions } = related.suggestFor(editor.document, editor.selection, 15);
      if (!suggestions.length) {
        void vscode.window.showInformationMessage('Citelens found no papers related to this paragraph. Write a little more, or add a library.');
        return undefined;
      }
      const items = suggestions.map((s) => ({
        label: s.title.replace(/\$\(/g, '$\u200B('),
        description: s.cited ? `${s.key} · already cited` : s.key,
        detail: `shares: ${s.evidence.join(', ')}`,
        alwaysShow: true,
        suggestion: s,
      }));
      const picked = await vscode.window.showQuickPick(items, { title: 'Citelens: Suggest Citations', placeHolder: 'Papers this paragraph should cite, best first; Enter cites at the end of the sentence', matchOnDescription: true });
      if (!picked) return undefined;
      const paper = library.get(picked.suggestion.key);
      if (!paper) return undefined;
      const doc = editor.document;
      const at = doc.positionAt(sentenceEndAt(doc.getText(), doc.offsetAt(editor.selection.active)));
      return inserter.cite(editor, [paper], at, { afterMention: true });
    }),
  );
}

