/**
 * Dragging papers from the Citelens views into an editor inserts their citation in the target
 * document's syntax, with the bibliography entries: the tree puts the keys on the drag under
 * Citelens's own MIME type (and as plain text), and a drop-edit provider turns them into a citation.
 */
import * as vscode from 'vscode';
import { citationInsertEdit, syntaxForLanguage } from '../core/citationSyntax';
import { Library } from '../core/library';
import { CitationInserter } from './citationInserter';
import { Config } from './config';
import { DOCUMENT_SELECTOR } from './documentAnalysis';
import { TopicNode } from './topicsView';

export const PAPER_MIME = 'application/vnd.code.tree.citelens.topics';

export class PaperDragController implements vscode.TreeDragAndDropController<TopicNode> {
  readonly dragMimeTypes = [PAPER_MIME, 'text/plain'];
  readonly dropMimeTypes: string[] = [];

  handleDrag(source: readonly TopicNode[], data: vscode.DataTransfer): void {
    const keys = source.filter((n): n is Extract<TopicNode, { kind: 'paper' }> => n.kind === 'paper').map((n) => n.paper.key);
    if (!keys.length) return;
    data.set(PAPER_MIME, new vscode.DataTransferItem(JSON.stringify(keys)));
    data.set('text/plain', new vscode.DataTransferItem(keys.join(', ')));
  }
}

export function registerPaperDrop(library: Library, inserter: CitationInserter, config: Config): vscode.Disposable {
  return vscode.languages.registerDocumentDropEditProvider(
    DOCUMENT_SELECTOR,
    {
      async provideDocumentDropEdits(doc, position, data) {
        const item = data.get(PAPER_MIME);
        if (!item) return undefined;
        let keys: string[];
        try {
          keys = JSON.parse(await item.asString());
        } catch {
          return undefined;
        }
        const papers = keys.map((k) => library.get(k)).filter((p): p is NonNullable<typeof p> => !!p);
        if (!papers.length) return undefined;
        const edit = citationInsertEdit(doc.getText(), doc.offsetAt(position), papers.map((p) => p.key), syntaxForLanguage(doc.languageId), {
          latexCommand: config.latexCommand,
          template: config.citationFormats[doc.languageId],
        });
        const drop = new vscode.DocumentDropEdit('');
        const additional = new vscode.WorkspaceEdit();
        additional.replace(doc.uri, new vscode.Range(doc.positionAt(edit.start), doc.positionAt(edit.end)), edit.newText);
        await inserter.planBibliography(doc, papers, additional);
        drop.additionalEdit = additional;
        return drop;
      },
    },
  );
}
