/**
 * The persisted library cache, through the real LibraryService: a large library is parsed and
 * indexed in the worker the first time, loaded from the cache (no parse) when read again
 * unchanged, and parsed again once the file changes.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { citelens, scratch, until, write } from './util';

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
    const lib = api.libraries.library;
    await until(() => lib.get('cache2499') && api.libraries.loads.get(id), 'the large library loaded');
    const first = api.libraries.loads.get(id)!;
    assert.equal(first.entries, 2500);
    assert.equal(first.from, 'parse');
    // searchable before the worker's index arrives (by scanning), then indexed
    assert.equal(lib.search(titleOf(42).toLowerCase().replace('ü', 'u'), 3)[0]?.paper.key, 'cache42');
    // (the file watcher may start a second read of the new file: wait for whichever read is last)
    const indexed = await until(() => {
      const l = api.libraries.loads.get(id);
      return lib.segment(id) && l?.indexedMs !== undefined ? l : undefined;
    }, 'the index built by the worker installed');
    assert.ok(indexed.indexedMs! >= indexed.ms);
    // the cache is written after the first load (asynchronously): read again until it is used
    const second = await until(async () => {
      await api.libraries.readFile(file);
      const l = api.libraries.loads.get(id)!;
      return l.from === 'cache' ? l : undefined;
    }, 'a load from the cache');
    assert.equal(second.entries, 2500);
    assert.equal(lib.get('cache1234')?.title, titleOf(1234), 'decoded text comes back from the cache');
    assert.equal(lib.get('cache7')?.authors[0], 'Anna Müller');
    assert.equal(lib.search(`${titleOf(1233).toLowerCase().replace('ü', 'u')}`, 5)[0]?.paper.key, 'cache1233', 'the cached index answers searches');
    // a change on disk (size and time) makes the cache a miss: the new entry appears
    await write(file, bigLibrary(2500, '\n@misc{cacheNew, title = {Freshly Added Entry}, year = 2026}\n'));
    await until(async () => {
      await api.libraries.readFile(file);
      return lib.get('cacheNew');
    }, 'the changed file re-parsed');
    // (a stale cache would not hold the new entry; a later re-read may already use the new cache)
    assert.equal(api.libraries.loads.get(id)?.entries, 2501);
    assert.equal(lib.search('freshly added', 3)[0]?.paper.key, 'cacheNew');
  });

  it('keeps the cache to the six most recently written library files', async () => {
    const api = await citelens();
    const files: vscode.Uri[] = [];
    for (let f = 0; f < 8; f++) files.push(await write(vscode.Uri.joinPath(dir, `lib${f}.bib`), bigLibrary(2300, '', `lib${f}k`)));
    const cfg = vscode.workspace.getConfiguration('citelens');
    for (const file of files) {
      // one library at a time, each loaded until its cache is written
      await cfg.update('libraries', [vscode.workspace.asRelativePath(file, false)], vscode.ConfigurationTarget.Workspace);
      await until(async () => {
        await api.libraries.readFile(file);
        return api.libraries.loads.get(file.toString())?.from === 'cache';
      }, `the cache of ${file.path}`);
    }
    const cacheDir = api.libraries.cacheDir!;
    // (the pruning follows the last write asynchronously)
    const count = async () => (await vscode.workspace.fs.readDirectory(cacheDir)).filter(([n]) => n.endsWith('.bin')).length;
    await until(async () => (await count()) === 6 || undefined, 'older cache files deleted');
    assert.equal(await count(), 6);
    // the newest library still loads from its cache
    await api.libraries.readFile(files[7]);
    assert.equal(api.libraries.loads.get(files[7].toString())?.from, 'cache');
  });
});
