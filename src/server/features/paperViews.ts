/** How a paper is sent to the editor: a summary for lists, a Markdown card for hovers and tooltips. */
import { MarkupContent, MarkupKind } from 'vscode-languageserver';
import { CardAction, cardMarkdown } from '../../core/render/cardMarkdown';
import { firstAuthorYear, paperDetail } from '../../core/render/paperText';
import { BUILTIN_SOURCE, Paper } from '../../core/model/paper';
import { PaperSummary } from '../../protocol/requests';

/** A paper as a picker or tree lists it. */
export function summaryOf(p: Paper, cited?: boolean): PaperSummary {
  const s: PaperSummary = {
    key: p.key,
    title: p.title,
    authors: p.authors.slice(0, 4),
    authorCount: p.authors.length,
    source: p.source,
    builtin: p.source === BUILTIN_SOURCE,
    detail: paperDetail(p),
    byline: firstAuthorYear(p),
  };
  if (p.year !== undefined) s.year = p.year;
  if (p.venue) s.venue = p.venue;
  if (p.arxiv) s.arxiv = p.arxiv;
  if (p.doi) s.doi = p.doi;
  if (p.url) s.url = p.url;
  if (p.range) s.range = { startLine: p.range.startLine, startColumn: p.range.startColumn };
  if (cited !== undefined) s.cited = cited;
  return s;
}

/** The commands a card's links may run in the VS Code client. */
export const CARD_COMMANDS = ['citelens.citeHere', 'citelens.openPaperCard', 'citelens.copyBibtex', 'citelens.citeAtCursor', 'citelens.searchAndCite'];

/** The hover card as LSP Markdown. `actions` are links only an editor that runs them is given. */
export function cardContent(p: Paper, options: { citedHere?: number; topics?: readonly string[]; actions?: CardAction[] }): MarkupContent {
  return { kind: MarkupKind.Markdown, value: cardMarkdown(p, options) };
}
