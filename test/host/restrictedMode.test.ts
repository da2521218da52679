/**
 * Restricted Mode: the workspace is NOT trusted. Citelens still reads the bibliographies the
 * workspace's documents name, hovers, searches and cites; but the folder's own settings that name a
 * path or a command (`citelens.libraries`, `citelens.bibliography.defaultFile`,
 * `citelens.citation.latexCommand`, `citelens.citation.format`) are ignored, so an untrusted folder
 * cannot make Citelens read or write files elsewhere or put its own LaTeX into the writer's text. Run only by the Restricted Mode host run
 * (`CITELENS_HOST_TRUST=restricted node scripts/runHostTests.mjs`, the `restricted` tier of
 * scripts/test.sh), which enables workspace trust, never trusts the fixture folder, and names
 * extra.json in `citelens.libraries`, a file outside the folder in `defaultFile`, and its own citation
 * command and template (`\immediate\write18…`) in the folder's .vscode/settings.json;
 * test/host/index.ts leaves this file out of the normal run, whose window has trust disabled (and so
 * is trusted).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { answerSearch, citelens, cursorAt, open, paper, readDisk, searchKeys, status, until } from './util';

const BROWN = 'brown2020language'; // in the fixture's refs.bib (the built-in corpus has it under another key)
const LLAMA = 'touvronLLaMAOpenEfficient2023'; // only in the fixture's extra.json (CSL-JSON), named by the untrusted folder's setting
const LONGLORA = 'chenLongLoRAEfficientFine2023'; // only in the built-in corpus

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

describe('Restricted Mode (workspace not trusted)', function () {
  this.timeout(60_000);
  const root = () => vscode.workspace.workspaceFolders![0].uri;
  const paperTex = () => vscode.Uri.joinPath(root(), 'paper.tex');
  const refsBib = () => vscode.Uri.joinPath(root(), 'refs.bib');
  const folderSettings = () => JSON.parse(fs.readFileSync(join(root().fsPath, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;

  before(() => {
    // Without this, every test below would pass just as well in a trusted window.
    assert.equal(vscode.workspace.isTrusted, false, 'this run must have an untrusted workspace (Restricted Mode)');
  });
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('runs in Restricted Mode with Citelens active', async () => {
    const api = await citelens();
    assert.equal(vscode.workspace.isTrusted, false);
    assert.ok(vscode.extensions.getExtension('citelens.citelens')?.isActive, 'Citelens is active in Restricted Mode');
    assert.ok((await status(api)).papers >= 72, 'the built-in corpus is loaded');
  });

  it('reads the refs.bib that paper.tex names, and not the file the untrusted folder\'s setting names', async () => {
    const api = await citelens();
    assert.deepEqual(folderSettings()['citelens.libraries'], ['extra.json'], 'the untrusted folder names extra.json');
    assert.equal(vscode.workspace.getConfiguration('citelens').inspect<string[]>('libraries')?.workspaceValue, undefined, 'VS Code holds the restricted setting back');
    await open(paperTex());
    const brown = await until(() => paper(api, BROWN), `${BROWN} from refs.bib`);
    assert.equal(brown.paper.source, refsBib().toString());
    assert.equal(brown.paper.title, 'Language Models are Few-Shot Learners');
    const sources = (await status(api)).sources;
    assert.equal(sources.find((s) => s.source === refsBib().toString())?.entries, 3, 'refs.bib: 3 entries');
    assert.equal(sources.find((s) => s.source.endsWith('/extra.json')), undefined, 'extra.json is not read: the setting is restricted');
    assert.equal(await paper(api, LLAMA), null);
    assert.ok(!(await searchKeys(api, 'llama open efficient', 5)).includes(LLAMA));
  });

  it('hovers a citation key with its paper from refs.bib', async () => {
    const api = await citelens();
    const editor = await open(paperTex());
    await until(() => paper(api, BROWN), 'refs.bib loaded');
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
    await until(() => paper(api, BROWN), 'refs.bib loaded');
    cursorAt(editor, 'LongLoRA extend', 'LongLoRA'.length);
    const done = vscode.commands.executeCommand('citelens.searchAndCite');
    await answerSearch(api, 'longlora', LONGLORA);
    await done;
    // the folder's own latexCommand (nocite) and template (\immediate\write18…) are held back
    for (const setting of ['citation.latexCommand', 'citation.format']) {
      assert.ok(folderSettings()[`citelens.${setting}`], `the untrusted folder sets citelens.${setting}`);
      assert.equal(vscode.workspace.getConfiguration('citelens').inspect(setting)?.workspaceValue, undefined, `VS Code holds citelens.${setting} back`);
    }
    assert.ok(editor.document.getText().includes(`LongLoRA\\cite{${LONGLORA}} extend`), editor.document.getText());
    assert.ok(!editor.document.getText().includes('write18'), 'none of the folder\'s own LaTeX in the citation');
    const after = await until(async () => ((await readDisk(refsBib())).includes(LONGLORA) ? readDisk(refsBib()) : undefined), 'the entry in refs.bib on disk');
    assert.ok(after.startsWith(before), 'the existing bytes of refs.bib are unchanged');
    assert.match(after.slice(before.length), new RegExp(`@\\w+\\{${LONGLORA},[^]*eprint = \\{2309\\.12307\\}`));
    // the file watcher re-reads refs.bib: the key now comes from the user's own bibliography
    await until(async () => (await paper(api, LONGLORA))?.paper.source === refsBib().toString(), 'refs.bib re-read with the new entry');
    assert.equal(vscode.workspace.isTrusted, false, 'still untrusted after citing');
  });

  it('ignores the untrusted folder\'s defaultFile: a document naming no bibliography cites into references.bib inside the folder', async () => {
    const api = await citelens();
    assert.equal(folderSettings()['citelens.bibliography.defaultFile'], '../outside.bib', 'the untrusted folder names a file outside itself');
    assert.equal(vscode.workspace.getConfiguration('citelens').inspect<string>('bibliography.defaultFile')?.workspaceValue, undefined, 'VS Code holds the restricted setting back');
    const doc = vscode.Uri.joinPath(root(), 'nobib.tex');
    await vscode.workspace.fs.writeFile(doc, new TextEncoder().encode('Efficient long context X.\n'));
    const editor = await open(doc);
    cursorAt(editor, 'X');
    const done = vscode.commands.executeCommand('citelens.searchAndCite');
    await answerSearch(api, 'longlora', LONGLORA);
    await done;
    const refs = vscode.Uri.joinPath(root(), 'references.bib');
    await until(async () => fs.existsSync(refs.fsPath) && (await readDisk(refs)).includes(LONGLORA), 'the entry in references.bib inside the folder');
    assert.ok(!fs.existsSync(join(root().fsPath, '..', 'outside.bib')), 'nothing written outside the workspace');
  });
});
