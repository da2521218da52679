/**
 * The paper card: one reused webview panel showing a paper in full (title, authors, venue, key,
 * links, topics, abstract, BibTeX with Copy, Cite at cursor, the five most related papers). The page
 * comes from the server (library text escaped, strict CSP with a nonce); its script only posts
 * messages, which are validated here. The card is styled from its first paint (the stylesheet goes
 * inline under the nonce). After a window reload it comes back at once: the page saves its key as
 * webview state, a serializer restores the panel, and the last card's page (kept in workspace state)
 * is shown under a fresh nonce until the server, which may still be loading libraries, answers.
 * Because the webview takes focus, the card remembers the last active text editor and cites there.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { CitationInserter } from './citationInserter';
import { isCitelensDocument } from './documentSelector';
import { keyOf } from './libraryCommands';
import { Logger } from './logger';
import { CitelensServer, toPosition } from './serverApi';

/** The webview panel's view type. */
export const PAPER_CARD_VIEW_TYPE = 'citelens.paperCard';

/** What the card's page keeps across a reload (`vscode.setState`). */
interface CardState {
  key?: string;
}

/** The last card's page, kept in workspace state to show at once after a reload. */
interface SavedCard {
  key: string;
  title: string;
  html: string;
  /** The nonce the page carries (replaced by a fresh one when it is shown again). */
  nonce: string;
  /** The webview's `cspSource` and media URI it was made for: a page made for others is not reused. */
  cspSource: string;
  mediaUri: string;
}
const SAVED_CARD = 'citelens.paperCard.lastPage';

/** A fresh nonce: letters and digits only, so it never needs escaping. */
function newNonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, 'x');
}

