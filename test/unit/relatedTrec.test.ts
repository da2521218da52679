import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RelatednessEngine } from '../../src/core/analysis/related';
import { documentTitle } from '../../src/core/analysis/relatedContext';
import { TrecFormatError, parseKeyList, parseTrecTopics, trecRunLines } from '../../src/core/analysis/relatedTrec';
import { parseArgs } from '../../src/cli/args';
import { InputError, libraryFilesOf, loadLibrary } from '../../src/cli/cliLibrary';
import { relatedTopics } from '../../src/cli/commands/related';
import { paper } from './helpers';

const BIB = `@inproceedings{10.1145/1,
  title = {Query Expansion with Relevance Feedback},
  abstract = {Pseudo-relevance feedback expands the query with terms of the top-ranked documents.},
  keywords = {query expansion, relevance feedback},
  author = {Lavrenko, Victor}, year = {2001}
}
@article{10.1145/2,
  title = {Convolutional Networks for Image Classification},
  abstract = {Deep convolutional networks classify images.},
  author = {Doe, Jane}, year = {2012}
}
@article{10.1145/3,
  title = {Relevance Models for Ad Hoc Retrieval},
  abstract = {Relevance models estimate a query's language model from feedback documents.},
  author = {Roe, Rick}, year = {2001}
}
`;

describe('TREC topics and runs', () => {
  it('reads topics with the description as the query, whatever the spacing and case of the tags', () => {
    const text = `<top>\n<num> Number: 101\n<title> A title\n\n<desc> Description:\nPseudo-relevance   feedback [12, 14]\nexpands queries.\n\n<narr> Narrative:\n\n</top>\n\n` +
      `  <TOP><NUM>Number:102<TITLE>Only a title</TOP>\r\n<top>\n<num> Number: 103\n<desc> Description:\n\\emph{Relevance} models \\cite{x} in $O(n)$\n</top>\n`;
    const { topics, problems } = parseTrecTopics(text, 't.topics');
    assert.deepEqual(problems, []);
    assert.deepEqual(topics.map((t) => [t.id, t.line, t.text]), [
      ['101', 1, 'Pseudo-relevance feedback [12, 14] expands queries.'],
      ['102', 13, 'Only a title'],
      ['103', 14, '\\emph{Relevance} models \\cite{x} in $O(n)$'],
    ]);
    assert.equal(topics[0].title, 'A title');
  });

  it('leaves out empty topics and repeated numbers, saying where', () => {
    const text = '<top>\n<num> Number: 1\n<desc> Description:\n\n</top>\n<top><num>Number: 2<desc>Description: words</top>\n<top><num>Number: 2<desc>Description: again</top>\n';
    const { topics, problems } = parseTrecTopics(text, 'x');
    assert.deepEqual(topics.map((t) => t.id), ['2']);
    assert.deepEqual(problems.map((p) => p.line), [1, 7]);
    assert.match(problems[0].message, /topic 1 is empty/);
    assert.match(problems[1].message, /appears twice/);
  });

  it('rejects what is not TREC topics, naming the file and line', () => {
    const bad: [string, RegExp][] = [
      ['just a paragraph of prose\n', /^q\.txt:1: text outside/],
      ['<top>\n<num> Number: 1\n<desc> Description: x\n', /^q\.txt:1: <top> is never closed/],
      ['<top>\n<desc> Description: x\n</top>\n', /^q\.txt:1: the topic has no <num>/],
      ['<top><num>Number: 1<desc>x</top>\nstray words\n', /^q\.txt:2: text outside/],
      ['<top><num>Number: 1<desc>x\n\n<top><num>Number: 2</top>', /^q\.txt:3: <top> inside the topic opened on line 1/],
      ['', /^q\.txt:1: no <top>/],
      ['{"topics": []}', /^q\.txt:1: text outside/],
    ];
    for (const [text, re] of bad) assert.throws(() => parseTrecTopics(text, 'q.txt'), (e: Error) => e instanceof TrecFormatError && re.test(e.message), text);
  });

  it('writes run lines whose scores decrease strictly, so trec_eval keeps the rank order', () => {
    const lines = trecRunLines('7', [
      { key: '10.1/a', score: 3.5 },
      { key: '10.1/b', score: 3.5 },
      { key: '10.1/c', score: 1 },
    ]);
    assert.deepEqual(lines, ['7 Q0 10.1/a 1 3.500000 citelens', '7 Q0 10.1/b 2 3.499999 citelens', '7 Q0 10.1/c 3 1.000000 citelens']);
    assert.deepEqual(trecRunLines('7', []), []);
  });

  it('reads key lists one per line, skipping blanks and comments', () => {
    assert.deepEqual([...parseKeyList('# the citing papers\n10.1/a\r\n\n  10.1/b  \n')], ['10.1/a', '10.1/b']);
  });

  it('never suggests an excluded key', () => {
    const engine = new RelatednessEngine([
      paper({ key: 'a', title: 'relevance feedback' }),
      paper({ key: 'b', title: 'relevance feedback models' }),
      ...['image classification', 'graph drawing', 'type systems'].map((title, i) => paper({ key: `x${i}`, title })),
    ]);
    assert.deepEqual(engine.suggest('relevance feedback models', { exclude: new Set(['b']) }).map((s) => s.key), ['a']);
  });
});

