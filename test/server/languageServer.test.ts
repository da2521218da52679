/**
 * The language server driven over stdio as an editor would drive it: initialize, open documents,
 * hover, completion, definition, references, rename, diagnostics, code actions and commands, the
 * Citelens requests, bad input, shutdown. No editor is involved: this is what Neovim, Emacs, Helix
 * and Zed users get.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from './lspClient';

const MEGATRON = 'shoeybiMegatronLMTraining2019';
const MEGATRON_TITLE = 'Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism';

interface Hover {
  contents: { kind: string; value: string };
  range?: { start: { line: number; character: number } };
}

describe('the language server over stdio', function () {
  this.timeout(60_000);
  let dir: string;
  let client: LspClient;
  const uriOf = (name: string) => 'file://' + join(dir, name);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'citelens-lsp-'));
    writeFileSync(join(dir, 'refs.bib'), '% refs\n@article{smith2020,\n  title = {A Study of Tidepools},\n  author = {Smith, Jane},\n  year = 2020\n}\n');
    client = new LspClient();
    const init = (await client.initialize(dir)) as { capabilities: Record<string, unknown>; serverInfo: { name: string } };
    assert.equal(init.serverInfo.name, 'citelens-language-server');
    for (const c of ['hoverProvider', 'completionProvider', 'definitionProvider', 'referencesProvider', 'renameProvider', 'codeActionProvider']) assert.ok(init.capabilities[c], c);
  });
  after(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hovers a paper title in prose and a citation key', async () => {
    const uri = uriOf('main.tex');
    const text = `As in ${MEGATRON_TITLE}, we \\cite{smith2020}.\n\\bibliography{refs}\n`;
    client.open(uri, 'latex', text);
    const onTitle = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 12 } });
    assert.ok(onTitle, 'a hover on the title');
    assert.match(onTitle.contents.value, /Megatron\\-LM/);
    assert.match(onTitle.contents.value, /Shoeybi/);
    assert.ok(!onTitle.contents.value.includes('command:'), 'no command links for an editor that did not ask for them');
    const key = text.indexOf('smith2020') + 2;
    const onKey = await client.until(() => client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: key } }).then((h) => (h && /Tidepools/.test(h.contents.value) ? h : undefined)), 'refs.bib read');
    assert.match(onKey.contents.value, /Smith/);
  });

  it('completes keys inside \\cite{ by title words, and adds the entry through a command', async () => {
    const uri = uriOf('complete.tex');
    const text = 'See \\cite{megatron}.\n\\bibliography{refs}\n';
    client.open(uri, 'latex', text);
    const at = text.indexOf('megatron') + 'megatron'.length;
    const list = await client.request<{ isIncomplete: boolean; items: { label: string; command?: { command: string; arguments: unknown[] } }[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: at } });
    assert.equal(list.items[0].label, MEGATRON);
    const cmd = list.items[0].command!;
    assert.equal(cmd.command, 'citelens.server.addEntries');
    await client.request('workspace/executeCommand', { command: cmd.command, arguments: cmd.arguments });
    const edit = await client.until(() => client.appliedEdits.at(-1) as { documentChanges?: { textDocument?: { uri: string }; edits?: { newText: string }[] }[] } | undefined, 'the edit applied through workspace/applyEdit');
    const bibEdit = edit.documentChanges!.find((c) => c.textDocument?.uri === uriOf('refs.bib'));
    assert.ok(bibEdit, JSON.stringify(edit));
    assert.match(bibEdit.edits![0].newText, new RegExp(`@\\w+\\{${MEGATRON},`));
  });

  it('completes after [@ in Markdown, not in an e-mail address', async () => {
    const uri = uriOf('notes.md');
    const text = 'Cite [@megat] here. Mail me@megat.org\n';
    client.open(uri, 'markdown', text);
    const inCite = await client.request<{ items: { label: string }[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: text.indexOf('megat]') + 5 } });
    assert.ok(inCite.items.some((i) => i.label === MEGATRON));
    const inMail = await client.request<{ items: { label: string }[] } | null>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: text.indexOf('megat.org') + 5 } });
    assert.ok(!inMail?.items.some((i) => i.label === MEGATRON));
  });

  it('goes to the key in its .bib and finds references across documents', async () => {
    const uri = uriOf('nav.tex');
    const text = 'One \\cite{smith2020}. Two \\citep{x,smith2020}.\n\\bibliography{refs}\n';
    writeFileSync(join(dir, 'nav.tex'), text);
    writeFileSync(join(dir, 'nav.md'), 'And [@smith2020].\n');
    client.open(uri, 'latex', text);
    const pos = { line: 0, character: text.indexOf('smith2020') + 2 };
    const def = await client.until(() => client.request<{ uri: string; range: { start: { line: number; character: number } } } | null>('textDocument/definition', { textDocument: { uri }, position: pos }), 'a definition');
    assert.equal(def.uri, uriOf('refs.bib'));
    assert.deepEqual(def.range.start, { line: 1, character: 9 });
    const refs = await client.request<{ uri: string }[]>('textDocument/references', { textDocument: { uri }, position: pos, context: { includeDeclaration: false } });
    assert.equal(refs.filter((r) => r.uri === uri).length, 2);
    assert.equal(refs.filter((r) => r.uri === uriOf('nav.md')).length, 1);
  });

  it('renames a key in documents and in the .bib wherever the entry now is', async () => {
    const uri = uriOf('nav.tex');
    const pos = { line: 0, character: 12 };
    const prepared = await client.request<{ placeholder: string }>('textDocument/prepareRename', { textDocument: { uri }, position: pos });
    assert.equal(prepared.placeholder, 'smith2020');
    const edit = await client.request<{ changes: Record<string, { newText: string; range: { start: { line: number } } }[]> }>('textDocument/rename', { textDocument: { uri }, position: pos, newName: 'smithTidepools2020' });
    assert.equal(edit.changes[uriOf('refs.bib')][0].range.start.line, 1);
    assert.equal(edit.changes[uri].length, 2);
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri }, position: pos, newName: 'has space' }), /not a valid citation key/);
  });

  it('publishes diagnostics: unknown keys, and papers mentioned but not cited, with quick fixes', async () => {
    const uri = uriOf('diag.tex');
    const text = `We use ${MEGATRON_TITLE} here \\cite{shoeybiMegatronLMTraining2O19,nosuchkey}.\n`;
    client.open(uri, 'latex', text);
    const published = await client.until(() => {
      const d = client.diagnostics.get(uri);
      return d && d.diagnostics.length >= 3 ? d : undefined;
    }, 'diagnostics');
    const messages = published.diagnostics.map((d) => d.message);
    assert.ok(messages.some((m) => m.includes("'nosuchkey'")), messages.join(' | '));
    assert.ok(messages.some((m) => m.includes('is mentioned but not cited')), messages.join(' | '));
    const typo = published.diagnostics.find((d) => d.message.includes('2O19'))!;
    const actions = await client.request<{ title: string }[]>('textDocument/codeAction', { textDocument: { uri }, range: typo.range, context: { diagnostics: [typo] } });
    assert.ok(actions.some((a) => a.title === `Replace with ${MEGATRON}`), actions.map((a) => a.title).join(', '));
  });

  it('gives a shared title to the cited entry, lists the other, and gives no hint where the sentence cites', async () => {
    const title = 'Tidal Pools of the Northern Shore';
    writeFileSync(join(dir, 'dups.bib'), `@misc{tideArxiv,\n  title = {${title}},\n  journal = {arXiv preprint},\n  year = 2021\n}\n` +
      `@inproceedings{tideConf,\n  title = {${title}},\n  booktitle = {ICML},\n  year = 2022\n}\n`);
    const uri = uriOf('dups.tex');
    const text = `As ${title} shows \\cite{smith2020,nosuchkey2}.\n\n${title} again.\n\nLater \\cite{tideArxiv}.\n\\bibliography{dups,refs}\n`;
    client.open(uri, 'latex', text);
    const hover = await client.until(() => client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 6 } })
      .then((h) => (h && /Also in the library/.test(h.contents.value) ? h : undefined)), 'dups.bib read');
    assert.match(hover.contents.value, /tideArxiv/);
    assert.match(hover.contents.value, /Also in the library under this title: `tideConf`/);
    // the cited entry answers, so no hint; nor in the first sentence, which cites
    const published = await client.until(() => {
      const d = client.diagnostics.get(uri);
      return d && d.diagnostics.some((x) => x.message.includes('nosuchkey2')) ? d : undefined;
    }, 'diagnostics');
    assert.ok(!published.diagnostics.some((d) => d.message.includes('mentioned but not cited')), published.diagnostics.map((d) => d.message).join(' | '));
  });

  it('does not call a shared title "not cited" when another chapter cites the other entry', async () => {
    mkdirSync(join(dir, 'book2'), { recursive: true });
    writeFileSync(join(dir, 'book2', 'main.tex'), '\\documentclass{book}\n\\begin{document}\n\\input{one}\n\\input{two}\n\\bibliography{../dups}\n\\end{document}\n');
    writeFileSync(join(dir, 'book2', 'two.tex'), 'Proved in \\cite{tideArxiv}.\n');
    const text = 'Tidal Pools of the Northern Shore matter.\n\nUnknown \\cite{nosuchkey3}.\n';
    writeFileSync(join(dir, 'book2', 'one.tex'), text);
    const uri = uriOf('book2/one.tex');
    client.open(uri, 'latex', text);
    const published = await client.until(() => {
      const d = client.diagnostics.get(uri);
      return d && d.diagnostics.some((x) => x.message.includes('nosuchkey3')) ? d : undefined;
    }, 'diagnostics');
    assert.ok(!published.diagnostics.some((d) => d.message.includes('mentioned but not cited')), published.diagnostics.map((d) => d.message).join(' | '));
    // the hover names the entry the other chapter cites, not the published one this chapter would pick alone
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 3 } });
    assert.match(hover?.contents.value ?? '', /Also in the library under this title: `tideConf`/);
  });

  it('answers the Citelens requests: search, status, related papers', async () => {
    const search = await client.request<{ hits: { paper: { key: string } }[] }>('citelens/search', { query: 'megatron' });
    assert.equal(search.hits[0].paper.key, MEGATRON);
    const status = await client.request<{ papers: number; sources: { label: string; entries: number }[] }>('citelens/libraryStatus', {});
    assert.ok(status.papers >= 73);
    assert.equal(status.sources.find((s) => s.label.endsWith('refs.bib'))?.entries, 1);
    const related = await client.request<{ suggestions: { key: string }[] }>('citelens/related', { text: 'tensor parallel training of multi-billion parameter language models across GPUs' });
    assert.ok(related.suggestions.some((s) => s.key === MEGATRON));
  });

  it('marks the papers a document cites in its related papers, and hides them when citelens.related.hideCited is set', async () => {
    const uri = uriOf('related-cited.tex');
    const text = `\\title{Training large language models}\nWe train multi-billion parameter language models with tensor model parallelism across GPUs \\cite{${MEGATRON}}.\n`;
    client.open(uri, 'latex', text);
    const ask = () => client.request<{ suggestions: { key: string; cited: boolean }[] }>('citelens/related', { uri, position: { line: 1, character: 5 } });
    const shown = await client.until(() => ask().then((r) => (r.suggestions.length ? r : undefined)), 'related papers');
    assert.equal(shown.suggestions.find((s) => s.key === MEGATRON)?.cited, true, JSON.stringify(shown.suggestions));
    client.settings = { related: { hideCited: true } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { citelens: client.settings } });
    const hidden = await client.until(() => ask().then((r) => (r.suggestions.some((s) => s.key === MEGATRON) ? undefined : r)), 'cited paper hidden');
    assert.ok(hidden.suggestions.every((s) => !s.cited));
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { citelens: client.settings } });
  });

  it('answers bad input with an error or an empty answer, and keeps serving', async () => {
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri: uriOf('never-opened.tex') }, position: { line: 0, character: 0 } }), null);
    const uri = uriOf('main.tex');
    assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 999, character: 999 } }), null);
    await assert.rejects(client.request('citelens/noSuchRequest', {}));
    assert.equal(await client.request('citelens/paper', { key: 42 }), null);
    assert.ok(await client.request('citelens/search', { query: null }));
    // a malformed settings object: every setting falls back to its default
    client.settings = { libraries: 'not-a-list', citation: 7, topics: [{ name: 3 }] } as unknown as Record<string, unknown>;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { citelens: client.settings } });
    const search = await client.request<{ hits: { paper: { key: string } }[] }>('citelens/search', { query: 'megatron' });
    assert.equal(search.hits[0].paper.key, MEGATRON, 'still serving');
    client.settings = {};
  });
});

describe('the language server on a folder of library files', function () {
  this.timeout(120_000);
  let dir: string;
  let client: LspClient;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'citelens-many-'));
    for (let f = 0; f < 120; f++) {
      const sub = join(dir, 'lib', `venue${f % 7}`);
      mkdirSync(sub, { recursive: true });
      const entries = Array.from({ length: 40 }, (_, i) => `@inproceedings{v${f}p${i}, title = {Glacier ${f} Moraine Study ${i}}, author = {Ng, Ann}, booktitle = {Proc. ${f}}, year = ${2000 + (i % 20)}}\n`);
      writeFileSync(join(sub, `part${f}.bib`), entries.join('\n'));
    }
    writeFileSync(join(dir, 'lib', 'README.txt.orig'), 'not a library');
  });
  after(async () => {
    await client?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every file an absolute glob names, and keeps answering hovers while it does', async () => {
    client = new LspClient();
    client.settings = { libraries: [join(dir, 'lib', '**', '*.bib'), join(dir, 'nothing', '*.bib')] };
    await client.initialize(dir);
    const uri = 'file://' + join(dir, 'w.tex');
    client.open(uri, 'latex', `As ${MEGATRON_TITLE} shows.\n`);
    // the built-in corpus answers from the start, whatever is still loading
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 6 } });
    assert.match(hover?.contents.value ?? '', /Megatron/);
    const status = await client.until(async () => {
      const s = await client.request<{ papers: number; loading: number; messages: string[] }>('citelens/libraryStatus', {});
      return s.papers >= 72 + 120 * 40 && s.loading === 0 ? s : undefined;
    }, 'all 120 files read');
    assert.equal(status.papers, 72 + 120 * 40);
    assert.ok(status.messages.some((m) => m.includes('matches no library file')), status.messages.join(' | '));
    const search = await client.request<{ hits: { paper: { key: string } }[] }>('citelens/search', { query: 'glacier 77 moraine study 5' });
    assert.equal(search.hits[0].paper.key, 'v77p5');
  });
});

describe('the language server after a built-in paper is cited', function () {
  this.timeout(60_000);
  let dir: string;
  let client: LspClient;
  after(async () => {
    await client?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps its abstract in hover and card, and keeps it in its topic', async () => {
    dir = mkdtempSync(join(tmpdir(), 'citelens-cited-'));
    client = new LspClient();
    await client.initialize(dir);
    type Topics = { topics: { id: string; name: string; origin: string; count: number }[] };
    const before = await client.request<Topics>('citelens/topics', {});
    const builtinCounts = (t: Topics) => t.topics.filter((x) => x.origin === 'builtin').map((x) => `${x.name}:${x.count}`);
    const corpus = await client.request<{ paper: { abstract?: string }; topics: string[] } | null>('citelens/paper', { key: MEGATRON });
    assert.ok(corpus?.paper.abstract && corpus.topics.length, 'the corpus paper has an abstract and a topic');
    // the writer cites it: their .bib now has the entry, as most .bib files do, without an abstract
    writeFileSync(join(dir, 'refs.bib'), `@inproceedings{shoeybi2019,\n  title = {${MEGATRON_TITLE}},\n  author = {Shoeybi, Mohammad and others},\n  year = 2019\n}\n`);
    const uri = 'file://' + join(dir, 'main.tex');
    const text = 'We train as in \\cite{shoeybi2019}.\n\\bibliography{refs}\n';
    client.open(uri, 'latex', text);
    const card = await client.until(async () => {
      const r = await client.request<{ paper: { key: string; abstract?: string; source: string }; topics: string[] } | null>('citelens/paper', { key: 'shoeybi2019' });
      return r ? r : undefined;
    }, 'refs.bib read');
    assert.equal(card.paper.abstract, corpus.paper.abstract);
    assert.deepEqual(card.topics, corpus.topics);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: text.indexOf('shoeybi2019') + 3 } });
    const firstWords = corpus.paper.abstract.split(/\s+/).slice(0, 4).join(' ');
    assert.ok(hover?.contents.value.replace(/\\/g, '').includes(firstWords), hover?.contents.value);
    assert.deepEqual(builtinCounts(await client.request<Topics>('citelens/topics', {})), builtinCounts(before), 'built-in topics keep their counts');
  });
});

describe('the language server binary', function () {
  this.timeout(30_000);
  it('prints its version and usage, and exits when the editor does', async () => {
    const { execFileSync } = await import('node:child_process');
    const server = join(__dirname, '../../../dist/server.js');
    assert.match(execFileSync(process.execPath, [server, '--version'], { encoding: 'utf8' }), /^citelens-language-server \d+\.\d+\.\d+/);
    assert.match(execFileSync(process.execPath, [server, '--help'], { encoding: 'utf8' }), /usage: citelens-language-server/);
    const client = new LspClient([]);
    await client.initialize(tmpdir());
    await client.shutdown();
    assert.equal(await client.exited, 0);
  });
});