export class PaperCardPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private key: string | undefined;
  private lastEditor: vscode.TextEditor | undefined;
  private renderGeneration = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private styleText: Promise<string | undefined> | undefined;
  /** The page the panel shows, without its nonce (to tell whether a new render changes anything). */
  private shownPage: string | undefined;

  /** `memento` (workspace state) keeps the last card's page for a restore after reload. */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly server: CitelensServer,
    private readonly inserter: CitationInserter,
    private readonly logger: Logger,
    private readonly memento?: vscode.Memento,
  ) {
    this.trackEditor(vscode.window.activeTextEditor);
    this.disposables.push(vscode.window.onDidChangeActiveTextEditor((e) => this.trackEditor(e)));
  }

  private trackEditor(editor: vscode.TextEditor | undefined): void {
    if (editor && editor.document.uri.scheme !== 'output') this.lastEditor = editor;
  }

  /** The key of the paper the card shows, if the card is open. */
  get currentKey(): string | undefined {
    return this.panel ? this.key : undefined;
  }

  /** The card's current HTML, if the card is open (for tests). */
  currentHtml(): string | undefined {
    return this.panel?.webview.html;
  }

  /** The panel, if open (for tests). */
  get webviewPanel(): vscode.WebviewPanel | undefined {
    return this.panel;
  }

  /** The text editor citations go to: the last active one (the card itself takes focus), else a visible one. */
  targetEditor(): vscode.TextEditor | undefined {
    const last = this.lastEditor;
    if (last && !last.document.isClosed) {
      return vscode.window.visibleTextEditors.find((e) => e === last) ?? vscode.window.visibleTextEditors.find((e) => e.document === last.document) ?? last;
    }
    return vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme !== 'output');
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, enableCommandUris: false, enableFindWidget: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] };
  }

  /**
   * Adopts a panel VS Code restored after a reload and fills it at once: with the last card's page
   * when it shows the same paper, else a short note; the server's fresh card follows when it answers.
   */
  async restore(panel: vscode.WebviewPanel, state: CardState | undefined): Promise<void> {
    if (this.panel && this.panel !== panel) this.panel.dispose();
    const key = typeof state?.key === 'string' && state.key ? state.key : undefined;
    if (!key) {
      panel.dispose();
      return;
    }
    panel.webview.options = this.options();
    this.adopt(panel);
    this.key = key;
    const saved = this.memento?.get<SavedCard>(SAVED_CARD);
    const mediaUri = panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media')).toString();
    if (saved && saved.key === key && saved.cspSource === panel.webview.cspSource && saved.mediaUri === mediaUri && saved.nonce) {
      panel.title = cardTitle(saved.title);
      panel.webview.html = saved.html.split(saved.nonce).join(newNonce());
      this.shownPage = saved.html.split(saved.nonce).join('');
    } else {
      const nonce = newNonce();
      panel.webview.html = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';"><style nonce="${nonce}">body{color:var(--vscode-descriptionForeground);font-family:var(--vscode-font-family);padding:18px 20px}</style></head><body><p>Loading the paper card…</p></body></html>`;
    }
    this.show(key).catch((e) => this.logger.error('restoring the paper card', e));
  }

  /** The stylesheet's text with its icon URLs made webview URIs, read once. */
  private async stylesheet(webview: vscode.Webview): Promise<string | undefined> {
    this.styleText ??= Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, 'media', 'paperCard.css'))).then(
      (bytes) => new TextDecoder().decode(bytes),
      (e: unknown) => {
        this.logger.error('reading media/paperCard.css', e);
        return undefined;
      },
    );
    const css = await this.styleText;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    return css?.replace(/url\(([\w./-]+)\)/g, (_m, rel: string) => `url(${webview.asWebviewUri(vscode.Uri.joinPath(media, rel)).toString()})`);
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'citelens.svg');
    const subscriptions = [
      panel.webview.onDidReceiveMessage((m: unknown) => {
        this.handleMessage(m).catch((e) => this.logger.error('paper card message', e));
      }),
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.key = undefined;
          this.shownPage = undefined;
        }
        vscode.Disposable.from(...subscriptions).dispose();
      }),
    ];
  }

  /** Shows the paper `key` on the card, opening the panel or reusing the open one. False when no library has it. */
  async show(key: string): Promise<boolean> {
    const page = await this.render(key);
    if (!page) return false;
    return true;
  }

  private async render(key: string): Promise<boolean> {
    const generation = ++this.renderGeneration;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    // the page is made for a webview; make the panel first so its CSP source and URIs are known
    let panel = this.panel;
    const reused = !!panel;
    if (!panel) {
      panel = vscode.window.createWebviewPanel(PAPER_CARD_VIEW_TYPE, 'Paper', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.options());
      this.adopt(panel);
    }
    const webview = panel.webview;
    const nonce = newNonce();
    const card = await this.server.paperCard({
      key,
      uri: this.targetEditor()?.document.uri.toString(),
      nonce,
      cspSource: webview.cspSource,
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'paperCard.css')).toString(),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'paperCard.js')).toString(),
      styleText: await this.stylesheet(webview),
    });
    // a newer show() won the race: leave its card alone
    if (generation !== this.renderGeneration || this.panel !== panel) return !!card;
    if (!card) {
      if (!this.key) panel.dispose();
      return false;
    }
    this.key = card.key;
    panel.title = cardTitle(card.title);
    // the page restored after a reload may already be this one: setting it again would only reload it
    const page = card.html.split(nonce).join('');
    if (page !== this.shownPage) {
      this.shownPage = page;
      webview.html = card.html;
      const saved: SavedCard = { key: card.key, title: card.title, html: card.html, nonce, cspSource: webview.cspSource, mediaUri: webview.asWebviewUri(media).toString() };
      void Promise.resolve(this.memento?.update(SAVED_CARD, saved)).catch((e: unknown) => this.logger.error('saving the paper card', e));
    }
    if (reused && !panel.visible) panel.reveal(undefined, true);
    await shown(panel);
    return true;
  }

  /** Handles a message from the card's script; unknown or malformed messages are ignored. */
  async handleMessage(message: unknown): Promise<void> {
    if (!message || typeof message !== 'object') return;
    const m = message as { type?: unknown; key?: unknown; url?: unknown };
    const key = typeof m.key === 'string' && m.key ? m.key : this.key;
    switch (m.type) {
      case 'cite':
        if (key) await this.citeAtCursor(key);
        return;
      case 'copyBibtex':
        if (key) await vscode.commands.executeCommand('citelens.copyBibtex', key);
        return;
      case 'openPaper':
        if (typeof m.key === 'string') await this.show(m.key);
        return;
      case 'openLink': {
        const url = typeof m.url === 'string' && /^https?:\/\/[^\s()<>"']+$/.test(m.url) ? m.url : undefined;
        if (url) await vscode.env.openExternal(vscode.Uri.parse(url, true));
        return;
      }
      default:
        return;
    }
  }

  /** Cites `key` at the cursor of the last active text editor; without one, copies the key. */
  async citeAtCursor(key: string): Promise<boolean> {
    const editor = this.targetEditor();
    if (!editor || !isCitelensDocument(editor.document)) {
      await vscode.env.clipboard.writeText(key);
      void vscode.window.showInformationMessage(`No editor to cite into: copied "${key}" to the clipboard.`);
      return false;
    }
    const result = await this.inserter.cite(editor, [key]);
    if (!result) return false;
    vscode.window.setStatusBarMessage(`Cited ${key}${result.addedEntries.length ? ` and added it to ${vscode.workspace.asRelativePath(result.bibliography!)}` : ''}`, 4000);
    // the "cited N× here" line changed
    if (this.panel && this.key === key) await this.render(key);
    return true;
  }

  dispose(): void {
    this.panel?.dispose();
    this.panel = undefined;
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** Settles once the workbench shows a new panel in an editor group (at most a second). */
function shown(panel: vscode.WebviewPanel): Promise<void> {
  if (panel.viewColumn !== undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      sub.dispose();
      clearTimeout(timer);
      resolve();
    };
    const sub = panel.onDidChangeViewState(() => panel.viewColumn !== undefined && done());
    const timer = setTimeout(done, 1000);
  });
}

