/** Commands about the library itself: its status, reloading, copying BibTeX, opening links. */
import * as vscode from 'vscode';
import { toBibtex } from '../core/sources/bibtex/writer';
import { BUILTIN_SOURCE } from '../core/model/paper';
import { LibraryService } from './libraryService';
import { OutputLogger } from './logger';

export function registerLibraryCommands(libraries: LibraryService, logger: OutputLogger): vscode.Disposable {
  const paperOf = (arg: unknown) => {
    const key = typeof arg === 'string' ? arg : (arg as { paper?: { key: string } } | undefined)?.paper?.key;
    return key ? libraries.library.get(key) : undefined;
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand('citelens.showLibraryStatus', async () => {
      await libraries.ready;
      const items = libraries.library.status().map((s) => ({
        label: s.source === BUILTIN_SOURCE ? 'Built-in corpus' : vscode.Uri.parse(s.source).fsPath,
        description: `${s.entries.toLocaleString('en-US')} entries`,
        detail: s.diagnostics.length ? `${s.diagnostics.length} problem${s.diagnostics.length === 1 ? '' : 's'}: ${s.diagnostics.slice(0, 2).map((d) => `line ${d.line}: ${d.message}`).join('; ')}` : 'no problems',
        source: s.source,
      }));
      const picked = await vscode.window.showQuickPick(items, { title: 'Citelens: Library Sources', placeHolder: 'Pick a source to open it' });
      if (picked && picked.source !== BUILTIN_SOURCE) {
        await vscode.window.showTextDocument(vscode.Uri.parse(picked.source));
        if (libraries.library.status().find((s) => s.source === picked.source)?.diagnostics.length) await vscode.commands.executeCommand('workbench.actions.view.problems');
      }
      return libraries.library.status();
    }),
    vscode.commands.registerCommand('citelens.showOutput', () => logger.show()),
    vscode.commands.registerCommand('citelens.addLibrary', async (file?: vscode.Uri | string) => {
      const uris = file
        ? [typeof file === 'string' ? vscode.Uri.file(file) : file]
        : await vscode.window.showOpenDialog({
            title: 'Citelens: Add Library File',
            canSelectMany: true,
            filters: { 'Libraries (BibTeX, BibLaTeX, CSL-JSON, page listing)': ['bib', 'json', 'txt'] },
          });
      if (!uris?.length) return;
      const cfg = vscode.workspace.getConfiguration('citelens');
      const folder = vscode.workspace.workspaceFolders?.[0];
      const entries = uris.map((u) => {
        const rel = folder ? vscode.workspace.asRelativePath(u, false) : u.fsPath;
        return rel === u.fsPath || rel.startsWith('..') ? u.fsPath : rel;
      });
      const current = cfg.get<string[]>('libraries', []);
      await cfg.update('libraries', [...current, ...entries.filter((e) => !current.includes(e))], folder ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
    }),
    vscode.commands.registerCommand('citelens.copyBibtex', async (arg?: unknown) => {
      const p = paperOf(arg);
      if (!p) return;
      await vscode.env.clipboard.writeText(toBibtex(p));
      vscode.window.setStatusBarMessage(`Copied BibTeX for ${p.key}`, 3000);
    }),
    vscode.commands.registerCommand('citelens.copyKey', async (arg?: unknown) => {
      const p = paperOf(arg);
      if (p) await vscode.env.clipboard.writeText(p.key);
    }),
    vscode.commands.registerCommand('citelens.openArxiv', async (arg?: unknown) => {
      const p = paperOf(arg);
      const url = p?.arxiv ? `https://arxiv.org/abs/${p.arxiv}` : p?.doi ? `https://doi.org/${p.doi}` : p?.url;
      if (url && /^https?:/.test(url)) await vscode.env.openExternal(vscode.Uri.parse(url));
    }),
    vscode.commands.registerCommand('citelens.revealInBib', async (arg?: unknown) => {
      const p = paperOf(arg);
      if (!p || p.source === BUILTIN_SOURCE || !p.range) return;
      const pos = new vscode.Position(p.range.startLine, p.range.startColumn);
      await vscode.window.showTextDocument(vscode.Uri.parse(p.source), { selection: new vscode.Range(pos, pos) });
    }),
  );
}
