/**
 * Dragging papers from the Citelens views into an editor inserts their citation in the target
 * document's syntax, with the bibliography entries: the tree puts the keys on the drag under
 * Citelens's own MIME type (and as plain text), and a drop-edit provider turns them into a citation.
 */
import * as vscode from 'vscode';
import { syntaxForLanguage } from '../core/citations/languages';
import { citationInsertEdit } from '../core/citations/citationInsertEdit';
import { Library } from '../core/library/library';
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

/** Turns a drop of papers from the Citelens views into a citation plus bibliography entries. */
export class PaperDropProvider implements vscode.DocumentDropEditProvider {
  constructor(
    private readonly library: Library,
    private readonly inserter: CitationInserter,
    private readonly config: Config,
  ) {}

  async provideDocumentDropEdits(doc: vscode.TextDocument, position: vscode.Position, data: vscode.DataTransfer): Promise<vscode.DocumentDropEdit | undefined> {
    const item = data.get(PAPER_MIME);
    if (!item) return undefined;
    let keys: unknown;
    try {
      keys = JSON.parse(await item.asString());
    } catch {
      return undefined;
    }
    if (!Array.isArray(keys)) return undefined;
    const papers = keys.map((k) => this.library.get(String(k))).filter((p): p is NonNullable<typeof p> => !!p);
    if (!papers.length) return undefined;
    const edit = citationInsertEdit(doc.getText(), doc.offsetAt(position), papers.map((p) => p.key), syntaxForLanguage(doc.languageId), {
      latexCommand: this.config.latexCommand,
      template: this.config.citationFormats[doc.languageId],
    });
    const drop = new vscode.DocumentDropEdit('');
    const additional = new vscode.WorkspaceEdit();
    additional.replace(doc.uri, new vscode.Range(doc.positionAt(edit.start), doc.positionAt(edit.end)), edit.newText);
    await this.inserter.planBibliography(doc, papers, additional);
    drop.additionalEdit = additional;
    return drop;
  }
}

export function registerPaperDrop(provider: PaperDropProvider): vscode.Disposable {
  return vscode.languages.registerDocumentDropEditProvider(DOCUMENT_SELECTOR, provider);
}
