/**
 * `citelens.citeHere`: cite a paper right after its mention (from hover cards and quick fixes);
 * `_citelens.keyAtCursor`: the citation key under the cursor (for reveal and the card).
 */
import * as vscode from 'vscode';
import { Library } from '../core/library/library';
import { CitationInserter } from './citationInserter';
import { DocumentAnalyzer } from './documentAnalysis';

export function registerCiteCommands(library: Library, inserter: CitationInserter, analyzer: DocumentAnalyzer): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('citelens.citeHere', async (uri?: string, offset?: number, key?: string) => {
      const paper = key ? library.get(key) : undefined;
      if (!uri || typeof offset !== 'number' || !paper) return undefined;
      const target = vscode.Uri.parse(uri);
      const editor =
        vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === target.toString()) ??
        (await vscode.window.showTextDocument(target, { preserveFocus: false }));
      return inserter.cite(editor, [paper], editor.document.positionAt(offset), { afterMention: true });
    }),
    vscode.commands.registerCommand('_citelens.keyAtCursor', () => {
      const editor = vscode.window.activeTextEditor;
      return editor ? analyzer.citationAt(editor.document, editor.selection.active)?.key : undefined;
    }),
  );
}
