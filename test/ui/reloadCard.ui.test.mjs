// A person reloads the window with a paper card open: the card comes back, with its paper.
import assert from 'node:assert/strict';
import { workbench } from './workbench.mjs';

describe('UI: the paper card across a window reload', function () {
  let wb;
  before(async () => {
    wb = await workbench();
  });
  beforeEach(() => wb.reset());

  it('restores the open card after Developer: Reload Window', async () => {
    await wb.openFile('paper.tex');
    await wb.runCommand('Citelens: Open Paper Card');
    await wb.waitForQuickInput('Open Paper Card');
    await wb.type('megatron');
    await wb.waitForQuickPickItem('Megatron-LM: Training Multi-Billion Parameter', { focused: true });
    await wb.press('Enter');
    const card = () => wb.page.frameLocator('iframe.webview.ready').frameLocator('iframe');
    await card().getByText('Training Multi-Billion Parameter').first().waitFor({ timeout: 20_000 });
    await wb.page.waitForTimeout(1000); // the page has saved its state
    await wb.runCommand('Developer: Reload Window').catch(() => {}); // the page goes away under the palette
    await wb.page.waitForSelector('.monaco-workbench .part.editor', { timeout: 120_000 });
    await wb.activityBarItem('Citelens').waitFor({ timeout: 60_000 });
    // the card's tab and its page are back, the paper on it, styled (its actions laid out by the card's stylesheet)
    const title = card().locator('h1.title');
    await title.waitFor({ timeout: 30_000 });
    assert.match(await title.innerText(), /Megatron-LM: Training Multi-Billion Parameter/);
    assert.equal(await card().locator('nav.actions').evaluate((n) => getComputedStyle(n).display), 'flex', 'the stylesheet applied');
    await wb.dismissNotifications();
  });
});
