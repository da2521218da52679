/**
 * Proves the extension-host tier: the extension under development activates inside the real
 * VS Code, contributes its commands and views, and hands back its API.
 */
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'citelens.citelens';

describe('activation', () => {
  it('runs inside a real VS Code 1.90 or newer', () => {
    console.log('vscode.version ' + vscode.version + (vscode.env.remoteName ? ` (remote: ${vscode.env.remoteName})` : ''));
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(major > 1 || (major === 1 && minor >= 90), `VS Code ${vscode.version} is older than engines.vscode ^1.90.0`);
  });

  it('finds the extension under development and activates it', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded; is extensionDevelopmentPath the repo root?`);
    const started = Date.now();
    const api = await ext.activate();
    console.log(`citelens ${ext.packageJSON.version} active (activate() awaited ${Date.now() - started} ms)`);
    assert.strictEqual(ext.isActive, true);
    assert.strictEqual(api.activeSearch(), undefined, 'no Search and Cite is open yet');
    await api.ready;
    // the API's server answers: the language server runs and has the built-in corpus
    assert.equal((await api.server.libraryStatus())?.builtin?.papers, 72);
  });

  it('registers every command it contributes (none ends in "command not found")', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.includes('citelens.searchAndCite'));
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), [], 'contributed but not registered');
  });

  it('contributes the Citelens container and its Topics view', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    const containers = pkg.contributes?.viewsContainers?.activitybar ?? [];
    assert.ok(containers.some((c: { id: string }) => c.id === 'citelens'), 'no activity-bar container "citelens"');
    const views = pkg.contributes?.views?.citelens ?? [];
    assert.ok(views.some((v: { id: string }) => v.id === 'citelens.topics'), 'no view "citelens.topics" in the container');
  });
});
