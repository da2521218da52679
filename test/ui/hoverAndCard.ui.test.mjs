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

  it('at 1400×900 the actions of key, title and name hovers show without scrolling, before the abstract', async () => {
    await wb.page.setViewportSize({ width: 1400, height: 900 });
    try {
      await wb.openFile('paper.tex');
      for (const [text, title] of [
        ['vaswaniAttentionAllYou2017', 'Attention Is All You Need'],
        ['Few-Shot Learners', 'Language Models are Few-Shot Learners'],
        ['LongLoRA', 'LongLoRA: Efficient Fine-tuning'],
      ]) {
        const shown = await wb.hoverAtText(text, { expect: /Open card/ });
        // the order a writer reads: the title, authors · year · venue, the actions, then the abstract
        const at = (s) => shown.indexOf(s);
        assert.ok(at(title) >= 0 && at(title) < at('Open card'), `${text}: the title first\n${shown}`);
        assert.ok(at('Open card') < at('Copy BibTeX'), shown);
        const paragraphs = shown.split(/\n+/).map((l) => l.trim()).filter(Boolean);
        const actions = paragraphs.findIndex((l) => l.includes('Open card'));
        assert.ok(actions >= 1 && actions <= 3, `${text}: the actions come right after the title and authors\n${shown}`);
        // every action link lies inside the hover's visible box (no scrolling needed to reach it)
        const box = await wb.hover.boundingBox();
        for (const name of ['Open card', 'Copy BibTeX']) {
          const link = await wb.hover.getByText(name, { exact: true }).first().boundingBox();
          assert.ok(box && link, `${text}: ${name} is drawn`);
          assert.ok(link.y >= box.y && link.y + link.height <= box.y + box.height, `${text}: ${name} at y=${link.y}..${link.y + link.height} is outside the hover's box y=${box.y}..${box.y + box.height}`);
        }
        await wb.hideHover();
      }
    } finally {
      await wb.page.setViewportSize({ width: 1280, height: 800 });
    }
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
    // the view may first draw from the libraries read so far (refs.bib before the built-in corpus)
    // and fill in as the rest arrives: wait for the full answer, not the first row
    let rows = await wb.treeRowTexts('Related');
    for (const end = Date.now() + 20_000; rows.length < 3 && Date.now() < end; rows = await wb.treeRowTexts('Related')) await wb.page.waitForTimeout(250);
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
