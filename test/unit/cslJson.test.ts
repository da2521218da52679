import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCslJson } from '../../src/core/sources/cslJson';
import { sharedDir } from './helpers';

describe('CSL-JSON reader', () => {
  it('an unknown type named like an Object property becomes misc', () => {
    const text = JSON.stringify(['constructor', 'toString', '__proto__', 'article-journal'].map((type, i) => ({ id: `k${i}`, type, title: `T${i}` })));
    assert.deepEqual(parseCslJson(text, 'lib.json').papers.map((p) => p.entryType), ['misc', 'misc', 'misc', 'article']);
  });
  it('maps Zotero/Pandoc items to papers', () => {
    const text = JSON.stringify([
      {
        id: 'vaswani2017',
        type: 'paper-conference',
        title: 'Attention Is All You Need',
        author: [{ family: 'Vaswani', given: 'Ashish' }, { family: 'Berg', given: 'Jan', 'non-dropping-particle': 'van den' }, { literal: 'Google Brain' }],
        issued: { 'date-parts': [[2017, 12]] },
        'container-title': 'NeurIPS',
        abstract: 'The dominant models…',
        DOI: 'https://doi.org/10.5555/3295222',
        URL: 'https://arxiv.org/abs/1706.03762',
        keyword: 'attention; transformers, nlp',
        page: '5998-6008',
      },
      { id: 'raw-date', title: 'T', issued: { raw: 'Spring 2011' }, type: 'book', editor: [{ family: 'Doe', given: 'Jane' }] },
    ]);
    const r = parseCslJson(text, 'refs.json');
    assert.equal(r.diagnostics.length, 0);
    const p = r.papers[0];
    assert.equal(p.key, 'vaswani2017');
    assert.equal(p.title, 'Attention Is All You Need');
    assert.deepEqual(p.authors, ['Ashish Vaswani', 'Jan van den Berg', 'Google Brain']);
    assert.equal(p.year, 2017);
    assert.equal(p.venue, 'NeurIPS');
    assert.equal(p.doi, '10.5555/3295222');
    assert.equal(p.arxiv, '1706.03762');
    assert.equal(p.entryType, 'inproceedings');
    assert.deepEqual(p.keywords, ['attention', 'transformers', 'nlp']);
    assert.equal(p.fields!.booktitle, 'NeurIPS');
    assert.equal(p.fields!.author, 'Vaswani, Ashish and van den Berg, Jan and {Google Brain}');
    assert.equal(p.fields!.pages, '5998-6008');
    assert.deepEqual(p.range, { startLine: 0, startColumn: 7, endLine: 0, endColumn: 20 }, "the range of the item id");
    const q = r.papers[1];
    assert.equal(q.year, 2011);
    assert.deepEqual(q.authors, ['Jane Doe']);
    assert.equal(q.entryType, 'book');
  });

  it('reports bad JSON once, with its line and column', () => {
    const r = parseCslJson('[\n  {"id": "a", "title": "A"},\n  {"id": "b" "title": "B"}\n]', 'bad.json');
    assert.equal(r.papers.length, 0);
    assert.equal(r.diagnostics.length, 1);
    assert.equal(r.diagnostics[0].line, 3);
    assert.equal(r.diagnostics[0].column, 14);
    assert.match(r.diagnostics[0].message, /invalid JSON/);
    const empty = parseCslJson('', 'empty.json');
    assert.equal(empty.diagnostics.length, 1);
  });

  it('keeps good items and reports each bad one', () => {
    const r = parseCslJson(JSON.stringify([{ id: 'ok', title: 'Fine' }, 42, { title: 'no id' }, { id: 'x', title: 'X', author: 'not a list' }, { id: 'ok', title: 'Again' }]), 'mixed.json');
    assert.deepEqual(r.papers.map((p) => p.key), ['ok', 'x']);
    const messages = r.diagnostics.map((d) => d.message);
    assert.ok(messages.some((m) => /item 2 is not an object/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /item 3 has no id/.test(m)));
    assert.ok(messages.some((m) => /'author' is not a list/.test(m)));
    assert.ok(messages.some((m) => /duplicate id 'ok'/.test(m)));
  });

  it('accepts a BOM and an object with an items list, rejects other shapes', () => {
    assert.equal(parseCslJson('\ufeff[{"id":"a","title":"A"}]', 'bom.json').papers.length, 1);
    assert.equal(parseCslJson('{"items":[{"id":"a","title":"A"}]}', 'o.json').papers.length, 1);
    const r = parseCslJson('{"id":"a"}', 'o.json');
    assert.equal(r.papers.length, 0);
    assert.match(r.diagnostics[0].message, /array of items/);
  });

  it('reads BCE years, string years and missing dates from real exports', () => {
    const shared = sharedDir();
    const file = shared && join(shared, 'bibdata/retorquere__zotero-better-bibtex/export/Date export to Better CSL-JSON #360 #811.csl.json');
    if (!file || !existsSync(file)) {
      console.log('    (skipped: ../shared is absent)');
      return;
    }
    const r = parseCslJson(readFileSync(file, 'utf8'), file);
    assert.equal(r.papers.length, 15);
    assert.equal(r.diagnostics.filter((d) => d.severity === 'error').length, 0);
    const years = r.papers.map((p) => p.year);
    assert.ok(years.includes(-334), JSON.stringify(years));
    assert.ok(years.includes(2011));
    assert.ok(years.includes(undefined));
  });
});
