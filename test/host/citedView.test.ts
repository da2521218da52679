/** Extension-host tests of the *Cited in This Document* view. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Paper } from '../../src/core/model/paper';
import { CitedNode, CitedProvider } from '../../src/client/citedView';
import { CitelensApi, addSource, citelens, closeAllReverting, openUntitled, paper, removeSource, until } from './util';

const KEY = 'shoeybiMegatronLMTraining2019';
const OTHER = 'xueRepeatNotRepeat2023';

/** Resolves when the provider next fires onDidChangeTreeData (or rejects after `ms`). */
function nextChange(provider: CitedProvider, ms = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('the view did not refresh'));
    }, ms);
    const sub = provider.onDidChangeTreeData(() => {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}


describe('the Cited in This Document view', function () {
  this.timeout(30_000);
  let api: CitelensApi;
  let provider: CitedProvider;

  before(async () => {
    api = await citelens();
    await closeAllReverting();
  });

  beforeEach(() => {
    provider = api.cited;
  });

  afterEach(() => closeAllReverting());

  /** Opens a LaTeX document and waits until the view lists it. */
  const openLatex = async (content: string) => {
    const editor = await openUntitled('latex', content);
    await until(async () => provider.document === editor.document && (await provider.nodes()).length > 0, 'the view to list the new document');
    return editor;
  };
  const children = () => provider.nodes();

  it('lists the cited keys in order of first use, unknown ones marked', async () => {
    await openLatex(`Intro \\cite{${KEY},nosuchkey}. Later \\citep[p.~3]{nosuchkey} and \\cite{${KEY}}.`);
    const nodes = await children();
    assert.deepEqual(
      nodes.map((n) => [n.key, n.count, !!n.paper]),
      [
        [KEY, 2, true],
        ['nosuchkey', 2, false],
      ],
    );
    const known = provider.getTreeItem(nodes[0]);
    assert.equal(known.label, (await paper(api, KEY))!.paper.title);
    assert.equal(known.description, 'Shoeybi et al. · 2019 · 2×');
    assert.equal(known.command?.command, 'citelens.openPaperCard');
    assert.deepEqual(known.command?.arguments, [KEY]);
    assert.match(String(known.contextValue), /^citelens\.paper/);
    const unknown = provider.getTreeItem(nodes[1]);
    assert.equal(unknown.label, 'nosuchkey');
    assert.match(String(unknown.description), /^not in any library/);
    assert.equal((unknown.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.equal(unknown.command, undefined, 'an unknown key opens no card');
    assert.match((await provider.summary()) ?? '', /^citelens-test-[\d-]+\.tex · 1 paper · 1 unknown$/);
    assert.deepEqual(provider.getChildren(nodes[0]), []);
  });

  it('reads Markdown citations too', async () => {
    const editor = await openUntitled('markdown', `See @${OTHER} and [@${KEY}; @${OTHER}, p. 4].`);
    await until(async () => provider.document === editor.document && (await children()).length === 2, 'the view to list the Markdown document');
    assert.deepEqual((await children()).map((n) => [n.key, n.count]), [
      [OTHER, 2],
      [KEY, 1],
    ]);
  });

  it('refreshes after an edit (debounced) with the new first-use order', async () => {
    const editor = await openLatex(`Text \\cite{${KEY}}.`);
    assert.deepEqual((await children()).map((n) => n.key), [KEY]);
    const changed = nextChange(provider);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), `\\cite{${OTHER}} `));
    await changed;
    assert.deepEqual((await children()).map((n) => n.key), [OTHER, KEY]);
  });

  it('follows the active editor and keeps the last document while a non-document editor is active', async () => {
    await openLatex(`\\cite{${KEY}}`);
    assert.deepEqual((await children()).map((n) => n.key), [KEY]);
    await openLatex(`\\cite{${OTHER}}`);
    assert.deepEqual((await children()).map((n) => n.key), [OTHER]);
    await openUntitled('json', '{"cite": "\\\\cite{x}"}');
    assert.deepEqual((await children()).map((n) => n.key), [OTHER]);
  });

  it('marks a key known once a library that has it loads', async () => {
    await openLatex('\\cite{lateArrival2024}');
    assert.deepEqual((await children()).map((n) => [n.key, n.paper]), [['lateArrival2024', undefined]]);
    const papers: Paper[] = [{ key: 'lateArrival2024', title: 'A Paper That Arrives Late', authors: ['Ada Lovelace'], year: 2024, source: 'test-late' }];
    const changed = nextChange(provider);
    await addSource(api, 'test-late', papers);
    try {
      await changed;
      const node: CitedNode = await until(async () => (await children()).find((n) => n.paper), 'the key to become known');
      assert.equal(node.paper?.title, 'A Paper That Arrives Late');
      assert.equal(provider.getTreeItem(node).description, 'Lovelace · 2024');
    } finally {
      await removeSource(api, 'test-late');
    }
  });

  it('is empty once its document is closed', async () => {
    await openLatex(`\\cite{${KEY}}`);
    assert.equal((await children()).length, 1);
    const doc = vscode.window.activeTextEditor!.document;
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    for (const end = Date.now() + 10_000; !doc.isClosed && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    assert.ok(doc.isClosed, 'the untitled document was closed');
    assert.deepEqual(await provider.getChildren(), []);
    assert.equal(await provider.summary(), undefined);
  });
});
