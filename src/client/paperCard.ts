/**
 * The paper card: one reused webview panel showing a paper in full (title, authors, venue, key,
 * links, topics, abstract, BibTeX with Copy, Cite at cursor, the five most related papers).
 * The page is built by `core/cardHtml` (all library text escaped, strict CSP with a nonce); its
 * script only posts messages, which are validated here. Because the webview takes focus, the card
 * remembers the last active text editor and cites there.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { toBibtex } from '../core/sources/bibtex/writer';
import { RelatedPaperRef, paperCardHtml } from '../core/render/cardHtml';
import { safeUrl } from '../core/render/cardMarkdown';
import { findCitations } from '../core/citations/documentLexer';
import { syntaxForLanguage } from '../core/citations/languages';
import { Paper } from '../core/model/paper';
import { RelatednessEngine } from '../core/analysis/related';
import { CitationInserter } from './citationInserter';
import { LibraryService } from './libraryService';
import { Logger } from './logger';
import { paperDetail } from './paperText';

/** The webview panel's view type. */
export const PAPER_CARD_VIEW_TYPE = 'citelens.paperCard';

/** Language ids whose citations the card counts ("cited 2× in this document"). */
const DOCUMENT_LANGUAGES = new Set(['latex', 'tex', 'markdown', 'quarto', 'rmd', 'rmarkdown', 'typst', 'pandoc']);

/** A message from the card's script. Anything else is ignored. */
export type PaperCardMessage =
  | { type: 'cite'; key?: string }
  | { type: 'copyBibtex'; key?: string }
  | { type: 'openPaper'; key: string }
  | { type: 'openLink'; url: string };

/** What the card needs from the rest of the extension. */
export interface PaperCardDeps {
  extensionUri: vscode.Uri;
  libraries: LibraryService;
  inserter: CitationInserter;
  /** Names of the topics a paper sits under. */
  topicsOf: (p: Paper) => Promise<string[]> | string[];
  /** The relatedness engine shared with the Related view (built once per library state). */
  relatedEngine: () => RelatednessEngine;
  /** Where errors in message handling are reported (once each). */
  logger?: Logger;
}

/** How many related papers the card lists. */
const RELATED_COUNT = 5;

