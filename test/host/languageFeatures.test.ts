/** Completion, hover, definition, references, rename and diagnostics in real LaTeX and Markdown documents. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { citelens, open, paper, scratch, until, write } from './util';

const MEGATRON = 'shoeybiMegatronLMTraining2019';

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
}

describe('language features', function () {
  this.timeout(60_000);
  let dir: vscode.Uri;
  before(async () => {
    await citelens();
    dir = await scratch('lang');
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('completes keys inside \\citep[…]{…, ranked by what was typed', async () => {
    const editor = await open(await write(vscode.Uri.joinPath(dir, 'c.tex'), 'See \\citep[p.~3]{foo, longl}.\n'));
    const pos = editor.document.positionAt(editor.document.getText().indexOf('longl') + 5);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, pos);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.equal(labels[0], 'chenLongLoRAEfficientFine2023');
    const first = list.items[0];
    assert.equal(editor.document.getText(first.range as vscode.Range), 'longl');
  });

  it('completes after [@ in Markdown but not in an e-mail address or code', async () => {
    const editor = await open(await write(vscode.Uri.joinPath(dir, 'c.md'), 'Cite [@megat] here. Mail me@megat.org `@megat`\n'), 'markdown');
    const text = editor.document.getText();
    const at = (i: number) => vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, editor.document.positionAt(i));
    const inCite = await at(text.indexOf('megat]') + 5);
    assert.ok(inCite.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === MEGATRON));
    const inMail = await at(text.indexOf('megat.org') + 5);
    assert.ok(!inMail.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === MEGATRON));
    const inCode = await at(text.indexOf('megat`') + 5);
    assert.ok(!inCode.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === MEGATRON));
  });

  it('hovers a key, a title broken across lines in \\emph, and a system name', async () => {
    const tex = `We build on \\cite{${MEGATRON}}.\nAs shown in \\emph{Language Models are\n  Few-Shot Learners}, and we fine-tune with LongLoRA.\n`;
    const editor = await open(await write(vscode.Uri.joinPath(dir, 'h.tex'), tex));
    const hover = (needle: string, k = 2) => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, editor.document.positionAt(tex.indexOf(needle) + k));
    const onKey = await hover(MEGATRON);
    assert.match(hoverText(onKey), /Megatron\\-LM/);
    assert.match(hoverText(onKey), /cited 1× here/);
    const onTitle = await hover('Few-Shot');
    assert.match(hoverText(onTitle), /Language Models are Few\\-Shot Learners/);
    const range = onTitle[0].range!;
    assert.equal(editor.document.getText(range).replace(/\s+/g, ' '), 'Language Models are Few-Shot Learners');
    const onName = await hover('LongLoRA');
    assert.match(hoverText(onName), /LongLoRA/);
    assert.match(hoverText(onName), /command:citelens\.citeHere/);
    assert.deepEqual(await hover('fine-tune'), []);
  });

  it('renders a malicious title inert in the hover', async () => {
    const api = await citelens();
    const bib = await write(vscode.Uri.joinPath(dir, 'evil.bib'), '@misc{evil,\n  title = {<img src=x onerror=alert(1)> [x](command:workbench.action.quit)},\n  abstract = {<script>alert(1)</script> **bold**}\n}\n');
    const editor = await open(await write(vscode.Uri.joinPath(dir, 'evil.tex'), '\\cite{evil}\n\\bibliography{evil}\n'));
    await until(() => paper(api, 'evil'), 'the evil entry loaded');
    void bib;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(0, 7));
    const md = hovers[0].contents[0] as vscode.MarkdownString;
    assert.ok(!md.value.includes('<img'), md.value);
    assert.ok(!md.value.includes('<script'), md.value);
    assert.ok(!md.value.includes('](command:workbench'), md.value);
    const trusted = md.isTrusted as { enabledCommands: string[] };
    assert.ok(trusted.enabledCommands.every((c) => c.startsWith('citelens.')));
  });

  it('goes to the .bib entry, finds references, and renames a key in documents and .bib together', async () => {
    const api = await citelens();
    const bibUri = await write(vscode.Uri.joinPath(dir, 'nav.bib'), '@article{smith2020,\n  title = {A Study of Things},\n  author = {Smith, Jane},\n  year = 2020\n}\n');
    const texUri = await write(vscode.Uri.joinPath(dir, 'nav.tex'), 'One \\cite{smith2020}. Two \\citep{x,smith2020}.\n\\bibliography{nav}\n');
    const mdUri = await write(vscode.Uri.joinPath(dir, 'nav.md'), 'And [@smith2020].\n');
    const editor = await open(texUri);
    await until(() => paper(api, 'smith2020'), 'nav.bib loaded');
    const pos = editor.document.positionAt(editor.document.getText().indexOf('smith2020') + 2);
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', texUri, pos);
    const def = defs[0] as vscode.Location;
    assert.equal(def.uri.toString(), bibUri.toString());
    assert.equal(def.range.start.line, 0);
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', texUri, pos);
    assert.equal(refs.filter((r) => r.uri.toString() === texUri.toString()).length, 2);
    assert.equal(refs.filter((r) => r.uri.toString() === mdUri.toString()).length, 1);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', texUri, pos, 'smithThings2020');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const textOf = async (u: vscode.Uri) => (await vscode.workspace.openTextDocument(u)).getText();
    assert.equal(editor.document.getText(), 'One \\cite{smithThings2020}. Two \\citep{x,smithThings2020}.\n\\bibliography{nav}\n');
    assert.match(await textOf(bibUri), /^@article\{smithThings2020,/);
    assert.equal(await textOf(mdUri), 'And [@smithThings2020].\n');
  });

  it('opens a read-only page for a built-in paper on Go to Definition', async () => {
    const editor = await open(await write(vscode.Uri.joinPath(dir, 'def.tex'), `\\cite{${MEGATRON}}\n`));
    const defs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', editor.document.uri, new vscode.Position(0, 8));
    const doc = await vscode.workspace.openTextDocument(defs[0].uri);
    assert.match(doc.getText(), /Megatron-LM|Megatron\\-LM/);
    assert.match(doc.getText(), /@\w+\{shoeybiMegatronLMTraining2019,/);
  });

  it('reports unknown keys and papers mentioned but not cited, with quick fixes', async () => {
    const editor = await open(await write(vscode.Uri.joinPath(dir, 'diag.tex'), `We use LongLoRA here \\cite{shoeybiMegatronLMTraining2O19,nosuchkey}.\n`));
    const uri = editor.document.uri;
    const diags = await until(() => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Citelens');
      return d.length >= 3 ? d : undefined;
    }, 'Citelens diagnostics');
    const messages = diags.map((d) => d.message).sort();
    assert.ok(messages.some((m) => m.includes("'nosuchkey'")));
    assert.ok(messages.some((m) => m.includes('‘LongLoRA’ is mentioned but not cited')));
    const typo = diags.find((d) => d.message.includes('2O19'))!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, typo.range);
    assert.ok(actions.some((a) => a.title === `Replace with ${MEGATRON}`), actions.map((a) => a.title).join(', '));
    const mention = diags.find((d) => d.message.includes('LongLoRA'))!;
    const citeFix = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, mention.range)).find((a) => a.title.startsWith('Cite here'));
    assert.ok(citeFix?.command);
    await vscode.commands.executeCommand(citeFix!.command!.command, ...(citeFix!.command!.arguments ?? []));
    assert.ok(editor.document.getText().startsWith('We use LongLoRA~\\cite{chenLongLoRAEfficientFine2023} here'), editor.document.getText());
  });

  it('warns when a cited key is missing from the bibliography the document names, and adds it', async () => {
    const api = await citelens();
    const bibUri = await write(vscode.Uri.joinPath(dir, 'mine2.bib'), '@misc{moesurvey, title = {A Survey on Mixture of Experts}, year = 2024, eprint = {2407.06204}, archivePrefix = {arXiv}}\n');
    const editor = await open(await write(vscode.Uri.joinPath(dir, 'bibdiag.tex'), `A \\cite{${MEGATRON}} and \\cite{caiSurveyMixtureExperts2024}.\n\\bibliography{mine2}\n`));
    await until(() => paper(api, 'moesurvey'), 'mine2.bib loaded');
    const uri = editor.document.uri;
    const diags = await until(() => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'Citelens');
      return d.some((x) => x.message.includes("as 'moesurvey'")) ? d : undefined;
    }, 'bibliography diagnostics after mine2.bib loaded');
    const other = diags.find((d) => d.message.includes("as 'moesurvey'"));
    assert.ok(other, diags.map((d) => d.message).join(' | '));
    const missing = diags.find((d) => d.message.includes(`'${MEGATRON}' is in the built-in corpus but not in mine2.bib`))!;
    assert.ok(missing, diags.map((d) => d.message).join(' | '));
    const fix = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, missing.range)).find((a) => a.title === 'Add entry to bibliography');
    assert.ok(fix?.command);
    await vscode.commands.executeCommand(fix!.command!.command, ...(fix!.command!.arguments ?? []));
    const bibText = (await vscode.workspace.openTextDocument(bibUri)).getText();
    assert.ok(bibText.startsWith('@misc{moesurvey,'), 'existing entry kept first');
    assert.match(bibText, new RegExp(`@\\w+\\{${MEGATRON},`));
    // leave the library as other suites expect it: without this file's papers
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.workspace.fs.delete(bibUri);
    await until(async () => !(await paper(api, 'moesurvey')), 'mine2.bib unloaded');
  });
});
