/**
 * The bibliography writer in VS Code keeps every byte: a Latin-1 `.bib` open in an editor (which
 * shows it through a lossy UTF-8 view) gets Latin-1 bytes appended on disk and is never saved from
 * that view; an id BibTeX cannot read is cited under a valid key; rename replaces the key of an
 * entry moved far down in an editor with unsaved edits, inserting nothing.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Paper } from '../../src/core/model/paper';
import { cursorAt, open, paper, until, write, writerSuite } from './util';

const ACCENTED: Paper = { key: 'writerBytesLodz2022', title: 'Łódź and Kőszeg: Straßen', authors: ['Paweł Nowak', 'Google, Inc.'], year: 2022, entryType: 'misc', source: 'test-bytes' };
const ZOTERO: Paper = { key: 'http://zotero.org/users/1/items/AB CD', title: 'Tide Pools and Their Keepers', authors: ['Ann Keeper'], year: 2021, entryType: 'misc', source: 'test-bytes' };
const LATIN1 = Buffer.from('% Literatur\r\n@book{muller1990,\r\n  author = {J\u00f6rg M\u00fcller},\r\n  title = {\u00dcber Stra\u00dfen}\r\n}', 'latin1');

describe('bibliography writer: every byte kept', function () {
  this.timeout(60_000);
  const suite = writerSuite('bibbytes', 'test-bytes', [ACCENTED, ZOTERO]);

  it('appends Latin-1 bytes to a Latin-1 .bib open in an editor, never saving it from the UTF-8 view', async () => {
    const bib = vscode.Uri.joinPath(suite.dir, 'latin.bib');
    fs.writeFileSync(bib.fsPath, LATIN1);
    const bibEditor = await open(bib);
    assert.ok(bibEditor.document.getText().includes('\ufffd'), 'VS Code shows the Latin-1 file through a lossy UTF-8 view');
    const editor = await open(await write(vscode.Uri.joinPath(suite.dir, 'latin.tex'), 'As shown X.\n\\bibliography{latin}\n'));
    cursorAt(editor, 'X');
    const result = await suite.api.inserter.cite(editor, [ACCENTED.key, ZOTERO.key]);
    assert.ok(result, 'the citation was made');
    assert.match(editor.document.getText(), /\\cite\{writerBytesLodz2022,keeperTidePoolsTheir2021\}X/);
    const onDisk = await until(() => {
      const b = fs.readFileSync(bib.fsPath);
      return b.length > LATIN1.length ? b : undefined;
    }, 'the entries appended to latin.bib');
    assert.ok(onDisk.subarray(0, LATIN1.length).equals(LATIN1), 'every byte before the append unchanged (no U+FFFD written back)');
    const appended = onDisk.subarray(LATIN1.length).toString('latin1');
    assert.match(appended, /^\r\n\r\n@misc\{writerBytesLodz2022,\r\n/);
    assert.match(appended, /title = \{\{\{\\L\}\u00f3d\{\\'\{z\}\} and K\{\\H\{o\}\}szeg: Stra\u00dfen\}\}/);
    assert.match(appended, /author = \{Pawe\{\\l\} Nowak and \{Google, Inc\.\}\}/);
    assert.match(appended, /@misc\{keeperTidePoolsTheir2021,/);
    const bibDoc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === bib.toString())!;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(bibDoc.isDirty, false, 'the lossy view holds no unsaved entry that a save would write over the file');
    assert.ok(fs.readFileSync(bib.fsPath).equals(onDisk), 'and nothing saved it since');
  });

  it('renames the key of an entry moved far down in an editor with unsaved edits, replacing it, inserting nothing', async () => {
    const original = '@article{tide2020,\n  title = {Tides},\n  year = 2020\n}\n';
    const bib = await write(vscode.Uri.joinPath(suite.dir, 'moved.bib'), original);
    const tex = await write(vscode.Uri.joinPath(suite.dir, 'moved.tex'), 'See \\cite{tide2020}.\n\\bibliography{moved}\n');
    const editor = await open(tex);
    await until(() => paper(suite.api, 'tide2020'), 'moved.bib loaded');
    const bibEditor = await open(bib);
    const filler = Array.from({ length: 200 }, (_, i) => `% note ${i}`).join('\n') + '\n';
    await bibEditor.edit((e) => e.insert(new vscode.Position(0, 0), filler));
    const pos = editor.document.positionAt(editor.document.getText().indexOf('tide2020') + 2);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', tex, pos, 'tidesOfMarch2020');
    const bibEdits = edit.get(bib);
    assert.equal(bibEdits.length, 1);
    assert.deepEqual([bibEdits[0].range.start.line, bibEdits[0].range.start.character, bibEdits[0].range.end.character], [200, 9, 17], 'the key where it is now, replaced');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(bibEditor.document.getText(), filler + original.replace('tide2020', 'tidesOfMarch2020'));
  });
});
