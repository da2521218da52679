/** The paper card as a `MarkdownString` whose only trusted commands are Citelens's own. */
import * as vscode from 'vscode';
import { CardAction, cardMarkdown } from '../core/render/cardMarkdown';
import { Library } from '../core/library/library';
import { Paper } from '../core/model/paper';

/** Commands a card may run; `isTrusted` lists only these. */
export const CARD_COMMANDS = ['citelens.citeHere', 'citelens.openPaperCard', 'citelens.copyBibtex', 'citelens.citeAtCursor'];

export function renderPaperCard(
  paper: Paper,
  _library: Library,
  options: { citedHere?: number; topics?: readonly string[]; actions?: CardAction[] } = {},
): vscode.MarkdownString {
  const actions = options.actions ?? [
    { title: 'Open card', command: 'citelens.openPaperCard', args: [paper.key] },
    { title: 'Copy BibTeX', command: 'citelens.copyBibtex', args: [paper.key] },
  ];
  const md = new vscode.MarkdownString(cardMarkdown(paper, { ...options, actions }));
  md.isTrusted = { enabledCommands: CARD_COMMANDS };
  md.supportHtml = false;
  md.supportThemeIcons = false;
  return md;
}
