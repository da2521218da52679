/** The merged library (document bibliography + setting + built-in), the Topics tree, user topics, drag and drop. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PAPERS_SHOWN } from '../../src/client/topicsView';
import { addSource, citelens, open, paper, removeSource, scratch, searchKeys, status, until, write } from './util';

describe('library and topics', function () {
  this.timeout(60_000);
  let dir: vscode.Uri;
  before(async () => {
    await citelens();
    dir = await scratch('lib');
  });
  after(async () => {
    // other suites expect the built-in papers under their own keys: drop this suite's libraries
    await vscode.workspace.fs.delete(dir, { recursive: true });
    await vscode.workspace.getConfiguration('citelens').update('libraries', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration('citelens').update('topics', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('merges the .bib a document names, a CSL-JSON file from the setting, and the built-in corpus', async () => {
    const api = await citelens();
    await write(vscode.Uri.joinPath(dir, 'mine.bib'), [
      '@string{nips = "Advances in Neural Information Processing Systems"}',
      '@inproceedings{tay2022ul2r, title = {Transcending Scaling Laws with 0.1\\% Extra Compute}, author = {Tay, Yi and Wei, Jason}, booktitle = nips, year = 2022, eprint = {2210.11399}, archivePrefix = {arXiv}}',
      '@article{broken, title = {Missing brace, year = 2020',
      '@article{vaswani2017, title = {Attention Is All You Need}, author = {Vaswani, Ashish}, year = 2017}',
      '',
    ].join('\n'));
    const csl = [{ id: 'devlin2019bert', type: 'paper-conference', title: 'BERT: Pre-training of Deep Bidirectional Transformers', author: [{ family: 'Devlin', given: 'Jacob' }], issued: { 'date-parts': [[2019]] } }];
    await write(vscode.Uri.joinPath(dir, 'zotero.json'), JSON.stringify(csl));
    const rel = vscode.workspace.asRelativePath(vscode.Uri.joinPath(dir, 'zotero.json'), false);
    await vscode.workspace.getConfiguration('citelens').update('libraries', [rel], vscode.ConfigurationTarget.Workspace);
    await open(await write(vscode.Uri.joinPath(dir, 'paper.tex'), '\\addbibresource{mine.bib}\nText.\n'));
    await until(async () => (await paper(api, 'devlin2019bert')) && (await paper(api, 'vaswani2017')) && (await paper(api, 'tay2022ul2r')), 'both user libraries loaded');
    assert.equal((await paper(api, 'tay2022ul2r'))?.paper.venue, 'Advances in Neural Information Processing Systems');
    assert.equal((await paper(api, 'tayTranscendingScalingLaws2022'))?.paper.key, 'tay2022ul2r', 'the built-in key resolves to the user entry');
    const byArxiv = (await api.server.search({ query: '2210.11399', limit: 20 })).hits.filter((h) => h.paper.arxiv === '2210.11399');
    assert.equal(byArxiv.length, 1, 'one paper for the two sources');
    const sources = (await status(api)).sources;
    const mine = sources.find((s) => s.source.endsWith('mine.bib'))!;
    assert.ok(mine.problems >= 1, 'the broken entry is reported');
    assert.ok(sources.find((s) => s.source === 'builtin')!.entries === 72);
    const problems = await until(() => vscode.languages.getDiagnostics(vscode.Uri.joinPath(dir, 'mine.bib')).length > 0, 'problems on mine.bib');
    assert.ok(problems);
  });

  it('shows topics with counts, and every corpus paper is reachable', async () => {
    const api = await citelens();
    const roots = await api.topics.getChildren();
    assert.ok(roots.length >= 8);
    const reachable = new Set<string>();
    for (const r of roots) {
      const label = api.topics.getTreeItem(r).label as string;
      const kids = await api.topics.getChildren(r);
      assert.match(label, new RegExp(`\\(${kids.length}\\)$`), label);
      for (const k of kids) if (k.kind === 'paper') reachable.add(k.paper.key);
    }
    const corpus = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(vscode.extensions.getExtension('citelens.citelens')!.extensionUri, 'corpus/papers.json')))) as { key: string }[];
    assert.equal(corpus.length, 72);
    for (const p of corpus) {
      const shown = (await paper(api, p.key))!.paper;
      // a built-in paper a user library also has is shown under the user's key
      assert.ok(reachable.has(shown.key), p.key);
    }
    const longContext = roots.find((r) => r.kind === 'topic' && r.topic.name === 'Long context')!;
    const kids = await api.topics.getChildren(longContext);
    const years = kids.map((k) => (k.kind === 'paper' ? k.paper.year ?? 0 : 0));
    assert.deepEqual(years, [...years].sort((a, b) => b - a), 'newest first');
  });

  it('adds, renames and removes a user topic', async () => {
    const api = await citelens();
    const names = async () => (await api.topics.getChildren()).filter((n) => n.kind === 'topic' && n.topic.origin === 'user').map((n) => (n.kind === 'topic' ? n.topic.name : ''));
    await vscode.commands.executeCommand('citelens.addTopic', 'My quantization', 'quantization');
    assert.deepEqual(await until(async () => ((await names()).length ? names() : undefined), 'the new topic'), ['My quantization']);
    const node = (await api.topics.getChildren()).find((n) => n.kind === 'topic' && n.topic.name === 'My quantization')!;
    assert.ok((await api.topics.getChildren(node)).some((k) => k.kind === 'paper' && k.paper.key === 'kimFineQuantUnlockingEfficiency2023'));
    await vscode.commands.executeCommand('citelens.renameTopic', 'My quantization', 'Quantization');
    await until(async () => (await names()).includes('Quantization'), 'renamed topic');
    await vscode.commands.executeCommand('citelens.removeTopic', 'Quantization');
    await until(async () => (await names()).length === 0, 'removed topic');
  });

  it('filters the tree to a query', async () => {
    const api = await citelens();
    await vscode.commands.executeCommand('citelens.filterTopics', 'megatron');
    const roots = await api.topics.getChildren();
    const keys = new Set((await Promise.all(roots.map((r) => api.topics.getChildren(r)))).flat().map((k) => (k.kind === 'paper' ? k.paper.key : '')));
    assert.ok(keys.has('shoeybiMegatronLMTraining2019'));
    assert.deepEqual(await searchKeys(api, 'megatron', 1), ['shoeybiMegatronLMTraining2019']);
    assert.ok(!keys.has('chenLongLoRAEfficientFine2023'));
    await vscode.commands.executeCommand('citelens.clearTopicsFilter');
  });

  it('lists the first papers of a large topic and sums up the rest in one item that offers the filter', async () => {
    const api = await citelens();
    const papers = Array.from({ length: 1200 }, (_, i) => ({ key: `k${i}`, title: `Unrelated title number ${i} zq${i}`, authors: ['A. Author'], year: 2000 + (i % 20), source: 'test-big' }));
    await addSource(api, 'test-big', papers);
    const provider = api.topics;
    try {
      const rest = await until(async () => {
        provider.refresh();
        for (const r of await provider.getChildren()) {
          if (r.kind !== 'topic' || r.topic.count < 1200) continue;
          const kids = await provider.getChildren(r);
          if (kids.some((k) => k.kind === 'paper' && k.paper.key.startsWith('k'))) return r;
        }
        return undefined;
      }, 'the topic holding the 1,200 papers');
      const total = rest.kind === 'topic' ? rest.topic.count : 0;
      const kids = await provider.getChildren(rest);
      assert.equal(kids.length, PAPERS_SHOWN + 1);
      assert.equal(kids.filter((k) => k.kind === 'paper').length, PAPERS_SHOWN);
      const more = kids[kids.length - 1];
      const item = provider.getTreeItem(more);
      assert.equal(item.label, `${(total - PAPERS_SHOWN).toLocaleString('en-US')} more papers`);
      assert.equal(item.command?.command, 'citelens.filterTopics');
      assert.deepEqual(provider.getParent(more), { kind: 'topic', topic: rest.kind === 'topic' ? rest.topic : undefined });
      // newest first by default: the listed papers are the newest ones
      assert.ok(kids.every((k) => k.kind !== 'paper' || !k.paper.key.startsWith('k') || k.paper.year! >= 2011), 'the newest papers are listed');
      const listed = kids.find((k) => k.kind === 'paper')!;
      assert.ok(await provider.nodeFor(listed.kind === 'paper' ? listed.paper.key : ''), 'a listed paper can be revealed');
      assert.equal(await provider.nodeFor('k0'), undefined, 'a paper summed up cannot be revealed (year 2000, not listed)');
    } finally {
      await removeSource(api, 'test-big');
      provider.refresh();
    }
  });

  it('drags a paper from the tree into a LaTeX editor as a citation', async () => {
    const api = await citelens();
    const roots = await api.topics.getChildren();
    const paperNode = (await api.topics.getChildren(roots[0]))[0];
    const data = new vscode.DataTransfer();
    await api.dragAndDrop.handleDrag([paperNode], data);
    const key = paperNode.kind === 'paper' ? paperNode.paper.key : '';
    assert.equal(await data.get('text/plain')!.asString(), key);
    const editor = await open(await write(vscode.Uri.joinPath(dir, 'drop.tex'), 'Drop here: \n'));
    const drop = await api.dropProvider.provideDocumentDropEdits(editor.document, new vscode.Position(0, 11), data);
    assert.ok(drop?.additionalEdit);
    assert.ok(await vscode.workspace.applyEdit(drop.additionalEdit!));
    assert.equal(editor.document.getText(), `Drop here: \\cite{${key}}\n`);
  });
});
