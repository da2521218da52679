/**
 * Subtle dotted underlines under recognised paper titles and system names in prose
 * (`citelens.hover.decorateMentions`, off by default), so a writer sees what Citelens can explain.
 */
import * as vscode from 'vscode';
import { Library } from '../core/library/library';
import { Config } from './config';
import { DocumentAnalyzer } from './documentAnalysis';

export function registerMentionDecorations(library: Library, analyzer: DocumentAnalyzer, config: Config): vscode.Disposable {
  const decoration = vscode.window.createTextEditorDecorationType({
    textDecoration: 'underline dotted',
    light: { textDecoration: 'underline dotted rgba(0, 0, 0, 0.45)' },
    dark: { textDecoration: 'underline dotted rgba(255, 255, 255, 0.45)' },
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const paint = (editor: vscode.TextEditor | undefined) => {
    if (!editor) return;
    if (!config.decorateMentions) {
      editor.setDecorations(decoration, []);
      return;
    }
    const doc = editor.document;
    const ranges = analyzer
      .analyze(doc)
      .mentions.filter((m) => m.kind !== 'key' && library.get(m.key))
      .map((m) => new vscode.Range(doc.positionAt(m.start), doc.positionAt(m.end)));
    editor.setDecorations(decoration, ranges);
  };
  const paintVisible = () => vscode.window.visibleTextEditors.forEach(paint);
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(paintVisible, 300);
  };
  const off = library.onDidChange(schedule);
  schedule();
  return vscode.Disposable.from(
    decoration,
    { dispose: off },
    { dispose: () => clearTimeout(timer) },
    vscode.window.onDidChangeVisibleTextEditors(schedule),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (vscode.window.visibleTextEditors.some((ed) => ed.document === e.document)) schedule();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (Config.affects(e, 'hover.decorateMentions')) schedule();
    }),
  );
}
