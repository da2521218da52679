/**
 * The fixture projects on disk (test/fixtures/projects): a multi-file LaTeX thesis with the
 * bibliography in an \input preamble and a `% !TEX root` chapter, a Quarto book, a bookdown book,
 * a Pandoc defaults file. The project model finds each chapter's bibliographies, and `citelens check`
 * on a chapter reports nothing, as it reports a key only the built-in corpus has.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProject } from '../../src/core/project/project';
import { diskHost } from '../../src/cli/cliProject';
import { repoRoot } from './helpers';

const FIXTURES = join(repoRoot, 'test/fixtures/projects');
const CLI = join(repoRoot, 'dist/cli.js');

async function projectOf(rel: string) {
  const path = join(FIXTURES, rel);
  const p = await findProject(diskHost, path, { folders: [join(FIXTURES, rel.split('/')[0])] });
  return { ...p, bibs: p.bibliographies.map((b) => b.path.slice(FIXTURES.length + 1)), docs: p.documents.map((d) => d.slice(FIXTURES.length + 1)).sort() };
}

function check(cwd: string, ...files: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'check', ...files], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('fixture projects', function () {
  // runs dist/cli.js: a process start each, slow on a busy machine
  this.timeout(60_000);
  it('a LaTeX thesis: both chapters find references.bib through the root\'s \\input preamble', async () => {
    for (const ch of ['latex-thesis/chapters/introduction.tex', 'latex-thesis/chapters/background.tex']) {
      const p = await projectOf(ch);
      assert.equal(p.root, join(FIXTURES, 'latex-thesis/thesis.tex'), ch);
      assert.deepEqual(p.bibs, ['latex-thesis/references.bib'], ch);
      assert.deepEqual(p.problems, [], ch);
    }
  });

  it('a Quarto book: _quarto.yml and its profile name the chapters\' bibliographies', async () => {
    const p = await projectOf('quarto-book/chapters/intro.qmd');
    assert.deepEqual(p.bibs, ['quarto-book/references.bib', 'quarto-book/print.bib']);
    assert.deepEqual(p.docs, ['quarto-book/chapters/intro.qmd', 'quarto-book/index.qmd']);
  });

  it('a bookdown book: index.Rmd names the bibliography of every chapter', async () => {
    const p = await projectOf('bookdown-book/01-intro.Rmd');
    assert.deepEqual(p.bibs, ['bookdown-book/book.bib']);
    assert.deepEqual(p.problems, []);
  });

  it('a Pandoc defaults file and the metadata file it names', async () => {
    const p = await projectOf('pandoc-defaults/paper.md');
    assert.deepEqual(p.bibs, ['pandoc-defaults/refs/main.bib', 'pandoc-defaults/shared.bib']);
  });

  it('citelens check finds each chapter\'s project with no --bib: no false unknown keys', () => {
    for (const [dir, files] of [['latex-thesis', ['chapters/introduction.tex', 'chapters/background.tex', 'thesis.tex']], ['quarto-book', ['index.qmd', 'chapters/intro.qmd']], ['bookdown-book', ['01-intro.Rmd']], ['pandoc-defaults', ['paper.md']]] as const) {
      const r = check(join(FIXTURES, dir), ...files);
      assert.equal(r.out, '', dir);
      assert.equal(r.err, '', dir);
      assert.equal(r.code, 0, dir);
    }
  });

  it('citelens check reports a key only the built-in corpus has, as the editor does, and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'citelens-project-'));
    try {
      cpSync(join(FIXTURES, 'latex-thesis'), dir, { recursive: true });
      const chapter = join(dir, 'chapters/background.tex');
      writeFileSync(chapter, readFileSync(chapter, 'utf8') + 'Repeating data \\cite{xueRepeatNotRepeat2023} and \\cite{noSuchKey}.\n');
      const r = check(dir, 'chapters/background.tex');
      assert.equal(r.code, 1);
      assert.deepEqual(r.out.trim().split('\n'), [
        "chapters/background.tex:3:22: 'xueRepeatNotRepeat2023' is in the built-in corpus but not in references.bib.",
        "chapters/background.tex:3:56: unknown citation key 'noSuchKey'",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('citelens check says once which file is broken: a malformed _quarto.yml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'citelens-project-'));
    try {
      cpSync(join(FIXTURES, 'quarto-book'), dir, { recursive: true });
      writeFileSync(join(dir, '_quarto.yml'), 'project:\n  type: book\nbibliography: [references.bib\n');
      const r = check(dir, 'index.qmd', 'chapters/intro.qmd');
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      assert.match(r.err, /^_quarto\.yml:\d+: _quarto\.yml is not valid YAML/);
      // the profile still names print.bib: the key it has is found
      assert.doesNotMatch(r.out, /kaplanScalingLawsNeural2020/);
      assert.match(r.out, /unknown citation key 'vaswaniAttentionAllYou2017'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
