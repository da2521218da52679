/**
 * The persisted library cache, through the real language server: a large library is parsed and
 * indexed in a worker the first time, loaded from the cache (no parse) when read again unchanged,
 * and parsed again once the file changes. (How the cache folder is kept to its size: unit tier.)
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { TestRequests } from '../../src/protocol/requests';
import { citelens, paper, scratch, searchKeys, status, until, write } from './util';

const WORDS = ['sparse', 'attention', 'retrieval', 'scaling', 'distillation', 'alignment', 'quantization', 'routing', 'memory', 'curriculum'];
/** The (decoded) title of entry `i`. */
const titleOf = (i: number): string => `A Übersicht of ${WORDS[i % 10]} ${WORDS[(i * 7) % 10]} study number ${i}`;

/** A library over the worker threshold (256 KB): `n` entries with distinct titles. */
function bigLibrary(n: number, extra = '', prefix = 'cache'): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = `${WORDS[i % 10]} ${WORDS[(i * 7) % 10]} study number ${i}`;
    out.push(`@article{${prefix}${i},\n  title = {A {\\"U}bersicht of ${t}},\n  author = {M{\\"u}ller, Anna and Doe, John},\n  journal = {Journal of Caching},\n  year = {${2000 + (i % 25)}}\n}\n`);
  }
  return out.join('\n') + extra;
}

describe('library cache', function () {
  this.timeout(60_000);
  let dir: vscode.Uri;
  before(async () => {
    await citelens();
    dir = await scratch('cache');
  });
  after(async () => {
    await vscode.workspace.getConfiguration('citelens').update('libraries', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.delete(dir, { recursive: true });
  });

  it('parses a large library once, then loads it from the cache until the file changes', async () => {
    const api = await citelens();
    const file = await write(vscode.Uri.joinPath(dir, 'big.bib'), bigLibrary(2500));
    const id = file.toString();
    assert.ok((await vscode.workspace.fs.stat(file)).size > 256 * 1024, 'over the worker threshold');
    await vscode.workspace.getConfiguration('citelens').update('libraries', [vscode.workspace.asRelativePath(file, false)], vscode.ConfigurationTarget.Workspace);
    const loadOf = async () => (await status(api)).sources.find((s) => s.source === id);
    const reread = () => api.server.test(TestRequests.readFile, { uri: id });
    const first = await until(async () => ((await paper(api, 'cache2499')) ? loadOf() : undefined), 'the large library loaded');
    assert.equal(first.entries, 2500);
    assert.equal(first.load?.from, 'parse');
    assert.equal((await searchKeys(api, titleOf(42).toLowerCase().replace('ü', 'u'), 3))[0], 'cache42');
    // (the file watcher may start a second read of the new file: wait for whichever read is last)
    const indexed = await until(async () => {
      const l = await loadOf();
      return l?.load?.indexedMs !== undefined ? l.load : undefined;
    }, 'the index built by the worker installed');
    assert.ok(indexed.indexedMs! >= indexed.ms);
    // the cache is written after the first load (asynchronously): read again until it is used
    const second = await until(async () => {
      await reread();
      const l = await loadOf();
      return l?.load?.from === 'cache' ? l : undefined;
    }, 'a load from the cache');
    assert.equal(second.entries, 2500);
    assert.equal((await paper(api, 'cache1234'))?.paper.title, titleOf(1234), 'decoded text comes back from the cache');
    assert.equal((await paper(api, 'cache7'))?.paper.authors[0], 'Anna Müller');
    assert.equal((await searchKeys(api, titleOf(1233).toLowerCase().replace('ü', 'u'), 5))[0], 'cache1233', 'the cached index answers searches');
    // a change on disk (size and time) makes the cache a miss: the new entry appears
    await write(file, bigLibrary(2500, '\n@misc{cacheNew, title = {Freshly Added Entry}, year = 2026}\n'));
    await until(async () => {
      await reread();
      return paper(api, 'cacheNew');
    }, 'the changed file re-parsed');
    assert.equal((await loadOf())?.entries, 2501);
    assert.equal((await searchKeys(api, 'freshly added', 3))[0], 'cacheNew');
  });
});
