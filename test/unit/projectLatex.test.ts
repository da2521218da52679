/** The project of a LaTeX document: its root, its files and the bibliographies they name. */
import * as assert from 'node:assert/strict';
import { findProject } from '../../src/core/project/project';
import { readLatexSource } from '../../src/core/project/latexSources';
import { MemoryHost } from './projectHostDouble';

const W = '/w';
const opts = { folders: [W] };
const bibs = (p: { bibliographies: { path: string }[] }) => p.bibliographies.map((b) => b.path);

describe('the project of a LaTeX document', () => {
  it('finds the bibliography in an \\input preamble from a chapter the main file includes', async () => {
    const host = new MemoryHost({
      '/w/thesis.tex': '\\documentclass{book}\n\\input{preamble/setup}\n\\begin{document}\n\\include{chapters/intro}\n\\input{chapters/method.tex}\n\\end{document}\n',
      '/w/preamble/setup.tex': '\\usepackage{biblatex}\n\\addbibresource{references.bib}\n',
      '/w/references.bib': '@article{a, title={A}}',
      '/w/chapters/intro.tex': '\\chapter{Intro}\nAs shown \\cite{a}.\n',
      '/w/chapters/method.tex': 'Method \\cite{b}.\n',
    });
    const p = await findProject(host, '/w/chapters/method.tex', opts);
    assert.equal(p.root, '/w/thesis.tex');
    assert.deepEqual(bibs(p), ['/w/references.bib']);
    assert.deepEqual(p.documents.sort(), ['/w/chapters/intro.tex', '/w/chapters/method.tex', '/w/preamble/setup.tex', '/w/thesis.tex']);
    assert.deepEqual(p.problems, []);
  });

  it('follows a % !TEX root comment, and \\bibliography{a,b} names a.bib and b.bib from the root\'s folder', async () => {
    const host = new MemoryHost({
      '/w/main.tex': '\\documentclass{article}\\begin{document}\\input{parts/one}\\bibliography{refs,more}\\end{document}',
      '/w/refs.bib': '', '/w/more.bib': '',
      '/w/parts/one.tex': '% !TEX root = ../main.tex\nText.',
      '/w/other/main.tex': '\\documentclass{article}\\input{../parts/one}\\bibliography{wrong}',
    });
    const p = await findProject(host, '/w/parts/one.tex', opts);
    assert.equal(p.root, '/w/main.tex');
    assert.deepEqual(bibs(p), ['/w/refs.bib', '/w/more.bib']);
  });

  it('reports a % !TEX root that does not exist, naming the file, and still finds the including root', async () => {
    const host = new MemoryHost({
      '/w/main.tex': '\\documentclass{article}\\addbibresource{refs.bib}\\input{ch}',
      '/w/refs.bib': '',
      '/w/ch.tex': '%!TeX root = thesis.tex\nText.',
    });
    const p = await findProject(host, '/w/ch.tex', opts);
    assert.equal(p.root, '/w/main.tex');
    assert.deepEqual(bibs(p), ['/w/refs.bib']);
    assert.equal(p.problems.length, 1);
    assert.match(p.problems[0].message, /ch\.tex names thesis\.tex, which does not exist/);
    assert.equal(p.problems[0].file, '/w/ch.tex');
    assert.equal(p.problems[0].line, 1);
  });

  it('reports an \\input cycle once, naming the files, and keeps the rest of the project', async () => {
    const host = new MemoryHost({
      '/w/main.tex': '\\documentclass{article}\\input{a}\\bibliography{refs}',
      '/w/a.tex': '\\input{b}', '/w/b.tex': 'x\n\\input{a}', '/w/refs.bib': '',
    });
    const p = await findProject(host, '/w/b.tex', opts);
    assert.equal(p.root, '/w/main.tex');
    assert.deepEqual(bibs(p), ['/w/refs.bib']);
    assert.equal(p.problems.length, 1);
    assert.match(p.problems[0].message, /\\input cycle: a\.tex → b\.tex → a\.tex/);
    assert.equal(p.problems[0].file, '/w/b.tex');
    assert.equal(p.problems[0].line, 2);
  });

  it('a file that includes itself, and files that include each other with no root, end', async () => {
    const host = new MemoryHost({ '/w/a.tex': '\\input{b}\\input{a}', '/w/b.tex': '\\input{a}\\bibliography{r}', '/w/r.bib': '' });
    const p = await findProject(host, '/w/a.tex', opts);
    assert.deepEqual(bibs(p), ['/w/r.bib']);
    assert.ok(p.problems.some((x) => /cycle/.test(x.message)));
  });

  it('reports a missing included file and a missing or folder bibliography, naming the file that names them', async () => {
    const host = new MemoryHost({
      '/w/main.tex': '\\documentclass{article}\n\\input{gone}\n\\addbibresource{refs.bib}\n\\addbibresource{dir.bib}\n',
    }, ['/w/dir.bib']);
    const p = await findProject(host, '/w/main.tex', opts);
    const messages = p.problems.map((x) => `${x.line}: ${x.message}`);
    assert.deepEqual(messages, [
      '3: main.tex names the bibliography refs.bib, but refs.bib does not exist.',
      '4: main.tex names the bibliography dir.bib, but dir.bib is a folder, not a file.',
      '2: main.tex includes gone, which does not exist.',
    ]);
    // a missing bibliography is still the project's: Search and Cite creates it there
    assert.deepEqual(p.bibliographies.map((b) => [b.path, b.exists]), [['/w/refs.bib', false]]);
  });

  it('handles a tree deeper than TeX allows without running away', async () => {
    const files: Record<string, string> = { '/w/main.tex': '\\documentclass{article}\\input{f0}\\bibliography{r}', '/w/r.bib': '' };
    for (let i = 0; i < 200; i++) files[`/w/f${i}.tex`] = `\\input{f${i + 1}}`;
    const host = new MemoryHost(files);
    const p = await findProject(host, '/w/main.tex', opts);
    assert.deepEqual(bibs(p), ['/w/r.bib']);
    assert.ok(p.documents.length <= 50);
    assert.equal(p.problems.filter((x) => /levels deep/.test(x.message)).length, 1);
  });

  it('\\subimport and \\import read from their folders; \\subfile documents name their main file', async () => {
    const host = new MemoryHost({
      '/w/main.tex': '\\documentclass{book}\\import{parts/}{p1}\\subimport{parts/}{p2}\\subfile{sub/s}\\addbibresource{refs.bib}',
      '/w/parts/p1.tex': '\\input{deeper}', '/w/parts/deeper.tex': 'deep', '/w/parts/p2.tex': 'two',
      '/w/sub/s.tex': '\\documentclass[../main.tex]{subfiles}\n\\begin{document}x\\end{document}',
      '/w/refs.bib': '',
    });
    const p = await findProject(host, '/w/sub/s.tex', opts);
    assert.equal(p.root, '/w/main.tex');
    assert.deepEqual(p.documents.sort(), ['/w/main.tex', '/w/parts/deeper.tex', '/w/parts/p1.tex', '/w/parts/p2.tex', '/w/sub/s.tex']);
    assert.deepEqual(p.problems, []);
  });

  it('a document with \\documentclass is its own root, and with nothing including it the document is', async () => {
    const host = new MemoryHost({ '/w/a.tex': '\\documentclass{article}\\bibliography{x}', '/w/x.bib': '', '/w/lone.tex': 'text \\cite{k}' });
    assert.equal((await findProject(host, '/w/a.tex', opts)).root, '/w/a.tex');
    const lone = await findProject(host, '/w/lone.tex', opts);
    assert.equal(lone.root, '/w/lone.tex');
    assert.deepEqual(lone.bibliographies, []);
    assert.deepEqual(lone.problems, []);
  });

  it('a root hint that still includes the document is kept without scanning the workspace', async () => {
    const host = new MemoryHost({ '/w/main.tex': '\\documentclass{book}\\input{ch}', '/w/ch.tex': 'x', '/w/unrelated.tex': 'y' });
    const p = await findProject(host, '/w/ch.tex', { folders: [W], rootHint: '/w/main.tex' });
    assert.equal(p.root, '/w/main.tex');
    assert.equal(host.reads.get('/w/unrelated.tex'), undefined);
  });

  it('a document that was its own root is again without a scan, until the hint is dropped', async () => {
    const host = new MemoryHost({ '/w/notes.tex': 'x \\cite{a}', '/w/other.tex': '\\documentclass{article}\\input{notes}' });
    const hinted = await findProject(host, '/w/notes.tex', { folders: [W], rootHint: '/w/notes.tex' });
    assert.equal(hinted.root, '/w/notes.tex');
    assert.equal(host.reads.get('/w/other.tex'), undefined);
    assert.equal((await findProject(host, '/w/notes.tex', opts)).root, '/w/other.tex');
  });

  it('reads includes and bibliographies outside comments and macro definitions only', () => {
    const s = readLatexSource('% \\input{commented}\n\\newcommand{\\chap}[1]{\\input{chapters/#1}}\n\\input chapter1\n\\includegraphics{fig}\n\\bibliography{\\jobname}\n50\\% \\input{real}\n\\bibliographystyle{plain}\n');
    assert.deepEqual(s.includes.map((i) => i.file), ['chapter1', 'real']);
    assert.deepEqual(s.bibliographies.map((b) => b.file), ['\\jobname']);
  });

  it('expands macros in paths: \\jobname is the root\'s name, \\def\\PATH{.} is its value', async () => {
    const host = new MemoryHost({
      '/w/thesis.tex': '\\documentclass{book}\n\\def \\PATH {.}   % basepath\n\\newcommand{\\bibdir}{refs}\n\\import{\\PATH/ch1/}{ch1}\n\\bibliography{\\jobname,\\bibdir/more}\n',
      '/w/ch1/ch1.tex': 'One \\cite{a}.', '/w/thesis.bib': '', '/w/refs/more.bib': '',
    });
    const p = await findProject(host, '/w/ch1/ch1.tex', opts);
    assert.equal(p.root, '/w/thesis.tex');
    assert.deepEqual(bibs(p), ['/w/thesis.bib', '/w/refs/more.bib']);
    assert.deepEqual(p.problems, []);
  });

  it('a chapter written in Markdown that the build turns into the .tex the root includes is the root\'s', async () => {
    const host = new MemoryHost({
      '/w/thesis.tex': '\\documentclass{book}\\addbibresource{bib/refs.bib}\\input{01_Intro/introduction}',
      '/w/01_Intro/introduction.md': 'As shown [@a].', '/w/bib/refs.bib': '',
    });
    const root = await findProject(host, '/w/thesis.tex', opts);
    assert.deepEqual(root.problems, [], 'the .tex is made by the build: not missing');
    assert.ok(root.documents.includes('/w/01_Intro/introduction.md'));
    const chapter = await findProject(host, '/w/01_Intro/introduction.md', opts);
    assert.equal(chapter.root, '/w/thesis.tex');
    assert.deepEqual(bibs(chapter), ['/w/bib/refs.bib']);
  });
});
