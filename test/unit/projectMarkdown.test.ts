/** The project of a Pandoc, Quarto or R Markdown document: the bibliographies its metadata names. */
import * as assert from 'node:assert/strict';
import { findProject } from '../../src/core/project/project';
import { metadataBibliographies, readYaml } from '../../src/core/project/yamlMetadata';
import { MemoryHost } from './projectHostDouble';

const opts = { folders: ['/w'] };
const bibs = (p: { bibliographies: { path: string }[] }) => p.bibliographies.map((b) => b.path);

describe('the project of a Markdown document', () => {
  it('reads bibliography: as a string, a flow or block list, quoted, and under a format', () => {
    const names = (yaml: string) => metadataBibliographies(readYaml(yaml).data).names.map((n) => n.file);
    assert.deepEqual(names('bibliography: refs.bib'), ['refs.bib']);
    assert.deepEqual(names('bibliography: ["a.bib", \'b b.bib\']'), ['a.bib', 'b b.bib']);
    assert.deepEqual(names('bibliography:\n  - a.bib\n  - "b.bib"  # comment\n'), ['a.bib', 'b.bib']);
    assert.deepEqual(names('format:\n  html:\n    bibliography: h.bib\n  pdf:\n    bibliography: [p.bib]\n'), ['h.bib', 'p.bib']);
    assert.deepEqual(names('output:\n  bookdown::pdf_book:\n    pandoc_args: ["--bibliography=x.bib"]\n'), ['x.bib']);
    assert.deepEqual(names('metadata:\n  bibliography: m.bib\n'), ['m.bib']);
    assert.deepEqual(names('bibliography: "`r here::here(\'x.bib\')`"'), []);
    assert.deepEqual(metadataBibliographies(readYaml('bibliography: 3').data).trouble.length, 1);
  });

  it('a Quarto book: _quarto.yml and its profiles name the bibliographies of every chapter, from the project folder', async () => {
    const host = new MemoryHost({
      '/w/book/_quarto.yml': 'project:\n  type: book\nbook:\n  chapters:\n    - index.qmd\n    - part: Basics\n      chapters: [chapters/intro.qmd]\nbibliography: references.bib\n',
      '/w/book/_quarto-pdf.yml': 'format:\n  pdf:\n    bibliography: [extra.bib]\n',
      '/w/book/references.bib': '', '/w/book/extra.bib': '',
      '/w/book/index.qmd': '# Preface\n', '/w/book/chapters/intro.qmd': '---\ntitle: Intro\n---\nText [@a].\n',
    });
    const p = await findProject(host, '/w/book/chapters/intro.qmd', opts);
    assert.equal(p.kind, 'quarto');
    assert.deepEqual(bibs(p), ['/w/book/references.bib', '/w/book/extra.bib']);
    assert.deepEqual(p.documents.sort(), ['/w/book/chapters/intro.qmd', '/w/book/index.qmd']);
    assert.deepEqual(p.problems, []);
  });

  it('reports a malformed _quarto.yml once, naming it, and keeps the document\'s own bibliography', async () => {
    const host = new MemoryHost({
      '/w/_quarto.yml': 'project:\n  type: book\nbibliography: [a.bib\nformat: html\n',
      '/w/doc.qmd': '---\nbibliography: own.bib\n---\n', '/w/own.bib': '',
    });
    const p = await findProject(host, '/w/doc.qmd', opts);
    assert.deepEqual(bibs(p), ['/w/own.bib']);
    assert.equal(p.problems.length, 1);
    assert.match(p.problems[0].message, /^_quarto\.yml is not valid YAML \(line \d+: /);
    assert.equal(p.problems[0].file, '/w/_quarto.yml');
  });

  it('a bookdown book: index.Rmd\'s bibliography applies to every chapter; _bookdown.yml lists them', async () => {
    const host = new MemoryHost({
      '/w/_bookdown.yml': 'book_filename: "book"\nrmd_files: ["index.Rmd", "01-intro.Rmd", "02-more.Rmd"]\n',
      '/w/index.Rmd': '---\ntitle: "A Book"\nsite: bookdown::bookdown_site\nbibliography: [book.bib, packages.bib]\n---\n',
      '/w/01-intro.Rmd': '# Intro\n[@a]', '/w/02-more.Rmd': '# More', '/w/book.bib': '',
    });
    const p = await findProject(host, '/w/01-intro.Rmd', opts);
    assert.equal(p.kind, 'bookdown');
    assert.deepEqual(bibs(p), ['/w/book.bib', '/w/packages.bib']);
    assert.deepEqual(p.documents.sort(), ['/w/01-intro.Rmd', '/w/02-more.Rmd', '/w/index.Rmd']);
    // packages.bib is written by knitr when the book is built: said once, clearly
    assert.deepEqual(p.problems.map((x) => [x.file, x.line, x.message]), [['/w/index.Rmd', 4, 'index.Rmd names the bibliography packages.bib, but packages.bib does not exist.']]);
  });

  it('a bookdown book without _bookdown.yml is known by index.Rmd\'s site: bookdown::bookdown_site', async () => {
    const host = new MemoryHost({ '/w/index.Rmd': '---\nsite: "bookdown::bookdown_site"\nbibliography: "book.bib"\n---\n', '/w/ch.Rmd': 'x', '/w/book.bib': '' });
    const p = await findProject(host, '/w/ch.Rmd', opts);
    assert.equal(p.kind, 'bookdown');
    assert.deepEqual(bibs(p), ['/w/book.bib']);
  });

  it('a Pandoc defaults file that lists the document, and the metadata files it names, from their own folders', async () => {
    const host = new MemoryHost({
      '/w/build/paper.yaml': 'input-files: ["${.}/../src/paper.md"]\nciteproc: true\nmetadata-files: [meta/common.yaml]\nbibliography: ../refs/main.bib\n',
      '/w/build/meta/common.yaml': 'bibliography: [shared.bib]\n',
      '/w/build/meta/shared.bib': '', '/w/refs/main.bib': '',
      '/w/src/paper.md': '# Paper\n',
    });
    // the defaults file is in another folder: found when it is in one the document's folders go up to
    host.add('/w/paper-defaults.yaml', 'input-files: [src/paper.md]\nmetadata:\n  bibliography: top.bib\n');
    host.add('/w/top.bib', '');
    const p = await findProject(host, '/w/src/paper.md', opts);
    assert.equal(p.kind, 'pandoc');
    assert.deepEqual(bibs(p), ['/w/top.bib']);
    const near = new MemoryHost(Object.fromEntries([...host.files].map(([k, v]) => [k.replace('/w/build/', '/w/src/').replace('${.}/../src/', '${.}/'), v.replace('${.}/../src/', '${.}/').replace('../refs/', '../refs/')])));
    const q = await findProject(near, '/w/src/paper.md', opts);
    assert.deepEqual(bibs(q).sort(), ['/w/refs/main.bib', '/w/src/meta/shared.bib', '/w/top.bib']);
    assert.deepEqual(q.problems, []);
  });

  it('a defaults file named *defaults* next to the document applies without input-files', async () => {
    const host = new MemoryHost({ '/w/defaults.yaml': 'citeproc: true\nbibliography: refs.bib\n', '/w/notes.md': 'x', '/w/refs.bib': '', '/w/other.yaml': 'bibliography: no.bib\n' });
    assert.deepEqual(bibs(await findProject(host, '/w/notes.md', opts)), ['/w/refs.bib']);
  });

  it('reports a bibliography that is a folder, a non-name, and invalid front matter, each naming the file', async () => {
    const host = new MemoryHost({ '/w/a.md': '---\nbibliography: refs\n---\n', '/w/b.md': '---\nbibliography: {x: 1}\n---\n', '/w/c.md': '---\nbibliography: [x.bib\n---\n' }, ['/w/refs']);
    assert.deepEqual((await findProject(host, '/w/a.md', opts)).problems.map((p) => p.message), ['a.md names the bibliography refs, but refs is a folder, not a file.']);
    assert.deepEqual((await findProject(host, '/w/b.md', opts)).problems.map((p) => p.message), ['b.md: bibliography is not a file name or a list of file names.']);
    const c = await findProject(host, '/w/c.md', opts);
    assert.match(c.problems[0].message, /^The front matter of c\.md is not valid YAML \(line \d+/);
  });

  it('Quarto folder metadata (_metadata.yml) and metadata-files in _quarto.yml count', async () => {
    const host = new MemoryHost({
      '/w/_quarto.yml': 'project:\n  type: website\nmetadata-files: [meta.yml]\n', '/w/meta.yml': 'bibliography: site.bib\n',
      '/w/posts/_metadata.yml': 'bibliography: posts.bib\n', '/w/posts/p.qmd': 'x', '/w/site.bib': '', '/w/posts/posts.bib': '',
    });
    const p = await findProject(host, '/w/posts/p.qmd', opts);
    assert.deepEqual(bibs(p), ['/w/posts/posts.bib', '/w/site.bib']);
    assert.deepEqual(p.documents, ['/w/posts/p.qmd']);
  });
});
