/**
 * Commands that cite or look at the key under the cursor: `citelens.citeHere` (from hover cards and
 * quick fixes: cite a paper right after its mention), `_citelens.keyAtCursor`, and the client's side
 * of the server's commands (so that VS Code saves the bibliography like every other cite).
 */
import * as vscode from 'vscode';
import { CitationInserter } from './citationInserter';
import { CitelensServer, toPosition } from './serverApi';

/** Cites `key` right after offset `offset` of the document `uri` (opening it when needed). */
export async function citeHere(inserter: CitationInserter, uri: unknown, offset: unknown, key: unknown): Promise<unknown> {
  if (typeof uri !== 'string' || typeof offset !== 'number' || typeof key !== 'string') return undefined;
  const target = vscode.Uri.parse(uri);
  const editor =
    vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === target.toString()) ??
    (await vscode.window.showTextDocument(target, { preserveFocus: false }));
  return inserter.cite(editor, [key], editor.document.positionAt(offset), { afterMention: true });
}

/** Adds the entries of `keys` to the bibliography of the document `uri`. */
export async function addEntries(inserter: CitationInserter, uri: unknown, keys: unknown): Promise<string[]> {
  if (typeof uri !== 'string' || !Array.isArray(keys)) return [];
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  return doc ? inserter.addToBibliography(doc, keys.map(String)) : [];
}

export function registerCiteCommands(server: CitelensServer, inserter: CitationInserter): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('citelens.citeHere', (uri?: unknown, offset?: unknown, key?: unknown) => citeHere(inserter, uri, offset, key)),
    vscode.commands.registerCommand('_citelens.keyAtCursor', async () => {
      const editor = vscode.window.activeTextEditor;
      return editor ? server.keyAt(editor.document.uri.toString(), toPosition(editor.selection.active)) : undefined;
    }),
  );
}