describe('citelens related --topics', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'citelens-trec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (argv: string[]) => {
    let out = '';
    let err = '';
    const code = relatedTopics(parseArgs(['related', ...argv]), (s) => (out += s), (s) => (err += s));
    return { code, out, err };
  };

  it('answers each topic with a TREC run over the libraries of a nested folder', () => {
    mkdirSync(join(dir, 'lib', 'sigir'), { recursive: true });
    writeFileSync(join(dir, 'lib', 'sigir', 'a.bib'), BIB);
    writeFileSync(join(dir, 'lib', 'README.md'), '# not a library');
    writeFileSync(join(dir, 't.topics'), '<top>\n<num> Number: 501\n<desc> Description:\nRelevance feedback [3] expands the query.\n</top>\n<top>\n<num> Number: 502\n<desc> Description:\nconvolutional image classification\n</top>\n');
    writeFileSync(join(dir, 'exclude.txt'), '10.1145/3\n');
    const r = run(['--topics', join(dir, 't.topics'), '--bib', join(dir, 'lib'), '--exclude', join(dir, 'exclude.txt'), '--no-builtin', '--limit', '2']);
    assert.equal(r.code, 0);
    const lines = r.out.trim().split('\n').map((l) => l.split(' '));
    assert.deepEqual(lines[0].slice(0, 4), ['501', 'Q0', '10.1145/1', '1']);
    assert.equal(lines[0][5], 'citelens');
    assert.ok(lines.every((l) => l[2] !== '10.1145/3'), r.out);
    assert.ok(lines.some((l) => l[0] === '502' && l[2] === '10.1145/2' && l[3] === '1'), r.out);
    assert.match(r.err, /skipped 1 file\(s\) under .*lib that are not library files .*README\.md/);
  });

  it('reports bad input clearly: not TREC, a missing --exclude file, a folder without libraries', () => {
    writeFileSync(join(dir, 'a.bib'), BIB);
    writeFileSync(join(dir, 'prose.txt'), 'Just a paragraph.\n');
    assert.throws(() => run(['--topics', join(dir, 'prose.txt'), '--bib', join(dir, 'a.bib'), '--no-builtin']), (e: Error) => e instanceof InputError && e.message.startsWith(`${join(dir, 'prose.txt')}:1: text outside`));
    writeFileSync(join(dir, 't.topics'), '<top><num>Number: 1<desc>Description: relevance feedback</top>');
    assert.throws(() => run(['--topics', join(dir, 't.topics'), '--bib', join(dir, 'a.bib'), '--exclude', join(dir, 'nope.txt')]), /--exclude file .*nope\.txt does not exist/);
    assert.throws(() => run(['--topics', join(dir, 'none.topics')]), /topics file .*none\.topics does not exist/);
    mkdirSync(join(dir, 'empty', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'empty', 'sub', 'notes.md'), 'x');
    assert.throws(() => run(['--topics', join(dir, 't.topics'), '--bib', join(dir, 'empty')]), /no library files \(\.bib, \.json, \.txt\) under the folder .*empty/);
  });

  it('reports an empty topic and answers the others', () => {
    writeFileSync(join(dir, 'a.bib'), BIB);
    writeFileSync(join(dir, 't.topics'), '<top><num>Number: 1<desc>Description:</top>\n<top><num>Number: 2<desc>Description: pseudo-relevance feedback expands the query</top>\n');
    const r = run(['--topics', join(dir, 't.topics'), '--bib', join(dir, 'a.bib'), '--no-builtin']);
    assert.match(r.err, /t\.topics:1: topic 1 is empty/);
    assert.ok(r.out.startsWith('2 Q0 10.1145/'), r.out);
  });

  it('--bib DIR lists library files of nested folders in name order, and loads them all', () => {
    mkdirSync(join(dir, 'b', 'c'), { recursive: true });
    writeFileSync(join(dir, 'b', 'z.bib'), BIB.replace(/10\.1145\//g, 'z/'));
    writeFileSync(join(dir, 'b', 'c', 'a.bib'), BIB);
    writeFileSync(join(dir, 'b', 'c', 'picture.png'), 'x');
    const notes: string[] = [];
    assert.deepEqual(libraryFilesOf(join(dir, 'b'), (m) => notes.push(m)), [join(dir, 'b', 'c', 'a.bib'), join(dir, 'b', 'z.bib')]);
    assert.equal(notes.length, 1);
    const { library } = loadLibrary(parseArgs(['related', '--bib', join(dir, 'b'), '--no-builtin']), [], { searchIndex: false, note: () => undefined });
    assert.ok(library.get('z/2') && library.get('10.1145/2'));
  });
});

