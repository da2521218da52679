/**
 * `Citelens: Search and Cite`: a QuickPick ranked by the server's index (VS Code's own filtering and
 * sorting stay out of the way: every item is `alwaysShow`), multi-select, with buttons to open the
 * paper card and copy BibTeX. Weak matches are set apart under a separator; a query with no match
 * says so and offers what to do. Accepting cites the picked papers at the cursor.
 */
import * as vscode from 'vscode';
import type { PaperSummary, SearchResult } from '../protocol/requests';
import { CitationInserter } from './citationInserter';
import { Logger } from './logger';
import { CitelensServer, toPosition } from './serverApi';

export interface PaperPickItem extends vscode.QuickPickItem {
  paper?: PaperSummary;
  /** An item that runs a command instead of citing (the no-match item's offers). */
  run?: () => unknown;
}

/** A chord as the platform writes it: "Ctrl+Alt+O", "⌥⌘O". */
const chord = (letter: string) => (process.platform === 'darwin' ? `⌥⌘${letter}` : `Ctrl+Alt+${letter}`);
// the buttons' actions also have keys (package.json keybindings), since a QuickPick's buttons take no keyboard focus
const OPEN_CARD: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('preview'), tooltip: `Open paper card (${chord('O')})` };
const COPY_BIBTEX: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('copy'), tooltip: `Copy BibTeX (${chord('B')})` };
const PICK_SEVERAL: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('checklist'), tooltip: `Pick several papers (${chord('M')})` };
/** The context key that is true while Search and Cite's QuickPick is open (its keybindings' `when`). */
const OPEN_CONTEXT = 'citelens.searchAndCiteOpen';

/** The QuickPick open now, and how to answer it, for extension-host tests. */
export interface SearchTesting {
  pick: vscode.QuickPick<PaperPickItem>;
  /** Types into the QuickPick as a person would; settles when its items are shown. */
  type: (value: string) => Promise<void>;
  accept: (items: readonly PaperPickItem[]) => void;
}
let activePick: SearchTesting | undefined;
export function activeSearch(): SearchTesting | undefined {
  return activePick;
}

