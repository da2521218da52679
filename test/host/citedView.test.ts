/** Extension-host tests of the *Cited in This Document* view. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Paper } from '../../src/core/model/paper';
import { CitedNode, CitedProvider } from '../../src/client/citedView';
import type { CitelensApi } from '../../src/client/extension';
import { citelens, closeAllReverting, openUntitled, until } from './util';

const KEY = 'shoeybiMegatronLMTraining2019';
const OTHER = 'xueRepeatNotRepeat2023';

/** The registered view's provider, when the extension's testing API exposes it. */
function registered(api: CitelensApi): CitedProvider | undefined {
  return (api.testing as { citedProvider?: () => CitedProvider | undefined }).citedProvider?.();
}

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
    // the registered view's provider when the extension exposes it, else one over the same library
    provider = registered(api) ?? new CitedProvider(api.libraries);
  });

  afterEach(async () => {
    if (provider !== registered(api)) provider.dispose();
    await closeAllReverting();
  });

  const openLatex = (content: string) => openUntitled('latex', content);

  it('lists the cited keys in order of first use, unknown ones marked', async () => {
    await openLatex(`Intro \\cite{${KEY},nosuchkey}. Later \\citep[p.~3]{nosuchkey} and \\cite{${KEY}}.`);
    const children = provider.getChildren();
    assert.deepEqual(
      children.map((n) => [n.key, n.count, !!n.paper]),
      [
        [KEY, 2, true],
        ['nosuchkey', 2, false],
      ],
    );
    const known = provider.getTreeItem(children[0]);
    assert.equal(known.label, api.libraries.library.get(KEY)!.title);
    assert.equal(known.description, 'Shoeybi et al. · 2019 · 2×');
    assert.equal(known.command?.command, 'citelens.openPaperCard');
    assert.deepEqual(known.command?.arguments, [KEY]);
    assert.match(String(known.contextValue), /^citelens\.paper/);
    const unknown = provider.getTreeItem(children[1]);
    assert.equal(unknown.label, 'nosuchkey');
    assert.match(String(unknown.description), /^not in any library/);
    assert.equal((unknown.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.equal(unknown.command, undefined, 'an unknown key opens no card');
    assert.match(provider.summary() ?? '', /^citelens-test-[\d-]+\.tex · 1 paper · 1 unknown$/);
    assert.deepEqual(provider.getChildren(children[0]), []);
  });

  it('reads Markdown citations too', async () => {
    await openUntitled('markdown', `See @${OTHER} and [@${KEY}; @${OTHER}, p. 4].`);
    assert.deepEqual(provider.getChildren().map((n) => [n.key, n.count]), [
      [OTHER, 2],
      [KEY, 1],
    ]);
  });

  it('refreshes after an edit (debounced) with the new first-use order', async () => {
    const editor = await openLatex(`Text \\cite{${KEY}}.`);
    assert.deepEqual(provider.getChildren().map((n) => n.key), [KEY]);
    const changed = nextChange(provider);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), `\\cite{${OTHER}} `));
    await changed;
    assert.deepEqual(provider.getChildren().map((n) => n.key), [OTHER, KEY]);
  });

  it('follows the active editor and keeps the last document while a non-document editor is active', async () => {
    await openLatex(`\\cite{${KEY}}`);
    assert.deepEqual(provider.getChildren().map((n) => n.key), [KEY]);
    const changed = nextChange(provider);
    await openLatex(`\\cite{${OTHER}}`);
    await changed;
    assert.deepEqual(provider.getChildren().map((n) => n.key), [OTHER]);
    await openUntitled('json', '{"cite": "\\\\cite{x}"}');
    assert.deepEqual(provider.getChildren().map((n) => n.key), [OTHER]);
  });

  it('marks a key known once a library that has it loads', async () => {
    await openLatex('\\cite{lateArrival2024}');
    assert.deepEqual(provider.getChildren().map((n) => [n.key, n.paper]), [['lateArrival2024', undefined]]);
    const papers: Paper[] = [{ key: 'lateArrival2024', title: 'A Paper That Arrives Late', authors: ['Ada Lovelace'], year: 2024, source: 'test-late' }];
    const changed = nextChange(provider);
    api.libraries.library.setSource({ source: 'test-late', papers, diagnostics: [] });
    try {
      await changed;
      const node: CitedNode = await until(() => provider.getChildren().find((n) => n.paper), 'the key to become known');
      assert.equal(node.paper?.title, 'A Paper That Arrives Late');
      assert.equal(provider.getTreeItem(node).description, 'Lovelace · 2024');
    } finally {
      api.libraries.library.removeSource('test-late');
    }
  });

  it('is empty once its document is closed', async () => {
    await openLatex(`\\cite{${KEY}}`);
    assert.equal(provider.getChildren().length, 1);
    const doc = vscode.window.activeTextEditor!.document;
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    for (const end = Date.now() + 10_000; !doc.isClosed && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
    assert.ok(doc.isClosed, 'the untitled document was closed');
    assert.deepEqual(provider.getChildren(), []);
    assert.equal(provider.summary(), undefined);
  });
});