describe('a document title as context for related papers', () => {
  it('is read from \\title, YAML front matter or a Pandoc % line', () => {
    assert.equal(documentTitle('\\documentclass{article}\n\\title[Short]{Sparse \\emph{Gaussian} Processes}\n\\begin{document}', 'latex'), 'Sparse Gaussian Processes');
    assert.equal(documentTitle('---\nauthor: A\ntitle: "Query Expansion: a Study"\n---\n\nText.', 'markdown'), 'Query Expansion: a Study');
    assert.equal(documentTitle('% Suffix Stripping\n% A. Author\n\nText.', 'markdown'), 'Suffix Stripping');
    assert.equal(documentTitle('No title here.\n\n---\ntitle: late\n---\n', 'markdown'), undefined);
    assert.equal(documentTitle('\\section{Intro}', 'latex'), undefined);
  });

  it('steers an ambiguous paragraph towards what the document is about', () => {
    const engine = new RelatednessEngine([
      paper({ key: 'kernel-gp', title: 'Kernel methods for Gaussian process regression', abstract: 'Covariance kernels for regression.' }),
      paper({ key: 'kernel-os', title: 'Operating system kernel scheduling', abstract: 'Scheduling threads in the kernel.' }),
      ...['image classification', 'graph drawing', 'type systems', 'query expansion'].map((title, i) => paper({ key: `x${i}`, title })),
    ]);
    const text = 'The choice of kernel matters more than anything else here.';
    assert.equal(engine.suggest(text, { context: 'Operating systems: scheduling in practice' })[0]?.key, 'kernel-os');
    assert.equal(engine.suggest(text, { context: 'Gaussian process regression' })[0]?.key, 'kernel-gp');
  });
});