function cardTitle(title: string): string {
  const t = title.length > 40 ? title.slice(0, 38).trimEnd() + '…' : title;
  return `Paper: ${t}`;
}

/** Lets the user pick a paper of the library by search; resolves its key. */
async function pickPaper(server: CitelensServer, initialQuery = ''): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { key: string };
  const pick = vscode.window.createQuickPick<Item>();
  pick.title = 'Citelens: Open Paper Card';
  pick.placeholder = 'Search by title, system name, author, year, arXiv id or key';
  pick.matchOnDescription = false;
  pick.matchOnDetail = false;
  let generation = 0;
  const update = async (value: string) => {
    const mine = ++generation;
    const r = await server.search({ query: value.trim() || 'a', limit: 50 });
    if (mine !== generation) return;
    pick.items = r.hits.map((h) => ({ label: h.paper.title.replace(/\$\(/g, '$\u200B('), description: h.paper.key, detail: h.paper.detail, alwaysShow: true, key: h.paper.key }));
  };
  pick.value = initialQuery;
  void update(initialQuery);
  try {
    return await new Promise<string | undefined>((resolve) => {
      pick.onDidChangeValue((v) => void update(v));
      pick.onDidAccept(() => {
        resolve((pick.selectedItems[0] ?? pick.activeItems[0])?.key);
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
 * Registers `citelens.openPaperCard` (argument: a key, a tree node `{paper}`, or nothing for the key
 * at the cursor, else a QuickPick; returns the {@link PaperCardPanel}), `citelens.citeAtCursor`
 * (argument: a key or `{paper}`, or nothing for the card's paper), and the card's serializer.
 */
export function registerPaperCard(card: PaperCardPanel, server: CitelensServer): vscode.Disposable {
  active = card;
  return vscode.Disposable.from(
    card,
    { dispose: () => void (active === card && (active = undefined)) },
    vscode.window.registerWebviewPanelSerializer(PAPER_CARD_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) => card.restore(panel, state as CardState | undefined),
    }),
    vscode.commands.registerCommand('citelens.openPaperCard', async (arg?: unknown) => {
      let key = keyOf(arg);
      if (!key && arg === undefined) {
        const editor = vscode.window.activeTextEditor;
        const atCursor = editor ? await server.keyAt(editor.document.uri.toString(), toPosition(editor.selection.active)) : undefined;
        key = atCursor && (await server.paper(atCursor)) ? atCursor : await pickPaper(server, atCursor);
      }
      if (!key) return undefined;
      if (!(await card.show(key))) {
        void vscode.window.showWarningMessage(`Citelens: no library has a paper with key "${key}".`);
        return undefined;
      }
      return card;
    }),
    vscode.commands.registerCommand('citelens.citeAtCursor', async (arg?: unknown) => {
      const key = arg === undefined ? card.currentKey : keyOf(arg);
      if (!key) return false;
      return card.citeAtCursor(key);
    }),
  );
}
