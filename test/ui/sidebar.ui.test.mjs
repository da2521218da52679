// A person opens the Citelens side bar and browses the built-in corpus by topic.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../scripts/codeServer.mjs';
import { workbench } from './workbench.mjs';

const corpusTitles = JSON.parse(readFileSync(join(repoRoot, 'corpus', 'papers.json'), 'utf8')).map((p) => p.title);
const isCorpusTitle = (row) => corpusTitles.some((t) => row.startsWith(t));

describe('UI: Citelens side bar', function () {
  let wb;
  before(async () => {
    wb = await workbench();
  });
  beforeEach(() => wb.reset()); // before, not after: a failing test leaves its state for the failure screenshot

  it('shows the corpus papers in the Topics tree', async () => {
    await wb.openFile('paper.tex'); // the "Cited in this document" view has something to show
    await wb.openSideBar('Citelens');
    const topics = wb.treeRows('Topics');
    await topics.first().waitFor({ timeout: 20_000 });
    const before = await wb.treeRowTexts('Topics');
    assert.ok(before.length >= 2, `Topics shows ${before.length} row(s): ${before.join(' | ')}`);

    // Expand the first topic (a person clicks it) unless papers are already listed at the top level.
    if (!before.some(isCorpusTitle)) await topics.first().click();
    let rows = [];
    for (let i = 0; i < 50 && !rows.some(isCorpusTitle); i++) {
      await wb.page.waitForTimeout(200);
      rows = await wb.treeRowTexts('Topics');
    }
    const papers = rows.filter(isCorpusTitle);
    assert.ok(papers.length > 0, `no corpus paper among the Topics rows: ${rows.join(' | ')}`);
    await wb.resizeSideBar(480); // titles readable in the README picture
    await wb.page.mouse.move(900, 700); // no tooltip over the tree in the picture
    await wb.screenshot('sidebar');
  });

  it('gives every tree row a spoken label: topic name and count; paper title, first author, year, cited or not', async () => {
    await wb.openFile('paper.tex');
    await wb.goToText('Model parallelism as in');
    await wb.press('ArrowRight'); // a cursor, not a selection: the Related view reads the whole paragraph
    await wb.openSideBar('Citelens');
    await wb.treeRows('Topics').first().waitFor({ timeout: 20_000 });
    await wb.treeRows('Cited in This Document').first().waitFor({ timeout: 20_000 });
    await wb.treeRows('Related').first().waitFor({ timeout: 20_000 });
    // what a screen reader reads: the accessibility tree of each view
    const labels = async (pane) => [...(await wb.sideBarPane(pane).ariaSnapshot()).matchAll(/- treeitem "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
    // Topics: topic rows are read as name and count (never the tooltip's query); the paper rows of
    // an open topic as title, first author · year, and whether paper.tex cites them
    const rows = await labels('Topics');
    const topics = rows.filter((l) => /, \d+ papers?$/.test(l));
    assert.ok(topics.length >= 1, `topic rows: ${rows.join(' | ')}`); // an open topic's papers may fill the pane
    for (const l of rows) {
      assert.doesNotMatch(l, /Query/);
      if (!topics.includes(l)) assert.match(l, /^.+, .+ · \d{4}, (?:cited|not cited)$/, `a paper row is read as title, first author · year, cited or not: "${l}"`);
    }
    if (rows.length === topics.length) {
      await wb.treeRows('Topics').first().click(); // open a topic to hear its papers
      await wb.page.waitForFunction(() => document.querySelectorAll('.part.sidebar .monaco-list-row[aria-level="2"]').length > 0, null, { timeout: 10_000 });
      const papers = (await labels('Topics')).filter((l) => !/, \d+ papers?$/.test(l));
      assert.ok(papers.length >= 1 && papers.every((l) => /^.+, .+ · \d{4}, (?:cited|not cited)$/.test(l)), `paper rows: ${papers.join(' | ')}`);
    }
    // refs.bib may still be loading: its keys are read as unknown until it is
    const want = 'Attention Is All You Need, Vaswani et al. · 2017, cited 1 time';
    let cited = [];
    for (const end = Date.now() + 20_000; !cited.includes(want) && Date.now() < end; await wb.page.waitForTimeout(500)) cited = await labels('Cited in This Document');
    assert.ok(cited.includes(want), `cited rows: ${cited.join(' | ')}`);
    const related = await labels('Related');
    assert.ok(related.length >= 1, `related rows: ${related.join(' | ')}`);
    for (const l of related) assert.match(l, /^.+, .+ · \d{4}, (?:cited|not cited)$/, `a related paper is read as title, first author · year, cited or not: "${l}"`);
  });
});
