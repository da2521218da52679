/**
 * Every `.bib` file of the shared real-world corpus (`../shared/bibdata`, ~850 files) loads
 * without an exception and with sane results; multi-file libraries resolve macros and crossrefs
 * across their files. Skips with a message when `../shared` is absent.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseBibtex, parseBibtexFiles } from '../../src/core/sources/bibtex/reader';
import { decodeText } from '../../src/core/sources/decodeText';
import { sharedDir } from './helpers';

function bibFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...bibFiles(p));
    else if (name.toLowerCase().endsWith('.bib')) out.push(p);
  }
  return out;
}

describe('real-world corpus (../shared/bibdata)', function () {
  this.timeout(60_000);
  const shared = sharedDir();
  const bibdata = shared && join(shared, 'bibdata');
  const read = (rel: string) => {
    const path = join(bibdata!, rel);
    return { path, text: decodeText(readFileSync(path)).text };
  };

  before(function () {
    if (!bibdata || !existsSync(bibdata)) {
      console.log('    (skipped: ../shared/bibdata is absent)');
      this.skip();
    }
  });

  it('loads every .bib file without throwing, each paper with a key and a title string', () => {
    const files = bibFiles(bibdata!);
    assert.ok(files.length > 800, `${files.length} files`);
    let entries = 0;
    let papers = 0;
    const rawTitles: string[] = [];
    const rawNames: string[] = [];
    const started = Date.now();
    for (const f of files) {
      const { text } = decodeText(readFileSync(f));
      let r;
      try {
        r = parseBibtex(text, f);
      } catch (e) {
        assert.fail(`${relative(bibdata!, f)} threw: ${String(e)}`);
      }
      entries += r.entries.length;
      papers += r.papers.length;
      for (const p of r.papers) {
        assert.ok(p.key.length > 0);
        // decoded: what a hover shows. Markup left in a title or a name is counted, below
        if (/[{}]/.test(p.title) || /\\[a-zA-Z]/.test(p.title)) rawTitles.push(p.title);
        if (p.authors.some((a) => !a.trim() || /[{}\\]/.test(a))) rawNames.push(p.authors.join(' and '));
      }
      for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.column >= 1, `${f}: ${JSON.stringify(d)}`);
    }
    console.log(`    ${files.length} files, ${entries} entries, ${papers} papers, ${Date.now() - started} ms; ${rawTitles.length} titles and ${rawNames.length} author lists keep markup`);
    // at the measured level (2026-12-06: 112 titles of 27,359, mostly unbalanced braces and math in
    // the files themselves; 9 author lists, such as Garc\'ia, not decoded in names): more is a regression
    assert.ok(rawTitles.length <= 112, `${rawTitles.length} titles keep braces or commands, e.g. ${rawTitles.slice(0, 5).join(' | ')}`);
    assert.ok(rawNames.length <= 9, `${rawNames.length} author lists keep markup, e.g. ${rawNames.slice(0, 5).join(' | ')}`);
    // retorquere/bibtex-parser, the best peer, recovers 27,459 entries over these files
    assert.ok(entries >= 27_459, `${entries} entries`);
  });

  it('reads the large Zotero export completely and decodes its LaTeX', () => {
    const { path, text } = read('retorquere__zotero-better-bibtex/import/Unabbreviate on import #1436-3.bib');
    const r = parseBibtex(text, path);
    assert.equal(r.entries.length, 7166);
    assert.equal(r.papers.length, 7166);
    assert.equal(r.diagnostics.filter((d) => d.severity === 'error').length, 0);
    assert.equal(r.diagnostics.filter((d) => /differs only in case/.test(d.message)).length, 16);
    const p = r.papers.find((x) => x.key === 'abdollahi_2018')!;
    assert.deepEqual(p.authors, ['Amir Abdollahi', 'Fabián Vásquez-Sancho', 'Gustau Catalan']);
    assert.equal(p.arxiv, '1807.00144');
    // a title keeps braces or backslashes only where the file escaped them (\\{112\\}, \\textbackslash)
    const markup = r.papers.filter((x) => x.title.includes('{{') || x.title.includes('\\textbackslash'));
    assert.ok(markup.length <= 1, markup.map((x) => x.key).join(', '));
    assert.equal(r.papers.find((x) => x.key === 'bermudez_1996')!.title, 'Study of Oxygen Chemisorption on the GaN(0001)-(1\\times1) Surface');
  });

  it('reads tugboat.bib: quoted values, @string macros and # concatenation', () => {
    const { path, text } = read('plk__biber/tugboat.bib');
    const r = parseBibtex(text, path);
    assert.equal(r.entries.length, 3644);
    assert.equal(r.diagnostics.filter((d) => d.severity === 'error').length, 0, JSON.stringify(r.diagnostics.slice(0, 3)));
    assert.ok(r.macros.size >= 3);
    assert.ok(r.papers.filter((p) => p.venue === 'TUGboat').length > 3000);
  });

  it('resolves macros defined in another file (papers.bib + definitions.bib)', () => {
    const defs = read('plk__biber/definitions.bib');
    const papers = read('plk__biber/papers.bib');
    const alone = parseBibtex(papers.text, papers.path);
    assert.ok(alone.diagnostics.some((d) => /undefined macro/.test(d.message)));
    const [d, p] = parseBibtexFiles([{ source: defs.path, text: defs.text }, { source: papers.path, text: papers.text }]);
    assert.ok(d.macros.size >= 600);
    assert.equal(p.entries.length, 2157);
    assert.equal(p.diagnostics.filter((x) => /undefined macro/.test(x.message)).length, 0, JSON.stringify(p.diagnostics.slice(0, 3)));
    assert.equal(alone.papers.find((x) => x.key === 'AbdelbarH98')!.venue, 'artint');
    assert.equal(p.papers.find((x) => x.key === 'AbdelbarH98')!.venue, 'Artificial Intelligence');
  });

  it('resolves the iridia library across its seven files (author macros, crossrefs)', () => {
    const names = ['abbrev.bib', 'authors.bib', 'journals.bib', 'crossref.bib', 'articles.bib', 'biblio.bib'];
    const files = names.map((n) => read(`iridia-ulb__references/${n}`)).map(({ path, text }) => ({ source: path, text }));
    const results = parseBibtexFiles(files);
    const biblio = results[5];
    assert.equal(results.reduce((n, r) => n + r.diagnostics.length, 0), 0, JSON.stringify(results.map((r) => r.diagnostics.slice(0, 2))));
    const children = biblio.entries.filter((e) => e.fields.crossref !== undefined);
    assert.ok(children.length > 800, `${children.length} entries with a crossref`);
    const byKey = new Map(biblio.papers.map((p) => [p.key, p]));
    const inherited = children.filter((e) => byKey.get(e.key)?.venue && byKey.get(e.key)?.year && e.fields.year === undefined);
    assert.ok(inherited.length > 700, `${inherited.length} children got venue and year from their parent`);
    // authors are @string macros in authors.bib: no paper keeps a bare macro name as an author
    assert.ok(biblio.papers.every((p) => !p.authors.some((a) => /^[a-z]+$/.test(a))), 'author macros expanded');
  });

  it('recovers the entries of the nasty fixtures', () => {
    const counts: [string, number][] = [
      ['retorquere__bibtex-parser/citation-js.bib', 20],
      ['retorquere__zotero-better-bibtex/import/Some bibtex entries quietly discarded on import from bib file #873.bib', 988],
      ['JabRef__jabref/bibWithMixedContent.bib', 1],
      ['typst__biblatex/valid/comments.bib', 1],
      ['FlamingTempura__bibtex-tidy/python-bibtexparser/book_bom.bib', 1],
    ];
    for (const [rel, min] of counts) {
      if (!existsSync(join(bibdata!, rel))) continue;
      const { path, text } = read(rel);
      const r = parseBibtex(text, path);
      assert.ok(r.entries.length >= min, `${rel}: ${r.entries.length} < ${min}`);
    }
  });
});
