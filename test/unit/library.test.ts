import * as assert from 'node:assert/strict';
import { Library } from '../../src/core/library/library';
import { BUILTIN_SOURCE, Paper } from '../../src/core/model/paper';
import { indexPapers } from '../../src/core/search/searchIndex';
import { parseBibtex } from '../../src/core/sources/bibtex/reader';
import { decodeSourceCache, encodePapers } from '../../src/core/library/sourceCache';
import { builtinPapers, paper } from './helpers';

function source(id: string, papers: Paper[]) {
  return { source: id, papers, diagnostics: [], segment: id === BUILTIN_SOURCE ? indexPapers(papers) : undefined };
}

describe('the library (merging sources)', () => {
  it('shows a paper from two sources once, keeping the user key, and resolves both keys', () => {
    const lib = new Library();
    lib.setSource(source(BUILTIN_SOURCE, builtinPapers()));
    const mine = paper({ key: 'shoeybi2019megatron', title: 'Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism', year: 2019, arxiv: '1909.08053', source: 'refs.bib' });
    lib.setSource(source('refs.bib', [mine]));
    assert.equal(lib.size, 72);
    const shown = lib.get('shoeybi2019megatron');
    assert.equal(shown?.key, 'shoeybi2019megatron');
    assert.equal(shown?.source, 'refs.bib');
    assert.equal(lib.get('shoeybiMegatronLMTraining2019'), shown);
    const hits = lib.search('megatron-lm training');
    assert.equal(hits[0].paper.key, 'shoeybi2019megatron');
    assert.equal(hits.filter((h) => h.paper.title.startsWith('Megatron-LM')).length, 1);
  });
  it('fills a cited paper with what the built-in corpus knows, keeping what the user entry has', () => {
    const lib = new Library();
    lib.setSource(source(BUILTIN_SOURCE, builtinPapers()));
    const corpus = lib.get('shoeybiMegatronLMTraining2019')!;
    assert.ok(corpus.abstract, 'the built-in paper has an abstract');
    const mine = paper({ key: 'shoeybi2019megatron', title: corpus.title, year: 2019, venue: 'My venue', source: 'refs.bib', range: { startLine: 3, startColumn: 0, endLine: 9, endColumn: 1 } });
    lib.setSource(source('refs.bib', [mine]));
    const shown = lib.get('shoeybi2019megatron')!;
    assert.equal(shown.abstract, corpus.abstract, 'the abstract survives citing');
    assert.equal(shown.arxiv, corpus.arxiv);
    assert.equal(shown.venue, 'My venue', "the user's field wins");
    assert.deepEqual(shown.range, mine.range, 'go to definition still goes to the user entry');
    assert.deepEqual(shown.sources, ['refs.bib', BUILTIN_SOURCE]);
    assert.equal(lib.papers().find((p) => p.key === 'shoeybi2019megatron'), shown);
    // found by words only the corpus's abstract has, once, as the user's entry
    const word = corpus.abstract!.split(/\W+/).find((w) => w.length > 8 && !corpus.title.toLowerCase().includes(w.toLowerCase()))!;
    const hits = lib.search(word, 100).filter((h) => h.paper.title === corpus.title);
    assert.deepEqual(hits.map((h) => h.paper.key), ['shoeybi2019megatron']);
    assert.ok([...lib.scoreAll(word).keys()].includes(shown), 'topic scores go to the shown paper');
    assert.ok(![...lib.scoreAll(word).keys()].includes(corpus));
    // the user's entry alone again when the corpus goes
    lib.removeSource(BUILTIN_SOURCE);
    assert.equal(lib.get('shoeybi2019megatron'), mine);
  });
  it('fills a class-backed entry without losing its getters', () => {
    class Lazy implements Paper {
      key = 'lazy1';
      source = 'a.bib';
      authors = ['A. Author'];
      get title(): string {
        return 'A Title Long Enough To Compare';
      }
    }
    const lib = new Library();
    lib.setSource(source('a.bib', [new Lazy()]));
    lib.setSource(source('b.bib', [paper({ key: 'b1', title: 'A title long enough to compare', abstract: 'Filled in.', source: 'b.bib' })]));
    const shown = lib.get('lazy1')!;
    assert.equal(shown.title, 'A Title Long Enough To Compare');
    assert.equal(shown.abstract, 'Filled in.');
    assert.equal(JSON.parse(JSON.stringify(shown)).title, 'A Title Long Enough To Compare');
  });
  it('matches duplicates by DOI and by normalised title and year', () => {
    const lib = new Library();
    lib.setSource(source('a.bib', [paper({ key: 'a1', title: 'Some Paper on Things', year: 2020, doi: '10.1/X' })]));
    lib.setSource(source('b.json', [paper({ key: 'b1', title: 'Other', doi: '10.1/x' }), paper({ key: 'b2', title: 'Some paper on things!', year: 2020 })]));
    assert.deepEqual(lib.papers().map((p) => p.key), ['a1']);
  });
  it('matches duplicates by arXiv id whatever its version and case, and never by an empty or bare version id', () => {
    const lib = new Library();
    lib.setSource(source('a.bib', [paper({ key: 'a1', title: 'First Title Here', arxiv: '2101.00001v2' }), paper({ key: 'a2', title: 'Second Title Here', arxiv: 'v3' })]));
    lib.setSource(source('b.bib', [
      paper({ key: 'b1', title: 'Another Title Here', arxiv: '2101.00001' }),
      paper({ key: 'b2', title: 'Hep Paper Title Here', arxiv: 'HEP-TH/9901001V1' }),
      paper({ key: 'b3', title: 'Unrelated Title Here', arxiv: 'v4' }),
    ]));
    lib.setSource(source('c.bib', [paper({ key: 'c1', title: 'Hep Paper Again Title', arxiv: 'hep-th/9901001' })]));
    assert.deepEqual(lib.papers().map((p) => p.key), ['a1', 'a2', 'b2', 'b3']);
    assert.equal(lib.get('b1'), lib.get('a1'));
    assert.equal(lib.get('c1'), lib.get('b2'));
  });
  it('merges a cached source by the identity hashes the cache keeps, as it merges the papers themselves', () => {
    const stamp = { size: 1, mtimeMs: 2 };
    const bib = parseBibtex('@article{x1, title = {A Paper Held Twice Over}, doi = {10.5/ABC}}\n@article{x2, title = {An Only Copy Somewhere}, eprint = {2202.00002v1}, archivePrefix = {arXiv}}', 'x.bib');
    const cached = decodeSourceCache(encodePapers({ ...bib, source: 'x.bib' }, stamp), stamp)!;
    assert.deepEqual([...cached.idHashes!].map((h) => Number.isNaN(h)), [false, true, true, false]);
    const lib = new Library();
    lib.setSource(source('mine.bib', [paper({ key: 'm1', title: 'Mine', doi: '10.5/abc' }), paper({ key: 'm2', title: 'Also Mine', arxiv: '2202.00002' })]));
    lib.setSource(cached);
    assert.deepEqual(lib.papers().map((p) => p.key), ['m1', 'm2']);
  });
  it('keeps every other source when one source is empty or replaced, and reports status', () => {
    const lib = new Library();
    let changes = 0;
    lib.onDidChange(() => changes++);
    lib.setSource(source('good.bib', [paper({ key: 'k1', title: 'A Good Paper Title' })]));
    lib.setSource({ source: 'bad.bib', papers: [], diagnostics: [{ source: 'bad.bib', line: 3, column: 1, message: 'broken', severity: 'error' }] });
    assert.equal(lib.size, 1);
    assert.deepEqual(lib.status().map((s) => [s.source, s.entries, s.diagnostics.length]), [['good.bib', 1, 0], ['bad.bib', 0, 1]]);
    lib.removeSource('good.bib');
    assert.equal(lib.size, 0);
    assert.equal(changes, 3);
  });

  it('answers searches while a source is pending its index, and installs the index without a change event', () => {
    const lib = new Library();
    const corpus = builtinPapers();
    lib.setSource(source(BUILTIN_SOURCE, corpus));
    // a user library holding one corpus paper again (a duplicate) and one of its own
    const dup = { ...corpus.find((p) => p.key === 'shoeybiMegatronLMTraining2019')!, key: 'shoeybi2019', source: 'big.bib' };
    const own = paper({ key: 'own1', title: 'Megatron Scaling Notes From Our Lab', source: 'big.bib', year: 2024 });
    let changes = 0;
    lib.onDidChange(() => changes++);
    const install = lib.setSourcePending({ source: 'big.bib', papers: [dup, own], diagnostics: [] });
    assert.equal(changes, 1);
    const scanned = lib.search('megatron', 10).map((h) => h.paper.key);
    assert.ok(scanned.includes('own1'), 'the pending source is searched by scanning');
    assert.equal(scanned.filter((k) => k === 'shoeybi2019' || k === 'shoeybiMegatronLMTraining2019').length, 1, 'the duplicate shows once');
    install(indexPapers([dup, own]));
    assert.equal(changes, 1, 'installing the index is not a change of the library');
    const indexed = lib.search('megatron', 10).map((h) => h.paper.key);
    assert.ok(indexed.includes('own1'));
    assert.equal(indexed.filter((k) => k === 'shoeybi2019' || k === 'shoeybiMegatronLMTraining2019').length, 1, 'still once after the index arrives');
  });
});
