/**
 * `Citelens: Search and Cite`: a QuickPick ranked by the library's index (VS Code's own filtering
 * and sorting stay out of the way: every item is `alwaysShow`), multi-select, with buttons to open
 * the paper card and copy BibTeX. Accepting cites the picked papers at the cursor.
 */
import * as vscode from 'vscode';
import { toBibtex } from '../core/sources/bibtex/writer';
import { Paper } from '../core/model/paper';
import { CitationInserter } from './citationInserter';
import { LibraryService } from './libraryService';
import { Logger } from './logger';
import { paperDetail } from './paperText';

export interface PaperPickItem extends vscode.QuickPickItem {
  paper: Paper;
}

/** Papers for an empty query: related to the paragraph at the cursor, or recently cited. */
export type EmptyQuerySuggestions = (editor: vscode.TextEditor | undefined) => Paper[];

const OPEN_CARD: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('preview'), tooltip: 'Open paper card' };
const COPY_BIBTEX: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('copy'), tooltip: 'Copy BibTeX' };
const PICK_SEVERAL: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('checklist'), tooltip: 'Pick several papers' };

/** The QuickPick currently open, and how to answer it, for extension-host tests. */
let activePick: { pick: vscode.QuickPick<PaperPickItem>; type: (value: string) => void; accept: (items: readonly PaperPickItem[]) => void } | undefined;
export function activeQuickPick(): vscode.QuickPick<PaperPickItem> | undefined {
  return activePick?.pick;
}
/** Types into the open QuickPick as a person would (the value, then the ranked items). */
export function typeQuery(value: string): void {
  activePick?.type(value);
}
/** Accepts the given items of the open QuickPick, as Enter does. */
export function acceptItems(items: readonly PaperPickItem[]): void {
  activePick?.accept(items);
}

export function toPickItem(paper: Paper): PaperPickItem {
  return {
    label: paper.title.replace(/\$\(/g, '$\u200B('), // a title is never read as a codicon
    description: paper.key,
    detail: paperDetail(paper),
    alwaysShow: true,
    buttons: [OPEN_CARD, COPY_BIBTEX],
    paper,
  };
}

export function registerSearchAndCite(
  libraries: LibraryService,
  inserter: CitationInserter,
  emptyQuery: EmptyQuerySuggestions,
  logger: Logger,
): vscode.Disposable {
  return vscode.commands.registerCommand('citelens.searchAndCite', async (initialQuery?: string) => {
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
    await libraries.ready;
    const update = (value: string) => {
      try {
        const papers = value.trim() ? libraries.library.search(value, 50).map((h) => h.paper) : emptyQuery(editor);
        pick.items = papers.map(toPickItem);
      } catch (e) {
        logger.error('search', e);
      }
    };
    disposables.push(
      pick.onDidChangeValue(update),
      pick.onDidTriggerButton((button) => {
        if (button !== PICK_SEVERAL) return;
        // several papers: check them, then Enter cites all checked ones in one citation
        const items = pick.items;
        pick.canSelectMany = !pick.canSelectMany;
        pick.items = items;
      }),
      pick.onDidTriggerItemButton(async ({ button, item }) => {
        if (button === OPEN_CARD) await vscode.commands.executeCommand('citelens.openPaperCard', item.paper.key);
        else if (button === COPY_BIBTEX) {
          await vscode.env.clipboard.writeText(toBibtex(item.paper));
          vscode.window.setStatusBarMessage(`Copied BibTeX for ${item.paper.key}`, 3000);
        }
      }),
    );
    const chosen = await new Promise<Paper[]>((resolve) => {
      const accept = (picked: readonly PaperPickItem[]) => {
        resolve(picked.map((i) => i.paper));
        pick.hide();
      };
      disposables.push(
        pick.onDidAccept(() => accept(pick.selectedItems.length ? pick.selectedItems : pick.activeItems)),
        pick.onDidHide(() => resolve([])),
      );
      if (typeof initialQuery === 'string') pick.value = initialQuery;
      update(pick.value);
      activePick = {
        pick,
        type: (value) => {
          pick.value = value;
          update(value);
        },
        accept,
      };
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
    return inserter.cite(target, chosen);
  });
}
