/**
 * Completion inside citations: after `\…cite…{` (optional `[…]` arguments, after commas) in LaTeX
 * and after `@`/`[@` in Markdown. Items are ranked by the library's index for what was typed;
 * VS Code keeps that order (`sortText`) and does not filter them away (`filterText`). Accepting an
 * item also appends the paper's BibTeX entry to the document's bibliography when it lacks it.
 */
import * as vscode from 'vscode';
import { syntaxForLanguage } from '../core/citations/languages';
import { citeContextAt } from '../core/citations/citeContext';
import { Library } from '../core/library/library';
import { Paper } from '../core/model/paper';
import { CitationInserter } from './citationInserter';
import { DOCUMENT_SELECTOR } from './documentAnalysis';
import { Logger } from './logger';
import { renderPaperCard } from './paperCardMarkdown';
import { paperDetail } from './paperText';

export function registerCompletion(library: Library, inserter: CitationInserter, recent: () => Paper[], logger: Logger): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCompletionItemProvider(
      DOCUMENT_SELECTOR,
      {
        provideCompletionItems(doc, position) {
          try {
            const syntax = syntaxForLanguage(doc.languageId);
            if (syntax === 'plain') return undefined;
            const text = doc.getText();
            const ctx = citeContextAt(text, doc.offsetAt(position), syntax);
            if (!ctx || !ctx.inKey) return undefined; // not in the command name or a [p.~3] option
            const already = new Set(ctx.keysAll.filter((k) => k !== ctx.prefix));
            const papers = ctx.prefix ? library.search(ctx.prefix, 60).map((h) => h.paper) : [...recent(), ...library.papers().slice(0, 200)];
            const seen = new Set<string>();
            const range = new vscode.Range(doc.positionAt(ctx.replaceStart), doc.positionAt(ctx.replaceEnd));
            const items: vscode.CompletionItem[] = [];
            for (const p of papers) {
              if (seen.has(p.key) || already.has(p.key)) continue;
              seen.add(p.key);
              const item = new vscode.CompletionItem({ label: p.key, description: p.title }, vscode.CompletionItemKind.Reference);
              item.detail = paperDetail(p);
              item.range = range;
              item.insertText = p.key;
              // keep our ranking: every item matches whatever was typed, in our order
              item.filterText = ctx.prefix ? `${ctx.prefix} ${p.key}` : p.key;
              item.sortText = String(items.length).padStart(4, '0');
              item.command = { command: '_citelens.afterCompletion', title: 'Add to bibliography', arguments: [doc.uri.toString(), p.key] };
              (item as vscode.CompletionItem & { paper?: Paper }).paper = p;
              items.push(item);
            }
            return new vscode.CompletionList(items, true);
          } catch (e) {
            logger.error('completion', e);
            return undefined;
          }
        },
        resolveCompletionItem(item) {
          const p = (item as vscode.CompletionItem & { paper?: Paper }).paper;
          if (p) item.documentation = renderPaperCard(p, library);
          return item;
        },
      },
      '{',
      ',',
      '@',
      ';',
    ),
    vscode.commands.registerCommand('_citelens.afterCompletion', async (uri: string, key: string) => {
      const paper = library.get(key);
      const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri);
      if (!paper || !editor) return;
      await inserter.addToBibliography(editor.document, [paper]);
    }),
  );
}
