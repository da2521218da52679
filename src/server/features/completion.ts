/**
 * Completion inside citations: after `\…cite…{` (optional `[…]` arguments, after commas) in LaTeX
 * and after `@`/`[@` in Markdown and Typst. Items are ranked by the library's index for what was typed,
 * by title, author, year or key; the editor keeps that order and does not filter them away. Accepting
 * an item also adds the paper's entry to the bibliography (a command the server runs).
 */
import { CompletionItem, CompletionItemKind, CompletionList, CompletionParams, MarkupKind } from 'vscode-languageserver';
import { citeContextAt } from '../../core/citations/citeContext';
import { syntaxForLanguage } from '../../core/citations/languages';
import { Paper } from '../../core/model/paper';
import { paperDetail } from '../../core/render/paperText';
import { citableKey } from '../../core/sources/bibtex/append';
import { ServerCommands } from '../../protocol/requests';
import { ServerContext } from '../context';
import { cardContent } from './paperViews';

/** Completion items carry the key, for resolving their documentation. */
interface ItemData {
  key: string;
}

export const COMPLETION_TRIGGERS = ['{', ',', '@', ';'];

export function provideCompletion(ctx: ServerContext, params: CompletionParams): CompletionList | null {
  const doc = ctx.documents.get(params.textDocument.uri);
  if (!doc) return null;
  const syntax = syntaxForLanguage(doc.languageId);
  if (syntax === 'plain') return null;
  const text = doc.getText();
  const cite = citeContextAt(text, doc.offsetAt(params.position), syntax);
  if (!cite || !cite.inKey) return null; // not in the command name or a [p.~3] option
  const library = ctx.library;
  const already = new Set(cite.keysAll.filter((k) => k !== cite.prefix));
  const recent = ctx.recent.map((k) => library.get(k)).filter((p): p is Paper => !!p);
  const papers = cite.prefix ? [...keysStartingWith(library.papers(), cite.prefix, 20), ...library.search(cite.prefix, 60).map((h) => h.paper)] : [...recent, ...library.papers().slice(0, 200)];
  const range = { start: doc.positionAt(cite.replaceStart), end: doc.positionAt(cite.replaceEnd) };
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const p of papers) {
    if (seen.has(p.key) || already.has(p.key)) continue;
    seen.add(p.key);
    items.push({
      label: p.key,
      labelDetails: { description: p.title },
      kind: CompletionItemKind.Reference,
      detail: paperDetail(p),
      // an id BibTeX cannot read (a CSL-JSON URL) is typed as the key its entry will be written under
      textEdit: { range, newText: citableKey(p, (k) => { const q = library.get(k); return q !== undefined && q !== p; }) },
      // keep our ranking: every item matches whatever was typed, in our order
      filterText: cite.prefix ? `${cite.prefix} ${p.key}` : p.key,
      sortText: String(items.length).padStart(4, '0'),
      command: { title: 'Add to bibliography', command: ServerCommands.addEntries, arguments: [doc.uri, [p.key]] },
      data: { key: p.key } satisfies ItemData,
    });
  }
  return { isIncomplete: true, items };
}

/** Papers whose key starts with what was typed (any case): a writer who types a key's start means that key. */
function keysStartingWith(papers: readonly Paper[], prefix: string, limit: number): Paper[] {
  const lower = prefix.toLowerCase();
  const out: Paper[] = [];
  for (const p of papers) {
    if (p.key.length >= lower.length && p.key.slice(0, lower.length).toLowerCase() === lower) {
      out.push(p);
      if (out.length >= limit) break;
    }
  }
  return out;
}

export function resolveCompletion(ctx: ServerContext, item: CompletionItem): CompletionItem {
  const key = (item.data as ItemData | undefined)?.key;
  const p = typeof key === 'string' ? ctx.library.get(key) : undefined;
  if (p) item.documentation = cardContent(p, {});
  else if (!item.documentation && key) item.documentation = { kind: MarkupKind.PlainText, value: key };
  return item;
}
