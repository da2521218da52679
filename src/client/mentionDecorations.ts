/**
 * Subtle dotted underlines under recognised paper titles and system names in prose
 * (`citelens.hover.decorateMentions`, off by default), so a writer sees what Citelens can explain.
 */
import * as vscode from 'vscode';
import { Config } from './config';
import { isCitingDocument } from './documentSelector';
import { CitelensServer, toRange } from './serverApi';

export function registerMentionDecorations(server: CitelensServer, config: Config): vscode.Disposable {
  const decoration = vscode.window.createTextEditorDecorationType({
    textDecoration: 'underline dotted',
    light: { textDecoration: 'underline dotted rgba(0, 0, 0, 0.45)' },
    dark: { textDecoration: 'underline dotted rgba(255, 255, 255, 0.45)' },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const paint = async (editor: vscode.TextEditor) => {
    if (!config.decorateMentions || !isCitingDocument(editor.document)) {
      editor.setDecorations(decoration, []);
      return;
    }
    const version = editor.document.version;
    const { ranges } = await server.mentions(editor.document.uri.toString());
    if (editor.document.version === version) editor.setDecorations(decoration, ranges.map(toRange));
  };
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => vscode.window.visibleTextEditors.forEach((e) => void paint(e)), 300);
  };
  schedule();
  return vscode.Disposable.from(
    decoration,
    { dispose: () => clearTimeout(timer) },
    server.onDidChangeLibrary(schedule),
    vscode.window.onDidChangeVisibleTextEditors(schedule),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (vscode.window.visibleTextEditors.some((ed) => ed.document === e.document)) schedule();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (Config.affects(e, 'hover.decorateMentions')) schedule();
    }),
  );
}
