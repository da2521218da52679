/**
 * The bibliography writer when the `.bib` changed on disk behind VS Code's back (a reference
 * manager's auto-export, `git pull`, another editor) since VS Code read it: citing must keep that
 * change and add the entry after it, never write an old copy over it. With unsaved edits in an
 * editor of the `.bib`, the entry joins the unsaved text and the file on disk is left alone.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Paper } from '../../src/core/model/paper';
import { cursorAt, open, readDisk, until, write, writerSuite } from './util';

/**
 * Papers only these tests cite (not in the built-in corpus): a .bib entry for a corpus paper would
 * put the user's copy in place of the corpus one for the suites that run after this one.
 */
const ONE: Paper = { key: 'writerAppendAfter2024', title: 'Appending After an External Change', authors: ['Ada Writer'], year: 2024, entryType: 'misc', source: 'test-writer' };
const TWO: Paper = { key: 'writerUnsavedText2023', title: 'Joining the Unsaved Text', authors: ['Bo Editor'], year: 2023, entryType: 'misc', source: 'test-writer' };

describe('bibliography writer: the .bib changed on disk', function () {
  this.timeout(60_000);
  const suite = writerSuite('bibdisk', 'test-writer', [ONE, TWO]);

  const entries = (text: string, key: string) => text.split(new RegExp(`@\\w+\\{${key},`)).length - 1;

  it('keeps an external change made after VS Code read the .bib, and appends the entry after it', async () => {
    const original = '% my refs\n@misc{old, title = {Old}}\n';
    const bib = await write(vscode.Uri.joinPath(suite.dir, 'ext.bib'), original);
    // VS Code holds the .bib in memory (as after an earlier citation or a glance at it), unchanged
    const bibDoc = await vscode.workspace.openTextDocument(bib);
    assert.equal(bibDoc.getText(), original);
    const editor = await open(await write(vscode.Uri.joinPath(suite.dir, 'ext.tex'), 'As shown X.\n\\bibliography{ext}\n'));
    cursorAt(editor, 'X');
    // a reference manager rewrites the file on disk, right before the writer cites
    const external = original + '\n@article{zoteroNew2024, title = {Added by Zotero}, year = 2024}\n';
    fs.writeFileSync(bib.fsPath, external);
    const result = await suite.api.inserter.cite(editor, [ONE.key]);
    assert.ok(result, 'the citation was made');
    assert.deepEqual(result.addedEntries, [ONE.key]);
    assert.match(editor.document.getText(), new RegExp(`As shown \\\\cite\\{${ONE.key}\\}X`));
    const onDisk = await until(async () => {
      const t = await readDisk(bib);
      return t.includes(ONE.key) ? t : undefined;
    }, 'the entry saved to ext.bib');
    assert.ok(onDisk.startsWith(external), `the external change is kept, byte for byte:\n${onDisk}`);
    assert.equal(entries(onDisk, ONE.key), 1);
    assert.match(onDisk.slice(external.length), /title = \{+Appending After an External Change\}+/, 'the new entry comes after the external change');
    assert.equal(entries(onDisk, 'zoteroNew2024'), 1);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === bib.toString())!;
    await until(() => !doc.isDirty && doc.getText() === onDisk, 'the .bib in VS Code equal to the file, nothing unsaved');
  });

  it('with unsaved edits in an editor of the .bib, the entry joins the unsaved text and the file on disk is left alone', async () => {
    const original = '@misc{a, title = {A}}\n';
    const bib = await write(vscode.Uri.joinPath(suite.dir, 'dirty.bib'), original);
    const bibEditor = await open(bib);
    await bibEditor.edit((e) => e.insert(bibEditor.document.positionAt(original.length), '% unsaved note\n'));
    assert.ok(bibEditor.document.isDirty);
    const editor = await open(await write(vscode.Uri.joinPath(suite.dir, 'dirty.tex'), 'Text X\n\\bibliography{dirty}\n'));
    cursorAt(editor, 'X');
    const external = original + '@misc{fromDisk, title = {Written by another program}}\n';
    fs.writeFileSync(bib.fsPath, external);
    const result = await suite.api.inserter.cite(editor, [TWO.key]);
    assert.deepEqual(result?.addedEntries, [TWO.key]);
    const text = bibEditor.document.getText();
    assert.ok(text.startsWith(original + '% unsaved note\n'), text);
    assert.equal(entries(text, TWO.key), 1, 'the entry is in the unsaved text');
    assert.ok(bibEditor.document.isDirty, 'still unsaved: the writer does not save a file with the user\'s unsaved edits');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await readDisk(bib), external, 'the file on disk (with the other program\'s change) is untouched');
  });
});
