/** Extension-host tests of the paper card webview: its HTML, its reuse, and its messages. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { escapeHtml } from '../../src/core/render/cardHtml';
import { Paper } from '../../src/core/model/paper';
import { PAPER_CARD_VIEW_TYPE, type PaperCardPanel } from '../../src/client/paperCard';
import { CitelensApi, addSource, citelens, closeAllReverting, openUntitled, paper, removeSource, until } from './util';

const KEY = 'shoeybiMegatronLMTraining2019';
const SECOND = 'xueRepeatNotRepeat2023';

function cardTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('citelens.paperCard'));
}


async function openCard(arg?: unknown): Promise<PaperCardPanel> {
  const card = await vscode.commands.executeCommand<PaperCardPanel | undefined>('citelens.openPaperCard', arg);
  assert.ok(card, 'citelens.openPaperCard returns the card');
  return card!;
}

describe('the paper card', function () {
  this.timeout(30_000);
  let api: CitelensApi;

  before(async () => {
    api = await citelens();
    await closeAllReverting();
  });

  afterEach(async () => {
    await closeAllReverting();
  });

  it('opens for a key with the title, authors, key, abstract, BibTeX, a nonce CSP, and five related papers', async () => {
    const found = (await paper(api, KEY))!;
    assert.ok(found, 'the corpus has the paper');
    const p = found.paper;
    const card = await openCard(KEY);
    assert.equal(api.card, card, 'the command returns the registered card');
    assert.equal(card.currentKey, KEY);
    const html = card.currentHtml()!;
    assert.ok(html.includes(`<h1 class="title">${escapeHtml(p.title)}</h1>`));
    assert.ok(html.includes('Mohammad Shoeybi'));
    assert.ok(html.includes(`<code class="key" title="Citation key">${KEY}</code>`));
    assert.ok(html.includes(escapeHtml(p.abstract!.trim())), 'the full abstract');
    assert.ok(html.includes(`<pre id="bibtex-text">${escapeHtml(found.bibtex)}</pre>`));
    assert.ok(html.includes('href="https://arxiv.org/abs/1909.08053"'));
    // CSP: the webview's own source and a nonce that the single script carries
    const csp = /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ([^;]+); script-src 'nonce-([A-Za-z0-9+/=]{16,})';/.exec(html);
    assert.ok(csp, 'CSP with a nonce');
    assert.equal(csp![1], `${card.webviewPanel!.webview.cspSource} 'nonce-${csp![2]}'`, 'styles from the webview or inline under the nonce');
    // styled from the first paint: the stylesheet is inline, with the icons as webview URIs
    assert.ok(html.includes(`<style nonce="${csp![2]}">`) && !html.includes('<link rel="stylesheet"'), 'the stylesheet inline');
    assert.match(html, /mask-image: url\(\S+\/media\/icons\/copy\.svg\)/);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0].includes(`nonce="${csp![2]}"`));
    assert.ok(scripts[0].includes('paperCard.js'));
    assert.ok(!/\son[a-z]+\s*=\s*["']/i.test(html.replace(/<pre[\s\S]*?<\/pre>/, '')), 'no inline handlers');
    // five related papers, none of them the paper itself, all in the library
    const related = [...html.matchAll(/class="related-paper" data-key="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(related.length, 5);
    assert.ok(!related.includes(KEY));
    for (const k of related) assert.ok(await paper(api, k), k);
    // it is a webview tab of its own
    await until(() => cardTabs().length === 1, 'the card tab');
    assert.equal(card.webviewPanel!.webview.options.enableScripts, true);
  });

  it("shows the paper's topics even before the Topics view was opened", async () => {
    const card = await openCard(KEY);
    const chips = [...card.currentHtml()!.matchAll(/<li class="chip">([^<]*)<\/li>/g)].map((m) => m[1]);
    // Megatron-LM is a training-systems paper (as test/unit/topics.test.ts expects of the built-in topics)
    assert.ok(chips.includes('Training systems and parallelism'), chips.join(', '));
    // and the card shows exactly the topics the Topics view puts it under
    assert.deepEqual(chips, (await paper(api, KEY))!.topics.map(escapeHtml));
  });

  it('reuses the one panel for a second card (a tree node argument)', async () => {
    const card = await openCard(KEY);
    const panel = card.webviewPanel;
    const second = (await paper(api, SECOND))!.summary;
    const again = await openCard({ kind: 'paper', paper: second });
    assert.equal(again, card);
    assert.equal(card.webviewPanel, panel, 'the same WebviewPanel');
    assert.equal(card.currentKey, SECOND);
    assert.ok(card.currentHtml()!.includes(escapeHtml(second.title)));
    assert.ok(!card.currentHtml()!.includes(`<code class="key" title="Citation key">${KEY}</code>`));
    await new Promise((r) => setTimeout(r, 300)); // let the tab model settle
    assert.equal(cardTabs().length, 1, 'one card tab, not two');
  });

  it('opens a related paper when its button posts openPaper, and copies BibTeX on copyBibtex', async () => {
    const card = await openCard(KEY);
    const firstRelated = /class="related-paper" data-key="([^"]+)"/.exec(card.currentHtml()!)![1];
    await card.handleMessage({ type: 'openPaper', key: firstRelated });
    assert.equal(card.currentKey, firstRelated);
    await card.handleMessage({ type: 'copyBibtex' });
    await until(async () => (await vscode.env.clipboard.readText()) === (await paper(api, firstRelated))!.bibtex, 'the BibTeX on the clipboard');
    // malformed messages are ignored
    await card.handleMessage({ type: 'openPaper', key: 'no-such-key' });
    await card.handleMessage({ type: 'nonsense' });
    await card.handleMessage(null);
    await card.handleMessage('cite');
    assert.equal(card.currentKey, firstRelated);
  });

  it('cites at the cursor of the last text editor even when the card has focus', async () => {
    const cfg = vscode.workspace.getConfiguration('citelens');
    const before = cfg.inspect<boolean>('bibliography.addEntries')?.globalValue;
    await cfg.update('bibliography.addEntries', false, vscode.ConfigurationTarget.Global);
    try {
      const editor = await openUntitled('latex', 'Tensor parallelism works.');
      const doc = editor.document;
      editor.selection = new vscode.Selection(0, 24, 0, 24); // before the full stop
      const card = await openCard(KEY);
      assert.ok(card.currentHtml()!.includes('not cited in this document yet'));
      // focus the card as a click would: the text editor is no longer active (in code-server, reveal
      // alone makes the card's group active without moving the keyboard focus into the webview)
      await until(() => card.webviewPanel!.viewColumn === 2, 'the card beside the document');
      await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
      await until(() => card.webviewPanel!.active && !vscode.window.activeTextEditor, 'the card to take focus');
      await card.handleMessage({ type: 'cite', key: KEY });
      await until(() => doc.getText().includes(KEY), 'the citation');
      assert.equal(doc.getText(), `Tensor parallelism works\\cite{${KEY}}.`);
      assert.ok(card.currentHtml()!.includes('cited 1× in this document'));
      // the command does the same from a tree node, into the same document
      await vscode.commands.executeCommand('citelens.citeAtCursor', { paper: (await paper(api, SECOND))!.summary });
      await until(() => doc.getText().includes(SECOND), 'the second citation');
    } finally {
      await cfg.update('bibliography.addEntries', before, vscode.ConfigurationTarget.Global);
    }
  });

  it('renders hostile library text inert in the real webview', async () => {
    const evil = '<img src=x onerror=alert(1)><script>alert(2)</script>"><svg onload=alert(3)>[x](command:workbench.action.quit)';
    const papers: Paper[] = [
      { key: 'evilPaper2024', title: evil, authors: [evil], abstract: `We ${evil} study.`, venue: evil, url: 'javascript:alert(1)', source: 'test-hostile' },
    ];
    await addSource(api, 'test-hostile', papers);
    try {
      const card = await openCard('evilPaper2024');
      const html = card.currentHtml()!;
      assert.equal([...html.matchAll(/<script\b/g)].length, 1);
      assert.ok(!/<img|<svg|<iframe/i.test(html), 'no element from the library text');
      assert.ok(!/\b(?:href|src|data-url)="(?!https:)/.test(html), 'links are https only');
      // no handler or style attribute on any element (attribute values and text may hold "onerror=": escaped, inert)
      for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
        const names = [...tag[0].replace(/"[^"]*"/g, '""').matchAll(/\s([^\s=>"]+)(?==|\s|>)/g)].map((m) => m[1].toLowerCase());
        assert.ok(!names.some((n) => n.startsWith('on') || n === 'style'), tag[0]);
      }
      assert.ok(html.includes(escapeHtml(evil)));
      assert.equal(card.webviewPanel!.webview.options.enableCommandUris, false);
    } finally {
      await removeSource(api, 'test-hostile');
    }
  });

  it('with no argument opens the card of the key under the cursor', async () => {
    const editor = await openUntitled('markdown', `As shown [@${SECOND}; @${KEY}].`);
    const doc = editor.document;
    const at = doc.getText().indexOf(KEY) + 3;
    editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at));
    const card = await openCard();
    assert.equal(card.currentKey, KEY);
  });

  describe('after a window reload (the webview serializer)', () => {
    /** A panel as VS Code hands one to the serializer after a reload: no page yet. */
    function restoredPanel(): vscode.WebviewPanel {
      return vscode.window.createWebviewPanel(PAPER_CARD_VIEW_TYPE, 'Paper', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    }
    const withoutNonce = (html: string) => html.replace(/nonce(?:=|-)["']?[A-Za-z0-9+/=]+/g, 'nonce');

    it('shows the last card at once, under a fresh nonce, before the server answers', async () => {
      const card = await openCard(KEY);
      const before = card.currentHtml()!;
      const panel = restoredPanel();
      await card.restore(panel, { key: KEY });
      // restore() returns once the page is set; the server's answer comes later
      assert.equal(card.webviewPanel, panel, 'the card adopted the restored panel');
      assert.equal(card.currentKey, KEY);
      const now = panel.webview.html;
      assert.equal(withoutNonce(now), withoutNonce(before), 'the same card');
      assert.notEqual(/'nonce-([^']+)'/.exec(now)![1], /'nonce-([^']+)'/.exec(before)![1], 'a fresh nonce');
      assert.match(panel.title, /^Paper: Megatron-LM/);
      await until(() => cardTabs().length === 1, 'one card tab');
    });

    it('restores another paper than the last card shown: a note, then its card', async () => {
      await openCard(KEY);
      const card = api.card;
      const panel = restoredPanel();
      await card.restore(panel, { key: SECOND });
      assert.equal(card.currentKey, SECOND);
      const second = (await paper(api, SECOND))!.summary;
      await until(() => panel.webview.html.includes(escapeHtml(second.title)), 'the card of the saved key');
    });

    it('closes a restored panel whose state names no paper', async () => {
      const panel = restoredPanel();
      let disposed = false;
      panel.onDidDispose(() => (disposed = true));
      await api.card.restore(panel, undefined);
      assert.ok(disposed, 'nothing to show: the panel is closed');
      const other = restoredPanel();
      await api.card.restore(other, { key: 42 } as unknown as { key: string });
      assert.equal(api.card.webviewPanel, undefined);
    });
  });
});
