/** Commands about the library itself: its status, adding a file, copying BibTeX or a key, opening links. */
import * as vscode from 'vscode';
import { Logger } from './logger';
import { CitelensServer } from './serverApi';

/** The key a command argument names: a key string, a tree node `{paper}` or `{key}`. */
export function keyOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const node = arg as { paper?: { key?: unknown }; suggestion?: { key?: unknown }; key?: unknown };
    for (const k of [node.paper?.key, node.suggestion?.key, node.key]) if (typeof k === 'string') return k;
  }
  return undefined;
}

export function registerLibraryCommands(server: CitelensServer, logger: Logger & { show(): void }): vscode.Disposable {
  const paperOf = async (arg: unknown) => {
    const key = keyOf(arg);
    return key ? server.paper(key) : null;
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand('citelens.showLibraryStatus', async () => {
      const status = await server.libraryStatus();
      if (!status) return undefined;
      const items: (vscode.QuickPickItem & { source?: string })[] = status.sources.map((s) => ({
        label: s.label,
        description: `${s.entries.toLocaleString('en-US')} entries${s.load?.from === 'cache' ? ' · from the cache' : ''}`,
        detail: s.problems ? `${s.problems} problem${s.problems === 1 ? '' : 's'}: ${s.firstProblems.slice(0, 2).join('; ')}` : 'no problems',
        source: s.source,
      }));
      for (const m of status.messages) items.unshift({ label: `$(warning) ${m}`, description: 'citelens.libraries' });
      if (status.loading) items.unshift({ label: `$(sync~spin) ${status.loading} file${status.loading === 1 ? '' : 's'} still loading`, description: '' });
      const picked = await vscode.window.showQuickPick(items, { title: `Citelens: Library Sources (${status.papers.toLocaleString('en-US')} papers)`, placeHolder: 'Pick a source to open it' });
      if (picked?.source && picked.source !== 'builtin') {
        await vscode.window.showTextDocument(vscode.Uri.parse(picked.source));
        if (status.sources.find((s) => s.source === picked.source)?.problems) await vscode.commands.executeCommand('workbench.actions.view.problems');
      }
      return status;
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
      const p = await paperOf(arg);
      if (!p) return;
      await vscode.env.clipboard.writeText(p.bibtex);
      vscode.window.setStatusBarMessage(`Copied BibTeX for ${p.paper.key}`, 3000);
    }),
    vscode.commands.registerCommand('citelens.copyKey', async (arg?: unknown) => {
      const key = keyOf(arg);
      if (key) await vscode.env.clipboard.writeText(key);
    }),
    vscode.commands.registerCommand('citelens.openArxiv', async (arg?: unknown) => {
      const p = (await paperOf(arg))?.paper;
      const url = p?.arxiv ? `https://arxiv.org/abs/${p.arxiv}` : p?.doi ? `https://doi.org/${p.doi}` : p?.url;
      if (url && /^https?:/.test(url)) await vscode.env.openExternal(vscode.Uri.parse(url));
    }),
    vscode.commands.registerCommand('citelens.revealInBib', async (arg?: unknown) => {
      const p = (await paperOf(arg))?.paper;
      if (!p || p.source === 'builtin' || !p.range) return;
      const pos = new vscode.Position(p.range.startLine, p.range.startColumn);
      await vscode.window.showTextDocument(vscode.Uri.parse(p.source), { selection: new vscode.Range(pos, pos) });
    }),
  );
}
