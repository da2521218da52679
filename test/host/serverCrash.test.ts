/**
 * A crash of the language server is survived: the client restarts it, says so once, and what was
 * typed while it was down reaches the new server. Runs last (files run in name order): the restart
 * drops the test sources other files added.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TestRequests } from '../../src/protocol/requests';
import { citelens, open, scratch, until, write } from './util';

const MEGATRON = 'shoeybiMegatronLMTraining2019';

function messages(uri: vscode.Uri): string {
  return vscode.languages
    .getDiagnostics(uri)
    .map((d) => d.message)
    .join('\n');
}

async function hoverOn(editor: vscode.TextEditor, needle: string): Promise<string> {
  const at = editor.document.positionAt(editor.document.getText().indexOf(needle) + 2);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, at);
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('server crash', function () {
  this.timeout(90_000);

  it('restarts the server, tells the writer once, and keeps what was typed meanwhile', async () => {
    const api = await citelens();
    const dir = await scratch('crash');
    const editor = await open(await write(vscode.Uri.joinPath(dir, 'crash.tex'), `See \\cite{${MEGATRON}} and \\cite{nosuchkeyzz}.\n`));
    await until(() => /nosuchkeyzz/.test(messages(editor.document.uri)), 'the unknown key is reported');
    const before = { ...api.health };

    assert.equal(await api.server.test(TestRequests.crash, {}), true, 'the server takes the crash request');
    const typed = await editor.edit((e) => {
      const text = editor.document.getText();
      const start = text.indexOf('nosuchkeyzz');
      e.replace(new vscode.Range(editor.document.positionAt(start), editor.document.positionAt(start + 'nosuchkeyzz'.length)), 'typedwhiledown');
    });
    assert.ok(typed);
    await until(() => api.health.restarts === before.restarts + 1, 'the client restarts the server', 30_000);
    // the new server has the text typed while the old one was gone
    await until(() => /typedwhiledown/.test(messages(editor.document.uri)), 'the key typed while the server was down is checked', 30_000);
    assert.doesNotMatch(messages(editor.document.uri), /nosuchkeyzz/);
    assert.match(await until(async () => ((await hoverOn(editor, MEGATRON)) || undefined), 'a hover after the restart', 30_000), /Megatron/);

    await api.server.test(TestRequests.crash, {});
    await until(() => api.health.restarts === before.restarts + 2, 'a second crash is survived too', 30_000);
    assert.equal(api.health.messages, Math.max(before.messages, 1), 'the writer is told once, not at every restart');
    assert.equal(editor.document.isDirty, true, 'the unsaved edit is still in the editor');
  });
});
