/**
 * Dragging papers from the Citelens views into an editor inserts their citation in the target
 * document's syntax, with the bibliography entries: the tree puts the keys on the drag under
 * Citelens's own MIME type (and as plain text), and a drop-edit provider turns them into a citation.
 * The bibliography is saved once the drop is applied, as when citing.
 */
import * as vscode from 'vscode';
import { CitationInserter } from './citationInserter';
import { DOCUMENT_SELECTOR } from './documentSelector';
import { CitelensServer, toPosition } from './serverApi';
import { TopicNode } from './topicsView';

export const PAPER_MIME = 'application/vnd.code.tree.citelens.topics';

/** How long after a drop is planned its bibliography edit may arrive to be saved. */
const SAVE_WINDOW_MS = 10_000;

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
    private readonly server: CitelensServer,
    private readonly inserter: CitationInserter,
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
    if (!Array.isArray(keys) || !keys.length) return undefined;
    const plan = await this.server.citePlan({ uri: doc.uri.toString(), position: toPosition(position), keys: keys.map(String) });
    if (!plan.edit) return undefined;
    const planned = await this.inserter.planAsEdit(doc, plan);
    if (!planned) return undefined;
    const drop = new vscode.DocumentDropEdit('');
    drop.additionalEdit = planned.edit;
    // VS Code applies the drop after this returns: save the bibliography once its edit is in. A .bib
    // VS Code did not hold yet is opened by the edit, already changed: it arrives as an open, not a change.
    const bib = plan.bibliography?.uri;
    if (bib) {
      const landed = (d: vscode.TextDocument) => {
        if (d.uri.toString() !== bib || !d.isDirty) return;
        subs.dispose();
        clearTimeout(timer);
        void planned.afterApply();
      };
      const subs = vscode.Disposable.from(
        vscode.workspace.onDidChangeTextDocument((e) => landed(e.document)),
        vscode.workspace.onDidOpenTextDocument(landed),
      );
      const timer = setTimeout(() => subs.dispose(), SAVE_WINDOW_MS);
    } else {
      void planned.afterApply();
    }
    return drop;
  }
}

export function registerPaperDrop(provider: PaperDropProvider): vscode.Disposable {
  return vscode.languages.registerDocumentDropEditProvider(DOCUMENT_SELECTOR, provider);
}
