/** The status-bar item: the library's size and problems; a click shows each source's status. */
import * as vscode from 'vscode';
import type { LibraryChangedParams } from '../protocol/requests';
import { CitelensServer } from './serverApi';

export function registerStatusBar(server: CitelensServer): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('citelens.library', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Citelens Library';
  item.command = 'citelens.showLibraryStatus';
  item.text = '$(sync~spin) Citelens';
  item.tooltip = 'Citelens is starting';
  item.show();
  const show = (p: LibraryChangedParams) => {
    const n = p.papers.toLocaleString('en-US');
    const problems = p.problems ? ` · ${p.problems.toLocaleString('en-US')} warning${p.problems === 1 ? '' : 's'}` : '';
    item.text = p.loading ? `$(sync~spin) ${n} papers · loading ${p.loading} file${p.loading === 1 ? '' : 's'}` : `$(book) ${n} papers${problems}`;
    item.tooltip = 'Citelens library: click for each source and its problems';
    item.accessibilityInformation = { label: `Citelens library: ${n} papers${p.loading ? `, ${p.loading} files loading` : ''}${p.problems ? `, ${p.problems} warnings` : ''}` };
  };
  return vscode.Disposable.from(item, server.onDidChangeLibrary(show));
}
