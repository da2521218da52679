/**
 * Whole projects in the real extension host (copies of test/fixtures/projects): opening one chapter
 * of a thesis or a Quarto book gives no false warnings, and Search and Cite from a chapter adds the
 * entry to the project's bibliography (the one an \input preamble names), not to a new file.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { answerSearch, citelens, cursorAt, open, readDisk, scratch, until, write } from './util';

const FIXTURES = join(__dirname, '../../../test/fixtures/projects');
const MEGATRON = 'shoeybiMegatronLMTraining2019';
const BROWN = 'brownLanguageModelsAre2020';

const warningsOf = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Citelens' && d.severity <= vscode.DiagnosticSeverity.Warning).map((d) => d.message);

describe('projects of several files', function () {
  this.timeout(60_000);
  let dir: vscode.Uri;

  before(async () => {
    await citelens();
    dir = await scratch('projects');
    await vscode.workspace.fs.copy(vscode.Uri.file(join(FIXTURES, 'latex-thesis')), vscode.Uri.joinPath(dir, 'thesis'));
    await vscode.workspace.fs.copy(vscode.Uri.file(join(FIXTURES, 'quarto-book')), vscode.Uri.joinPath(dir, 'book'));
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('a thesis chapter: keys resolve against the preamble\'s bibliography; only a key BibTeX would miss is warned about', async () => {
    const chapter = vscode.Uri.joinPath(dir, 'thesis/chapters/background.tex');
    // a built-in paper cited but not in references.bib: the one warning, and the sign that the check ran
    await write(chapter, (await readDisk(chapter)) + `Training at scale \\cite{${BROWN}}.\n`);
    await open(chapter);
    const warnings = await until(() => {
      const w = warningsOf(chapter);
      return w.some((m) => m.includes(BROWN)) ? w : undefined;
    }, 'the chapter\'s diagnostics');
    assert.deepEqual(warnings, [`'${BROWN}' is in the built-in corpus but not in references.bib.`]);
  });

  it('a Quarto chapter: _quarto.yml and its profile name the bibliographies', async () => {
    const chapter = vscode.Uri.joinPath(dir, 'book/chapters/intro.qmd');
    await write(chapter, (await readDisk(chapter)) + `\nAnd [@${BROWN}].\n`);
    await open(chapter, 'markdown');
    const warnings = await until(() => {
      const w = warningsOf(chapter);
      return w.some((m) => m.includes(BROWN)) ? w : undefined;
    }, 'the chapter\'s diagnostics');
    assert.deepEqual(warnings, [`'${BROWN}' is in the built-in corpus but not in references.bib, print.bib.`]);
  });

  it('Search and Cite from a % !TEX root chapter adds the entry to the project\'s bibliography', async () => {
    const api = await citelens();
    const bib = vscode.Uri.joinPath(dir, 'thesis/references.bib');
    const before = await readDisk(bib);
    const chapter = vscode.Uri.joinPath(dir, 'thesis/chapters/introduction.tex');
    await write(chapter, (await readDisk(chapter)) + 'Models are trained in parallel CURSOR.\n');
    const editor = await open(chapter);
    cursorAt(editor, 'CURSOR');
    const done = vscode.commands.executeCommand('citelens.searchAndCite');
    await answerSearch(api, 'megatron', MEGATRON);
    await done;
    assert.match(editor.document.getText(), new RegExp(`parallel[ ~]\\\\cite\\{${MEGATRON}\\}`));
    const bibText = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === bib.toString())?.getText() ?? readDisk(bib);
    const after = await until(async () => ((await bibText()).includes(MEGATRON) ? bibText() : undefined), 'the entry in references.bib');
    assert.ok(after.startsWith(before), 'existing bytes unchanged');
    for (const stray of ['thesis/chapters/references.bib', 'references.bib']) {
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(vscode.Uri.joinPath(dir, stray))), `no ${stray} made`);
    }
    // the entry counts at once, saved or not: no warning on the new citation
    await until(() => warningsOf(chapter).length === 0, 'no warnings on the chapter');
  });
});