/** Manages the single, reused paper-card panel. */
export class PaperCardPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private paper: Paper | undefined;
  private lastEditor: vscode.TextEditor | undefined;
  private renderGeneration = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: PaperCardDeps) {
    this.trackEditor(vscode.window.activeTextEditor);
    this.disposables.push(vscode.window.onDidChangeActiveTextEditor((e) => this.trackEditor(e)));
  }

  private trackEditor(editor: vscode.TextEditor | undefined): void {
    if (editor && editor.document.uri.scheme !== 'output') this.lastEditor = editor;
  }

  /** The key of the paper the card shows, if the card is open. */
  get currentKey(): string | undefined {
    return this.panel ? this.paper?.key : undefined;
  }

  /** The card's current HTML, if the card is open (for tests). */
  currentHtml(): string | undefined {
    return this.panel?.webview.html;
  }

  /** The panel, if open (for tests). */
  get webviewPanel(): vscode.WebviewPanel | undefined {
    return this.panel;
  }

  /**
   * The text editor citations go to: the last active one (the card itself takes focus), or a
   * visible one showing the same document, or any visible text editor.
   */
  targetEditor(): vscode.TextEditor | undefined {
    const last = this.lastEditor;
    if (last && !last.document.isClosed) {
      return vscode.window.visibleTextEditors.find((e) => e === last) ?? vscode.window.visibleTextEditors.find((e) => e.document === last.document) ?? last;
    }
    return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme !== 'output');
  }

  /** Shows `paper` on the card, opening the panel or reusing the open one. */
  async show(paper: Paper): Promise<void> {
    this.paper = paper;
    if (!this.panel) {
      const media = vscode.Uri.joinPath(this.deps.extensionUri, 'media');
      this.panel = vscode.window.createWebviewPanel(
        PAPER_CARD_VIEW_TYPE,
        cardTitle(paper),
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, enableCommandUris: false, enableFindWidget: true, localResourceRoots: [media] },
      );
      this.panel.iconPath = vscode.Uri.joinPath(media, 'citelens.svg');
      const panel = this.panel;
      const subscriptions = [
        panel.webview.onDidReceiveMessage((m: unknown) => {
          this.handleMessage(m).catch((e) => this.deps.logger?.error('paper card message', e));
        }),
        panel.onDidDispose(() => {
          if (this.panel === panel) {
            this.panel = undefined;
            this.paper = undefined;
          }
          vscode.Disposable.from(...subscriptions).dispose();
        }),
      ];
    } else {
      this.panel.title = cardTitle(paper);
      if (!this.panel.visible) this.panel.reveal(undefined, true);
    }
    await this.render(paper);
  }

  private async render(paper: Paper): Promise<void> {
    const panel = this.panel;
    if (!panel) return;
    const generation = ++this.renderGeneration;
    let topics: string[] = [];
    try {
      topics = [...(await this.deps.topicsOf(paper))];
    } catch (e) {
      this.deps.logger?.error('paper card topics', e);
      topics = [];
    }
    // a newer show() won the race: leave its card alone
    if (generation !== this.renderGeneration || this.panel !== panel) return;
    const webview = panel.webview;
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'media');
    panel.webview.html = paperCardHtml({
      paper,
      topics,
      related: this.related(paper),
      bibtex: toBibtex(paper),
      nonce: randomBytes(18).toString('base64'),
      cspSource: webview.cspSource,
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'paperCard.css')).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'paperCard.js')).toString(),
      citedHere: this.citedCount(paper),
    });
  }

  /** The papers most related to `paper` (its title and abstract as the passage), itself excluded. */
  related(paper: Paper, limit = RELATED_COUNT): RelatedPaperRef[] {
    const library = this.deps.libraries.library;
    try {
      const engine = this.deps.relatedEngine();
      const passage = `${paper.title}. ${paper.abstract ?? ''}`;
      const out: RelatedPaperRef[] = [];
      for (const s of engine.suggest(passage, { limit: limit + 3, syntax: 'plain' })) {
        const p = library.get(s.key);
        if (s.key === paper.key || p === paper || (p && library.get(paper.key) === p)) continue;
        out.push({ key: s.key, title: p?.title ?? s.title, year: p?.year });
        if (out.length >= limit) break;
      }
      return out;
    } catch (e) {
      this.deps.logger?.error('paper card related papers', e);
      return [];
    }
  }

  /** How often the document of the target editor cites `paper` (any of its keys). */
  private citedCount(paper: Paper): number | undefined {
    const doc = this.targetEditor()?.document;
    if (!doc || !DOCUMENT_LANGUAGES.has(doc.languageId)) return undefined;
    const library = this.deps.libraries.library;
    const same = library.get(paper.key) ?? paper;
    try {
      return findCitations(doc.getText(), syntaxForLanguage(doc.languageId)).filter((c) => c.key === paper.key || library.get(c.key) === same).length;
    } catch {
      return undefined;
    }
  }

  /** Handles a message from the card's script; unknown or malformed messages are ignored. */
  async handleMessage(message: unknown): Promise<void> {
    if (!message || typeof message !== 'object') return;
    const m = message as { type?: unknown; key?: unknown; url?: unknown };
    const library = this.deps.libraries.library;
    const paperFor = () => (typeof m.key === 'string' && m.key ? library.get(m.key) ?? (m.key === this.paper?.key ? this.paper : undefined) : this.paper);
    switch (m.type) {
      case 'cite': {
        const p = paperFor();
        if (p) await this.citeAtCursor(p);
        return;
      }
      case 'copyBibtex': {
        const p = paperFor();
        if (!p) return;
        await vscode.env.clipboard.writeText(toBibtex(p));
        vscode.window.setStatusBarMessage(`Copied BibTeX for ${p.key}`, 3000);
        return;
      }
      case 'openPaper': {
        const p = typeof m.key === 'string' ? library.get(m.key) : undefined;
        if (p) await this.show(p);
        return;
      }
      case 'openLink': {
        const url = typeof m.url === 'string' ? safeUrl(m.url) : undefined;
        if (url) await vscode.env.openExternal(vscode.Uri.parse(url, true));
        return;
      }
      default:
        return;
    }
  }

  /** Cites `paper` at the cursor of the last active text editor; without one, copies the key. */
  async citeAtCursor(paper: Paper): Promise<boolean> {
    const editor = this.targetEditor();
    if (!editor) {
      await vscode.env.clipboard.writeText(paper.key);
      void vscode.window.showInformationMessage(`No editor to cite into: copied "${paper.key}" to the clipboard.`);
      return false;
    }
    const result = await this.deps.inserter.cite(editor, [paper]);
    if (!result) return false;
    vscode.window.setStatusBarMessage(`Cited ${paper.key}${result.addedEntries.length ? ` and added it to ${vscode.workspace.asRelativePath(result.bibliography!)}` : ''}`, 4000);
    // the "cited N× here" line changed
    if (this.panel && this.paper?.key === paper.key) await this.render(this.paper);
    return true;
  }

  dispose(): void {
    this.panel?.dispose();
    this.panel = undefined;
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

function cardTitle(p: Paper): string {
  const t = p.title.length > 40 ? p.title.slice(0, 38).trimEnd() + '…' : p.title;
  return `Paper: ${t}`;
}

/** The paper a command argument names: a key string, a tree node `{paper}`, or `{key}`. */
export function paperFromArg(libraries: LibraryService, arg: unknown): Paper | undefined {
  const library = libraries.library;
  if (typeof arg === 'string') return library.get(arg);
  if (arg && typeof arg === 'object') {
    const node = arg as { paper?: Paper; suggestion?: { key?: unknown }; key?: unknown };
    if (node.paper && typeof node.paper.key === 'string') return library.get(node.paper.key) ?? node.paper;
    if (node.suggestion && typeof node.suggestion.key === 'string') return library.get(node.suggestion.key);
    if (typeof node.key === 'string') return library.get(node.key);
  }
  return undefined;
}

/** The citation key under the cursor of `editor`, if any. */
export function keyAtCursor(editor: vscode.TextEditor | undefined): string | undefined {
  if (!editor) return undefined;
  const doc = editor.document;
  const offset = doc.offsetAt(editor.selection.active);
  try {
    const citations = findCitations(doc.getText(), syntaxForLanguage(doc.languageId));
    // on a key: that key; elsewhere in a citation (`\cite` itself, a note): its first key
    return (citations.find((c) => c.start <= offset && offset <= c.end) ?? citations.find((c) => c.citation.start <= offset && offset <= c.citation.end))?.key;
  } catch {
    return undefined;
  }
}

/** Lets the user pick a paper of the library by search. */
async function pickPaper(libraries: LibraryService, initialQuery = ''): Promise<Paper | undefined> {
  await libraries.ready;
  const library = libraries.library;
  type Item = vscode.QuickPickItem & { paper: Paper };
  const toItem = (p: Paper): Item => ({ label: p.title.replace(/\$\(/g, '$\u200B('), description: p.key, detail: paperDetail(p), alwaysShow: true, paper: p });
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'Citelens: Open Paper Card';
  pick.placeholder = 'Search by title, system name, author, year, arXiv id or key';
  pick.matchOnDescription = false;
  pick.matchOnDetail = false;
  const update = (value: string) => {
    pick.items = (value.trim() ? library.search(value, 50).map((h) => h.paper) : library.papers().slice(0, 100)).map(toItem);
  };
  pick.value = initialQuery;
  update(initialQuery);
  try {
    return await new Promise<Paper | undefined>((resolve) => {
      pick.onDidChangeValue(update);
      pick.onDidAccept(() => {
        resolve((pick.selectedItems[0] ?? pick.activeItems[0])?.paper);
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
  } finally {
    pick.dispose();
  }
}

let active: PaperCardPanel | undefined;

/** The paper-card manager of the running extension, for tests. */
export function activePaperCard(): PaperCardPanel | undefined {
  return active;
}

/**
 * Registers `citelens.openPaperCard` (argument: a key, a tree node `{paper}`, or nothing for the
 * key at the cursor, else a QuickPick; returns the {@link PaperCardPanel}) and
 * `citelens.citeAtCursor` (argument: a key or `{paper}`, or nothing for the card's paper).
 */
export function registerPaperCard(deps: PaperCardDeps): vscode.Disposable {
  const card = new PaperCardPanel(deps);
  active = card;
  const { libraries } = deps;
  return vscode.Disposable.from(
    card,
    { dispose: () => void (active === card && (active = undefined)) },
    vscode.commands.registerCommand('citelens.openPaperCard', async (arg?: unknown) => {
      await libraries.ready;
      let paper = paperFromArg(libraries, arg);
      if (!paper && arg === undefined) {
        const key = keyAtCursor(vscode.window.activeTextEditor);
        paper = key ? libraries.library.get(key) : undefined;
        // an unknown key at the cursor starts the search with it
        paper ??= await pickPaper(libraries, key);
      } else if (!paper) {
        const key = typeof arg === 'string' ? arg : (arg as { key?: unknown; paper?: { key?: unknown } })?.paper?.key ?? (arg as { key?: unknown })?.key;
        if (typeof key === 'string') void vscode.window.showWarningMessage(`Citelens: no library has a paper with key "${key}".`);
      }
      if (!paper) return undefined;
      await card.show(paper);
      return card;
    }),
    vscode.commands.registerCommand('citelens.citeAtCursor', async (arg?: unknown) => {
      await libraries.ready;
      const paper = arg === undefined ? (card.currentKey ? libraries.library.get(card.currentKey) : undefined) : paperFromArg(libraries, arg);
      if (!paper) return false;
      return card.citeAtCursor(paper);
    }),
  );
}
