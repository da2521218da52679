// A person cites a paper: Quick Open a document, run "Citelens: Search and Cite" from the command
// palette, type a query, accept the paper, and see the citation in the editor and on disk.
import assert from 'node:assert/strict';
import { workbench } from './workbench.mjs';

describe('UI: Search and Cite', function () {
  let wb;
  before(async () => {
    wb = await workbench();
  });
  beforeEach(() => wb.reset()); // before, not after: a failing test leaves its state for the failure screenshot

  it('inserts \\cite{key} into a LaTeX document from the command palette', async () => {
    await wb.openFile('paper.tex');
    await wb.goToText('span many GPUs'); // selects the words; ArrowRight puts the cursor after them
    await wb.press('ArrowRight');
    await wb.type(' ');
    await wb.runCommand('Citelens: Search and Cite');
    await wb.waitForQuickInput('Search and Cite');
    await wb.type('megatron');
    await wb.waitForQuickPickItem('Megatron-LM: Training Multi-Billion Parameter', { focused: true });
    await wb.screenshot('searchAndCite');
    await wb.press('Enter');
    await wb.quickInput.waitFor({ state: 'hidden' });

    const shown = await wb.waitForEditorText('span many GPUs \\cite{shoeybiMegatronLMTraining2019}, and');
    assert.ok(shown.includes('\\bibliography{refs}'), 'the rest of the document is still there');
    await wb.save();
    const onDisk = wb.readWorkspaceFile('paper.tex');
    assert.ok(onDisk.includes('lets a single model span many GPUs \\cite{shoeybiMegatronLMTraining2019}, and\n'), onDisk);
    assert.equal(onDisk.split('\\cite{shoeybiMegatronLMTraining2019}').length - 1, 1, 'inserted once');
    // the bibliography the document names got the entry, after its existing entries, on disk
    const bib = wb.readWorkspaceFile('refs.bib');
    assert.ok(bib.startsWith('@inproceedings{vaswaniAttentionAllYou2017,'), 'existing entries first, unchanged');
    assert.match(bib, /@\w+\{shoeybiMegatronLMTraining2019,[\s\S]*eprint = \{1909\.08053\}/);
  });

  it('inserts [@key] into a Markdown document', async () => {
    await wb.openFile('notes.md');
    await wb.press('Control+End');
    await wb.type('- Scale alone yields in-context learning ');
    await wb.runCommand('Citelens: Search and Cite');
    await wb.waitForQuickInput('Search and Cite');
    await wb.type('few-shot learners');
    await wb.waitForQuickPickItem('Language Models are Few-Shot Learners', { focused: true });
    await wb.press('Enter');
    await wb.waitForEditorText('in-context learning [@brownLanguageModelsAre2020]');
  });

  it('at the end of a sentence cites before the full stop, and citing again merges into that citation', async () => {
    await wb.openFile('paper.tex');
    await wb.goToText('to longer contexts.'); // selects the words; ArrowRight puts the cursor after the full stop
    await wb.press('ArrowRight');
    await wb.runCommand('Citelens: Search and Cite');
    await wb.waitForQuickInput('Search and Cite');
    await wb.type('longlora');
    await wb.waitForQuickPickItem('LongLoRA: Efficient Fine-tuning', { focused: true });
    await wb.press('Enter');
    await wb.quickInput.waitFor({ state: 'hidden' });
    await wb.waitForEditorText('to longer contexts~\\cite{chenLongLoRAEfficientFine2023}.');
    // the cursor is still after the full stop: a second paper joins the same citation
    await wb.runCommand('Citelens: Search and Cite');
    await wb.waitForQuickInput('Search and Cite');
    await wb.type('megatron');
    await wb.waitForQuickPickItem('Megatron-LM: Training Multi-Billion Parameter', { focused: true });
    await wb.press('Enter');
    await wb.quickInput.waitFor({ state: 'hidden' });
    const text = await wb.waitForEditorText('to longer contexts~\\cite{chenLongLoRAEfficientFine2023,shoeybiMegatronLMTraining2019}.');
    assert.ok(!text.includes('}\\cite{'), text);
  });

  it('says when no paper matches and offers what to do', async () => {
    await wb.openFile('notes.md');
    await wb.runCommand('Citelens: Search and Cite');
    await wb.waitForQuickInput('Search and Cite');
    await wb.type('qzxvkjw');
    await wb.waitForQuickPickItem('No papers match “qzxvkjw”');
    await wb.waitForQuickPickItem('Add a library file');
    const items = await wb.quickPickItems();
    assert.ok(items.every((i) => /No papers match|built-in corpus|Add a library file/.test(i)), `only the message and its offers: ${items.join(' | ')}`);
    await wb.press('Escape');
  });

  it('reaches the buttons from the keyboard: Ctrl+Alt+O opens the focused paper card', async () => {
    await wb.openFile('notes.md');
    await wb.runCommand('Citelens: Search and Cite');
    await wb.waitForQuickInput('Search and Cite');
    await wb.type('megatron');
    await wb.waitForQuickPickItem('Megatron-LM: Training Multi-Billion Parameter', { focused: true });
    await wb.press('Control+Alt+O');
    const frame = wb.page.frameLocator('iframe.webview.ready').frameLocator('iframe');
    await frame.getByText('Training Multi-Billion Parameter').first().waitFor({ timeout: 20_000 });
    await wb.press('Escape');
  });
});

