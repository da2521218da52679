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
});
