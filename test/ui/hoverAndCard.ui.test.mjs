// A person hovers a paper title in LaTeX prose, opens the card, and sees related papers for the paragraph.
import assert from 'node:assert/strict';
import { workbench } from './workbench.mjs';

describe('UI: hover cards, the paper card and related papers', function () {
  let wb;
  before(async () => {
    wb = await workbench();
  });
  beforeEach(() => wb.reset());

  it('shows the paper card when hovering a title written in prose', async () => {
    await wb.openFile('paper.tex');
    const text = await wb.hoverAtText('Few-Shot Learners', { expect: /Brown/ });
    assert.match(text, /Language Models are Few-Shot Learners/);
    assert.match(text, /2020/);
    assert.match(text, /Cite here/);
    await wb.screenshot('hover');
    await wb.hideHover();
  });

  it('hovers a system name and cites it right after the mention from the card', async () => {
    await wb.openFile('paper.tex');
    const text = await wb.hoverAtText('LongLoRA', { expect: /Long-Context/ });
    assert.match(text, /LongLoRA: Efficient Fine-tuning of Long-Context Large Language Models/);
    await wb.hover.getByText('Cite here').click();
    await wb.waitForEditorText('LongLoRA~\\cite{chenLongLoRAEfficientFine2023}');
  });

  it('opens the paper card from the command palette and shows related papers for the paragraph', async () => {
    await wb.openFile('paper.tex');
    await wb.goToText('Model parallelism as in');
    await wb.openSideBar('Citelens');
    const related = wb.treeRows('Related');
    await related.first().waitFor({ timeout: 20_000 });
    const rows = await wb.treeRowTexts('Related');
    assert.ok(rows.length >= 3, `Related shows ${rows.join(' | ')}`);
    await wb.resizeSideBar(480);
    await wb.page.mouse.move(900, 700);
    await wb.screenshot('related');
    await wb.runCommand('Citelens: Open Paper Card');
    await wb.waitForQuickInput('Open Paper Card');
    await wb.type('megatron');
    await wb.waitForQuickPickItem('Megatron-LM: Training Multi-Billion Parameter', { focused: true });
    await wb.press('Enter');
    const frame = wb.page.frameLocator('iframe.webview.ready').frameLocator('iframe');
    await frame.getByText('Training Multi-Billion Parameter').first().waitFor({ timeout: 20_000 });
    await wb.screenshot('paperCard');
  });
});
