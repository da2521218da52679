/**
 * `citelens add`: the editor's bibliography writer, headless, run as a process (dist/cli.js) and
 * judged by exit code, output and the bytes of the file it writes.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBibtex } from '../../src/core/sources/bibtex/reader';
import { decodeText } from '../../src/core/sources/decodeText';
import { repoRoot } from './helpers';

const CLI = join(repoRoot, 'dist/cli.js');
const ZOTERO_ID = 'http://zotero.org/users/1/items/AB CD';
const CSL = JSON.stringify([
  { id: ZOTERO_ID, type: 'article-journal', title: 'Tide Pools and Their Keepers', author: [{ literal: 'Google, Inc.' }, { family: 'Nowak', given: 'Paweł' }], issued: { 'date-parts': [[2021]] } },
  { id: 'doiPaper', type: 'article-journal', title: 'Found by Its Digital Object Identifier', author: [{ family: 'Doe', given: 'Jo' }], DOI: '10.1234/ABC.5', issued: { 'date-parts': [[2019]] } },
]);
// Latin-1, CRLF, no final newline
const LATIN1 = Buffer.from('% Literatur\r\n@book{muller1990,\r\n  author = {Jörg Müller},\r\n  title = {Über Straßen}\r\n}', 'latin1');

describe('citelens add', function () {
  this.timeout(30_000);
  let dir: string;
  const path = (name: string) => join(dir, name);
  const cli = (...args: string[]) => cliIn(dir, ...args);
  const cliIn = (cwd: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const keysIn = (file: string) => parseBibtex(decodeText(readFileSync(file)).text, file).papers.map((p) => p.key);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'citelens-add-'));
    writeFileSync(path('zotero.json'), CSL);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('appends by CSL-JSON id, DOI and built-in arXiv id to a Latin-1 .bib, every earlier byte unchanged; again adds nothing', () => {
    writeFileSync(path('latin.bib'), LATIN1);
    const r = cli('add', ZOTERO_ID, 'https://doi.org/10.1234/abc.5', 'arXiv:1909.08053v2', '--to', 'latin.bib', '--bib', 'zotero.json');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^added\tgoogleTidePoolsTheir2021\tTide Pools and Their Keepers\t\(http:\/\/zotero\.org\/users\/1\/items\/AB CD\)$/m);
    assert.match(r.stdout, /^added\tdoiPaper\t/m);
    assert.match(r.stdout, /^added\tshoeybiMegatronLMTraining2019\t/m);
    assert.match(r.stdout, /^3 added to latin\.bib$/m);
    const after = readFileSync(path('latin.bib'));
    assert.ok(after.subarray(0, LATIN1.length).equals(LATIN1), 'the bytes before the append are unchanged');
    const text = decodeText(after);
    assert.equal(text.encoding, 'latin1', 'still Latin-1: no UTF-8 written');
    assert.ok(!/\n(?<!\r\n)/.test(after.subarray(LATIN1.length).toString('latin1').replace(/\r\n/g, '')), 'CRLF only');
    const read = parseBibtex(text.text, 'latin.bib');
    assert.deepEqual(read.diagnostics, []);
    assert.deepEqual(read.papers.map((p) => p.key), ['muller1990', 'googleTidePoolsTheir2021', 'doiPaper', 'shoeybiMegatronLMTraining2019']);
    assert.deepEqual(read.papers[1].authors, ['Google, Inc.', 'Paweł Nowak']);
    assert.equal(read.papers[0].title, 'Über Straßen');

    const again = cli('add', ZOTERO_ID, 'doiPaper', '--to', 'latin.bib', '--bib', 'zotero.json', '--json');
    assert.equal(again.status, 0, again.stderr);
    const out = JSON.parse(again.stdout) as { added: unknown[]; present: { key: string; id: string }[] };
    assert.deepEqual(out.added, []);
    assert.deepEqual(out.present.map((p) => [p.key, p.id]), [['googleTidePoolsTheir2021', ZOTERO_ID], ['doiPaper', 'doiPaper']]);
    assert.ok(readFileSync(path('latin.bib')).equals(after), 'nothing written');
  });

  it('an unknown key: exit 1, named on stderr, nothing written', () => {
    writeFileSync(path('u.bib'), '@misc{a, title = {A}}\n');
    const r = cli('add', 'doiPaper', 'noSuchPaper', '--to', 'u.bib', '--bib', 'zotero.json');
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no paper in the library has the key, DOI or arXiv id 'noSuchPaper'/);
    assert.equal(readFileSync(path('u.bib'), 'utf8'), '@misc{a, title = {A}}\n');
  });

  it('a target it cannot use: exit 2 naming the path', () => {
    mkdirSync(path('folder.bib'));
    writeFileSync(path('bin.bib'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    for (const [to, why] of [['folder.bib', /folder\.bib is a directory/], ['bin.bib', /bin\.bib is a binary file/], ['no/such/dir/x.bib', /x\.bib cannot be created: its folder does not exist/]] as const) {
      const r = cli('add', 'doiPaper', '--to', to, '--bib', 'zotero.json');
      assert.equal(r.status, 2, to);
      assert.match(r.stderr, why);
    }
    const both = cli('add', 'doiPaper', '--to', 'a.bib', '--for', 'b.tex');
    assert.equal(both.status, 2);
    assert.match(both.stderr, /--to or --for, not both/);
    assert.equal(cli('add').status, 2);
    assert.match(cli('search', 'x', '--to', 'a.bib').stderr, /unknown option --to/);
  });

  it('--for FILE: the bibliography the document names (LaTeX, Markdown YAML), else references.bib in its workspace', () => {
    mkdirSync(path('paper'));
    writeFileSync(path('paper/main.tex'), '\\documentclass{article}\n\\begin{document}\n\\cite{x}\n\\bibliography{mine}\n\\end{document}\n');
    let r = cli('add', 'doiPaper', '--for', 'paper/main.tex', '--bib', 'zotero.json');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(keysIn(path('paper/mine.bib')), ['doiPaper']);
    mkdirSync(path('notes'));
    writeFileSync(path('notes/post.md'), '---\ntitle: Post\nbibliography: refs/cited.bib\n---\nText [@x].\n');
    mkdirSync(path('notes/refs'));
    r = cli('add', 'doiPaper', '--for', 'notes/post.md', '--bib', 'zotero.json');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(keysIn(path('notes/refs/cited.bib')), ['doiPaper']);
    mkdirSync(path('plain'));
    writeFileSync(path('plain/doc.md'), 'No bibliography here.\n');
    // the workspace: the repository holding the document, else the current folder holding it, else its folder
    const elsewhere = mkdtempSync(join(tmpdir(), 'citelens-add-cwd-'));
    r = cliIn(elsewhere, 'add', 'doiPaper', '--for', path('plain/doc.md'), '--bib', path('zotero.json'));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(keysIn(path('plain/references.bib')), ['doiPaper']);
    rmSync(elsewhere, { recursive: true, force: true });
    r = cli('add', 'doiPaper', '--for', 'missing.tex', '--bib', 'zotero.json');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /missing\.tex does not exist/);
  });

  it('without --to or --for: references.bib in the current folder, created as UTF-8', () => {
    const r = cli('add', ZOTERO_ID, '--bib', 'zotero.json', '--no-builtin');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(path('references.bib')));
    const bytes = readFileSync(path('references.bib'));
    assert.equal(decodeText(bytes).encoding, 'utf-8');
    assert.match(bytes.toString('utf8'), /author = \{\{Google, Inc\.\} and Paweł Nowak\}/);
  });

  it('is in the help, one line saying what it does', () => {
    const r = cli('--help');
    const lines = r.stdout.split('\n').filter((l) => l.trim().startsWith('citelens add '));
    assert.equal(lines.length, 1, r.stdout);
    assert.match(lines[0], /KEY\.\.\. \[--to FILE \| --for FILE\].*append the entries/);
  });
});
