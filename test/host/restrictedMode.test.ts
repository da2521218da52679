/**
 * Restricted Mode: the workspace is NOT trusted, and Citelens still reads the workspace's
 * libraries, hovers, searches and cites. Run only by the Restricted Mode host run
 * (`CITELENS_HOST_TRUST=restricted node scripts/runHostTests.mjs`, the `restricted` tier of
 * scripts/test.sh), which enables workspace trust, never trusts the fixture folder, and names
 * extra.json in the folder's .vscode/settings.json; test/host/index.ts leaves this file out of the
 * normal run, whose window has trust disabled (and so is trusted).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { answerSearch, citelens, cursorAt, open, readDisk, until } from './util';

const BROWN = 'brown2020language'; // in the fixture's refs.bib (the built-in corpus has it under another key)
const LLAMA = 'touvronLLaMAOpenEfficient2023'; // only in the fixture's extra.json (CSL-JSON)
const LONGLORA = 'chenLongLoRAEfficientFine2023'; // only in the built-in corpus

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

describe('Restricted Mode (workspace not trusted)', function () {
  this.timeout(60_000);
  const root = () => vscode.workspace.workspaceFolders![0].uri;
  const paperTex = () => vscode.Uri.joinPath(root(), 'paper.tex');
  const refsBib = () => vscode.Uri.joinPath(root(), 'refs.bib');

  before(() => {
    // Without this, every test below would pass just as well in a trusted window.
    assert.equal(vscode.workspace.isTrusted, false, 'this run must have an untrusted workspace (Restricted Mode)');
  });
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('runs in Restricted Mode with Citelens active', async () => {
    const api = await citelens();
    assert.equal(vscode.workspace.isTrusted, false);
    assert.ok(vscode.extensions.getExtension('citelens.citelens')?.isActive, 'Citelens is active in Restricted Mode');
    assert.ok(api.libraries.library.size >= 72, 'the built-in corpus is loaded');
  });

  it('reads the refs.bib that paper.tex names and the CSL-JSON file named by the workspace setting', async () => {
    const api = await citelens();
    assert.deepEqual(vscode.workspace.getConfiguration('citelens').inspect<string[]>('libraries')?.workspaceValue, ['extra.json'], 'the untrusted folder names extra.json');
    await open(paperTex());
    const lib = api.libraries.library;
    const brown = await until(() => lib.get(BROWN), `${BROWN} from refs.bib`);
    assert.equal(brown.source, refsBib().toString());
    assert.equal(brown.title, 'Language Models are Few-Shot Learners');
    const llama = await until(() => lib.get(LLAMA), `${LLAMA} from extra.json`);
    assert.equal(llama.source, vscode.Uri.joinPath(root(), 'extra.json').toString());
    const status = lib.status();
    assert.equal(status.find((s) => s.source === refsBib().toString())?.entries, 3, 'refs.bib: 3 entries');
    assert.equal(status.find((s) => s.source.endsWith('/extra.json'))?.entries, 2, 'extra.json: 2 entries');
    assert.ok(lib.search('llama open efficient', 5).some((h) => h.paper.key === LLAMA), 'the CSL-JSON entry is searchable');
  });

  it('hovers a citation key with its paper from refs.bib', async () => {
    const api = await citelens();
    const editor = await open(paperTex());
    await until(() => api.libraries.library.get(BROWN), 'refs.bib loaded');
    const at = editor.document.positionAt(editor.document.getText().indexOf(BROWN) + 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, at);
    const text = hoverText(hovers);
    assert.match(text, /Language Models are Few\\?-Shot Learners/);
    assert.match(text, /Brown/);
  });

  it('searches and cites: the citation in paper.tex and the BibTeX entry appended to refs.bib', async () => {
    const api = await citelens();
    const before = await readDisk(refsBib());
    assert.ok(!before.includes(LONGLORA));
    const editor = await open(paperTex());
    await until(() => api.libraries.library.get(BROWN), 'refs.bib loaded');
    cursorAt(editor, 'LongLoRA extend', 'LongLoRA'.length);
    const done = vscode.commands.executeCommand('citelens.searchAndCite');
    await answerSearch(api, 'longlora', LONGLORA);
    await done;
    assert.ok(editor.document.getText().includes(`LongLoRA\\cite{${LONGLORA}} extend`), editor.document.getText());
    const after = await until(async () => ((await readDisk(refsBib())).includes(LONGLORA) ? readDisk(refsBib()) : undefined), 'the entry in refs.bib on disk');
    assert.ok(after.startsWith(before), 'the existing bytes of refs.bib are unchanged');
    assert.match(after.slice(before.length), new RegExp(`@\\w+\\{${LONGLORA},[^]*eprint = \\{2309\\.12307\\}`));
    // the file watcher re-reads refs.bib: the key now comes from the user's own bibliography
    await until(() => api.libraries.library.get(LONGLORA)?.source === refsBib().toString(), 'refs.bib re-read with the new entry');
    assert.equal(vscode.workspace.isTrusted, false, 'still untrusted after citing');
  });
});
