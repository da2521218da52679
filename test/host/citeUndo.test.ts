/**
 * The editor and the disk agree about the bibliography: a citation and its new entry are one undo
 * step; after undo (and redo) the `.bib` on disk says what the editor says, with nothing left
 * unsaved. A paper dropped into a document saves the `.bib` as citing does. And, in a trusted
 * window too, a `citelens.bibliography.defaultFile` outside the workspace folder is refused with a
 * message naming the setting, and nothing is written there.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Paper } from '../../src/core/model/paper';
import { cursorAt, open, readDisk, until, write, writerSuite } from './util';

// papers only these tests cite (a .bib entry for a built-in paper would replace it for later suites)
const UNDO: Paper = { key: 'undoneEntry2024', title: 'An Entry Undone With Its Citation', authors: ['Una Redo'], year: 2024, entryType: 'misc', source: 'test-undo' };
const DROP: Paper = { key: 'droppedEntry2023', title: 'A Paper Dropped Into the Text', authors: ['Dora Drop'], year: 2023, entryType: 'misc', source: 'test-undo' };
const GUARD: Paper = { key: 'guardedEntry2022', title: 'Never Written Outside the Folder', authors: ['Gus Guard'], year: 2022, entryType: 'misc', source: 'test-undo' };

describe('cite, undo and save agree; writes stay in the workspace', function () {
  this.timeout(60_000);
  const suite = writerSuite('undo', 'test-undo', [UNDO, DROP, GUARD]);

  const bibDoc = (uri: vscode.Uri) => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  /**
   * Waits until the disk holds what `wanted` accepts and the open .bib (if VS Code holds one) has
   * no unsaved change and the same text as the disk; says what it saw when it times out.
   */
  const agreed = async (uri: vscode.Uri, what: string, wanted: (disk: string) => boolean) => {
    let seen = '';
    try {
      return await until(async () => {
        const d = bibDoc(uri);
        const disk = await readDisk(uri);
        seen = `disk: ${JSON.stringify(disk)}; editor: ${d ? `${d.isDirty ? 'unsaved' : 'saved'} ${JSON.stringify(d.getText())}` : 'not open'}`;
        return wanted(disk) && (!d || (!d.isDirty && d.getText() === disk)) ? disk : undefined;
      }, what);
    } catch (e) {
      assert.fail(`${(e as Error).message}; ${seen}`);
    }
  };

  it('undo takes back the citation and the entry, in the editor and on disk; redo puts both back', async () => {
    const original = '@misc{kept, title = {Kept}}\n';
    const bib = await write(vscode.Uri.joinPath(suite.dir, 'undo.bib'), original);
    const bibEditor = await open(bib); // the .bib open beside the document, as a writer has it
    const editor = await open(await write(vscode.Uri.joinPath(suite.dir, 'undo.tex'), 'Claim X.\n\\bibliography{undo}\n'));
    const text = editor.document.getText();
    cursorAt(editor, 'X');
    const result = await suite.api.inserter.cite(editor, [UNDO.key]);
    assert.deepEqual(result?.addedEntries, [UNDO.key]);
    const hasEntry = (t: string) => t.includes(`{${UNDO.key},`);
    const cited = await agreed(bib, 'the entry saved to undo.bib', hasEntry);
    assert.ok(cited.startsWith(original), cited);
    assert.equal(bibEditor.document.getText(), cited);

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), text, 'the citation is gone');
    assert.equal(await agreed(bib, 'undo.bib saved after undo, without the entry', (t) => !hasEntry(t)), original);

    await vscode.commands.executeCommand('redo');
    assert.match(editor.document.getText(), new RegExp(`\\\\cite\\{${UNDO.key}\\}X`));
    assert.equal(await agreed(bib, 'undo.bib saved after redo, with the entry', hasEntry), cited);
  });

  it('a dropped paper saves the .bib, as citing does', async () => {
    const bib = await write(vscode.Uri.joinPath(suite.dir, 'drop.bib'), '% dropped papers\n');
    const editor = await open(await write(vscode.Uri.joinPath(suite.dir, 'drop.tex'), 'Drop here: \n\\bibliography{drop}\n'));
    const data = new vscode.DataTransfer();
    data.set('application/vnd.code.tree.citelens.topics', new vscode.DataTransferItem(JSON.stringify([DROP.key])));
    const drop = await suite.api.dropProvider.provideDocumentDropEdits(editor.document, new vscode.Position(0, 11), data);
    assert.ok(drop?.additionalEdit, 'the drop carries the citation and the entry');
    assert.ok(await vscode.workspace.applyEdit(drop.additionalEdit));
    assert.equal(editor.document.lineAt(0).text, `Drop here: \\cite{${DROP.key}}`);
    const saved = await agreed(bib, 'drop.bib saved with the entry', (t) => t.includes(`{${DROP.key},`));
    assert.match(saved, new RegExp(`^% dropped papers\\n[^]*@misc\\{${DROP.key},`));
  });

  it('refuses a defaultFile outside the workspace folder, naming the setting, and writes nothing there', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri;
    const outside = join(root.fsPath, '..', 'citelens-outside.bib');
    const config = vscode.workspace.getConfiguration('citelens');
    await config.update('bibliography.defaultFile', '../citelens-outside.bib', vscode.ConfigurationTarget.Workspace);
    try {
      const editor = await open(await write(vscode.Uri.joinPath(suite.dir, 'nobib.tex'), 'No bibliography named X.\n'));
      const at = cursorAt(editor, 'X');
      const params = { uri: editor.document.uri.toString(), position: { line: at.line, character: at.character }, keys: [GUARD.key] };
      await until(async () => (await suite.api.server.citePlan(params)).refused, 'the server to see the new setting');
      const result = await suite.api.inserter.cite(editor, [GUARD.key]);
      assert.match(result?.refused ?? '', /citelens\.bibliography\.defaultFile/, 'the message names the setting');
      assert.deepEqual(result?.addedEntries, []);
      assert.match(editor.document.getText(), new RegExp(`\\\\cite\\{${GUARD.key}\\}X`), 'the citation itself is made');
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(!fs.existsSync(outside), `nothing written to ${outside}`);
    } finally {
      await config.update('bibliography.defaultFile', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