/** A paper as a QuickPick item: the title (never read as a codicon), the key, authors · year · venue. */
export function toPickItem(paper: PaperSummary): PaperPickItem {
  return {
    label: paper.title.replace(/\$\(/g, '$\u200B('),
    description: paper.cited ? `${paper.key} · ✓ cited` : paper.key,
    detail: paper.detail,
    alwaysShow: true,
    buttons: [OPEN_CARD, COPY_BIBTEX],
    paper,
  };
}

/** The items for a search result: strong hits, then weak ones under a separator, or the no-match offers. */
export function resultItems(query: string, result: SearchResult, builtinEnabled: boolean): PaperPickItem[] {
  if (!result.hits.length) {
    if (!query.trim()) return [];
    const items: PaperPickItem[] = [{ label: `No papers match “${query.trim()}”`, detail: result.complete ? 'Check the spelling, or try other words: a surname, a year, a system name.' : 'Libraries are still loading: more papers may match in a moment.', alwaysShow: true }];
    if (!builtinEnabled) items.push({ label: '$(library) Search the built-in corpus too', detail: 'Turn on citelens.builtinCorpus.enabled', alwaysShow: true, run: () => vscode.workspace.getConfiguration('citelens').update('builtinCorpus.enabled', true, vscode.ConfigurationTarget.Global) });
    items.push({ label: '$(new-file) Add a library file…', detail: 'BibTeX, BibLaTeX, CSL-JSON or a page listing', alwaysShow: true, run: () => vscode.commands.executeCommand('citelens.addLibrary') });
    return items;
  }
  const items = result.hits.map((h) => toPickItem(h.paper));
  if (result.strongCount > 0 && result.strongCount < items.length) {
    items.splice(result.strongCount, 0, { label: 'weaker matches', kind: vscode.QuickPickItemKind.Separator, alwaysShow: true });
  }
  return items;
}

export function registerSearchAndCite(server: CitelensServer, inserter: CitationInserter, logger: Logger): vscode.Disposable {
  /** The open QuickPick's button actions, for their keys. */
  let keys: { button: (b: vscode.QuickInputButton) => void; item: (b: vscode.QuickInputButton) => void } | undefined;
  return vscode.Disposable.from(
    vscode.commands.registerCommand('citelens.searchAndCite.openCard', () => keys?.item(OPEN_CARD)),
    vscode.commands.registerCommand('citelens.searchAndCite.copyBibtex', () => keys?.item(COPY_BIBTEX)),
    vscode.commands.registerCommand('citelens.searchAndCite.pickSeveral', () => keys?.button(PICK_SEVERAL)),
    vscode.commands.registerCommand('citelens.searchAndCite', async (initialQuery?: string) => {
      const editor = vscode.window.activeTextEditor;
      const pick = vscode.window.createQuickPick<PaperPickItem>();
      const disposables: vscode.Disposable[] = [pick];
      pick.title = 'Citelens: Search and Cite';
      pick.placeholder = 'Search by title, system name, author, year, arXiv id or key';
      pick.canSelectMany = false;
      pick.buttons = [PICK_SEVERAL];
      pick.matchOnDescription = false;
      pick.matchOnDetail = false;
      try {
        // a proposed API in 1.100; where it is not available the items' alwaysShow keeps our order mostly
        (pick as unknown as { sortByLabel: boolean }).sortByLabel = false;
      } catch {
        /* not available */
      }
      let generation = 0;
      const update = async (value: string) => {
        const mine = ++generation;
        pick.busy = true;
        try {
          const result = await server.search({ query: value, limit: 50, uri: editor?.document.uri.toString(), position: editor ? toPosition(editor.selection.active) : undefined });
          if (mine !== generation) return; // a newer keystroke won
          pick.items = resultItems(value, result, vscode.workspace.getConfiguration('citelens').get<boolean>('builtinCorpus.enabled', true));
        } catch (e) {
          logger.error('search', e);
        } finally {
          if (mine === generation) pick.busy = false;
        }
      };
      const onButton = (button: vscode.QuickInputButton) => {
        if (button !== PICK_SEVERAL) return;
        // several papers: check them, then Enter cites all checked ones in one citation
        const items = pick.items;
        pick.canSelectMany = !pick.canSelectMany;
        pick.items = items;
      };
      const onItemButton = async (button: vscode.QuickInputButton, item: PaperPickItem | undefined) => {
        if (!item?.paper) return;
        if (button === OPEN_CARD) await vscode.commands.executeCommand('citelens.openPaperCard', item.paper.key);
        else if (button === COPY_BIBTEX) await vscode.commands.executeCommand('citelens.copyBibtex', item.paper.key);
      };
      const mine = { button: onButton, item: (b: vscode.QuickInputButton) => void onItemButton(b, pick.activeItems[0]).catch((e) => logger.error('search and cite', e)) };
      keys = mine;
      void vscode.commands.executeCommand('setContext', OPEN_CONTEXT, true);
      disposables.push(
        { dispose: () => void (keys === mine && ((keys = undefined), vscode.commands.executeCommand('setContext', OPEN_CONTEXT, false))) },
        pick.onDidChangeValue((v) => void update(v)),
        pick.onDidTriggerButton(onButton),
        pick.onDidTriggerItemButton(({ button, item }) => onItemButton(button, item)),
      );
      const chosen = await new Promise<PaperSummary[]>((resolve) => {
        const accept = (picked: readonly PaperPickItem[]) => {
          const action = picked.find((i) => i.run);
          if (action) {
            resolve([]);
            pick.hide();
            void action.run!();
            return;
          }
          resolve(picked.map((i) => i.paper).filter((p): p is PaperSummary => !!p));
          pick.hide();
        };
        disposables.push(
          pick.onDidAccept(() => accept(pick.selectedItems.length ? pick.selectedItems : pick.activeItems)),
          pick.onDidHide(() => resolve([])),
        );
        if (typeof initialQuery === 'string') pick.value = initialQuery;
        activePick = {
          pick,
          type: async (value) => {
            pick.value = value;
            await update(value);
          },
          accept,
        };
        void update(pick.value);
        pick.show();
      }).finally(() => {
        activePick = undefined;
        vscode.Disposable.from(...disposables).dispose();
      });
      if (!chosen.length) return undefined;
      const target = editor ?? vscode.window.activeTextEditor;
      if (!target) {
        await vscode.env.clipboard.writeText(chosen.map((p) => p.key).join(', '));
        void vscode.window.showInformationMessage('No editor is open: the keys were copied to the clipboard.');
        return undefined;
      }
      return inserter.cite(target, chosen.map((p) => p.key));
    }),
  );
}
