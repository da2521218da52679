/** Search and Cite in the real extension host: insertion, merging, the bibliography, undo, unsaved editors. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { answerSearch, citelens, cursorAt, open, readDisk, scratch, until, write } from './util';

const MEGATRON = 'shoeybiMegatronLMTraining2019';
const BROWN = 'brownLanguageModelsAre2020';

describe('Search and Cite', function () {
  this.timeout(60_000);
  let dir: vscode.Uri;

  before(async () => {
    await citelens();
    dir = await scratch('cite');
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('inserts \\cite{key} in LaTeX and appends the entry to the bibliography the document names', async () => {
    const api = await citelens();
    const bib = await write(vscode.Uri.joinPath(dir, 'refs.bib'), '% my refs\n@misc{old,\n  title = {Old}\n}\n');
    const before = await readDisk(bib);
    const editor = await open(await write(vscode.Uri.joinPath(dir, 'a.tex'), 'As shown before CURSOR.\n\\bibliography{refs}\n'));
    cursorAt(editor, 'CURSOR');
    const done = vscode.commands.executeCommand('citelens.searchAndCite');
    await answerSearch(api, 'megatron', MEGATRON);
    await done;
    assert.match(editor.document.getText(), new RegExp(`As shown before \\\\cite\\{${MEGATRON}\\}CURSOR`));
    const after = await until(async () => ((await readDisk(bib)).includes(MEGATRON) ? readDisk(bib) : undefined), 'the entry on disk');
    assert.ok(after.startsWith(before), 'existing bytes unchanged');
    assert.match(after, /eprint = \{1909\.08053\}/);
  });

  it('merges into the citation at the cursor, without repeating keys, and never adds an entry twice', async () => {
    const api = await citelens();
    await write(vscode.Uri.joinPath(dir, 'merge.bib'), '');
    const editor = await open(await write(vscode.Uri.joinPath(dir, 'merge.tex'), `See \\citep[p.~3]{${MEGATRON}}.\n\\bibliography{merge}\n`));
    cursorAt(editor, `${MEGATRON}}`, MEGATRON.length);
    let done = vscode.commands.executeCommand('citelens.searchAndCite');
    await answerSearch(api, 'few-shot learners', BROWN);
    await done;
    assert.ok(editor.document.getText().startsWith(`See \\citep[p.~3]{${MEGATRON},${BROWN}}.`), editor.document.getText());
    cursorAt(editor, `${BROWN}}`, BROWN.length);
    done = vscode.commands.executeCommand('citelens.searchAndCite');
    await answerSearch(api, 'megatron', MEGATRON);
    await done;
    assert.ok(editor.document.getText().startsWith(`See \\citep[p.~3]{${MEGATRON},${BROWN}}.`), 'no repeated key');
    const bibText = (await vscode.workspace.openTextDocument(vscode.Uri.joinPath(dir, 'merge.bib'))).getText();
    assert.equal(bibText.split(`{${MEGATRON},`).length - 1, 1, 'one Megatron entry');
    assert.equal(bibText.split(`{${BROWN},`).length - 1, 1, 'one Brown entry');
  });

  it('inserts [@key] in Markdown and undo removes the citation', async () => {
    const api = await citelens();
    const editor = await open(await write(vscode.Uri.joinPath(dir, 'notes.md'), '---\nbibliography: md.bib\n---\n\nScaling is costly CURSOR\n'), 'markdown');
    await write(vscode.Uri.joinPath(dir, 'md.bib'), '');
    const original = editor.document.getText();
    cursorAt(editor, 'CURSOR');
    const done = vscode.commands.executeCommand('citelens.searchAndCite');
    await answerSearch(api, 'brown 2020', BROWN);
    await done;
    assert.ok(editor.document.getText().includes(`costly [@${BROWN}]CURSOR`), editor.document.getText());
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original);
  });

  it('works in an unsaved editor of the bibliography: the entry joins its unsaved text', async () => {
    const api = await citelens();
    const bibUri = await write(vscode.Uri.joinPath(dir, 'dirty.bib'), '@misc{a, title={A}}\n');
    const bibEditor = await open(bibUri);
    await bibEditor.edit((e) => e.insert(bibEditor.document.positionAt(bibEditor.document.getText().length), '% unsaved note\n'));
    assert.ok(bibEditor.document.isDirty);
    const editor = await open(await write(vscode.Uri.joinPath(dir, 'dirty.tex'), 'Text X\n\\bibliography{dirty}\n'));
    cursorAt(editor, 'X');
    const done = vscode.commands.executeCommand('citelens.searchAndCite');
    await answerSearch(api, 'LongLoRA', 'chenLongLoRAEfficientFine2023');
    await done;
    const text = bibEditor.document.getText();
    assert.ok(text.startsWith('@misc{a, title={A}}\n% unsaved note\n'), text);
    assert.match(text, /@\w+\{chenLongLoRAEfficientFine2023,/);
    assert.equal(await readDisk(bibUri), '@misc{a, title={A}}\n', 'an unsaved bibliography is not saved behind the writer\'s back');
  });

  it('creates references.bib when the document names no bibliography', async () => {
    const api = await citelens();
    const root = vscode.workspace.workspaceFolders![0].uri;
    const editor = await open(await write(vscode.Uri.joinPath(dir, 'nobib.tex'), 'Hello X\n'));
    cursorAt(editor, 'X');
    const done = vscode.commands.executeCommand('citelens.searchAndCite');
    await answerSearch(api, 'MMTEB', 'enevoldsenMMTEBMassiveMultilingual2025');
    await done;
    const created = await readDisk(vscode.Uri.joinPath(root, 'references.bib'));
    assert.match(created, /@\w+\{enevoldsenMMTEBMassiveMultilingual2025,/);
  });

  it('ranks by the index: the QuickPick keeps our order and shows title, key and authors · year', async () => {
    const api = await citelens();
    await open(await write(vscode.Uri.joinPath(dir, 'rank.tex'), 'x\n'));
    const done = vscode.commands.executeCommand('citelens.searchAndCite');
    const search = await until(() => api.activeSearch(), 'QuickPick');
    await search.type('lnoglora');
    const pick = search.pick;
    const first = await until(() => pick.items[0], 'results');
    assert.equal(first.description, 'chenLongLoRAEfficientFine2023');
    assert.ok(first.alwaysShow);
    assert.match(first.detail ?? '', /2023/);
    pick.hide();
    await done;
  });
});
