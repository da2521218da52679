import * as assert from 'node:assert/strict';
import { plainPaper } from '../../src/core/model/paper';
import { decodeText } from '../../src/core/sources/decodeText';
import { parseBibtex, parseBibtexFiles, splitAuthors } from '../../src/core/sources/bibtex/reader';

const parse = (text: string, macros?: Map<string, string>) => parseBibtex(text, 'lib.bib', macros ? { macros } : undefined);
const only = (text: string) => {
  const r = parse(text);
  assert.equal(r.papers.length, 1, JSON.stringify(r.diagnostics));
  return r.papers[0];
};

describe('BibTeX reader', () => {
  describe('entries and fields', () => {
    it('reads a typical entry into a decoded paper', () => {
      const p = only(`@Article{shoeybi2019,
  title = {{Megatron-LM}: Training Multi-Billion Parameter Language Models Using Model Parallelism},
  author = {Shoeybi, Mohammad and Patwary, Mostofa and Puri, Raul},
  journal = {arXiv preprint},
  year = {2019},
  doi = {https://doi.org/10.48550/arXiv.1909.08053},
  keywords = {parallelism; large models, training},
  abstract = {We {\\"u}se model parallelism.}
}`);
      assert.equal(p.key, 'shoeybi2019');
      assert.equal(p.entryType, 'article');
      assert.equal(p.title, 'Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism');
      assert.deepEqual(p.authors, ['Mohammad Shoeybi', 'Mostofa Patwary', 'Raul Puri']);
      assert.equal(p.venue, 'arXiv preprint');
      assert.equal(p.year, 2019);
      assert.equal(p.doi, '10.48550/arXiv.1909.08053');
      assert.equal(p.arxiv, '1909.08053');
      assert.deepEqual(p.keywords, ['parallelism', 'large models', 'training']);
      assert.equal(p.abstract, 'We üse model parallelism.');
      assert.equal(p.fields!.title, p.title);
      assert.equal(p.fields!.journal, 'arXiv preprint');
      assert.equal(p.source, 'lib.bib');
    });

    it('keeps the raw fields, the raw text and the range of each entry', () => {
      const text = '% header\n\n@misc{a,\n  title = {A {\\"o}},\n  note = "x"\n}\n@book{b, title={B}}';
      const r = parse(text);
      assert.equal(r.entries.length, 2);
      assert.deepEqual(r.entries[0].fields, { title: 'A {\\"o}', note: 'x' });
      assert.equal(r.entries[0].raw, '@misc{a,\n  title = {A {\\"o}},\n  note = "x"\n}');
      assert.deepEqual(r.entries[0].range, { startLine: 2, startColumn: 0, endLine: 5, endColumn: 1 });
      assert.deepEqual(r.papers[1].range, { startLine: 6, startColumn: 0, endLine: 6, endColumn: 19 });
      assert.equal(r.papers[0].title, 'A ö');
    });

    it('reads both delimiters, quoted values, bare numbers and case-insensitive names', () => {
      const r = parse('@ARTICLE(k1, TITLE = "Quoted {with \\"u} braces", Year = 2001, volume=7)\n@inproceedings { k2 , title = {T} , }');
      assert.equal(r.diagnostics.length, 0, JSON.stringify(r.diagnostics));
      assert.equal(r.papers[0].title, 'Quoted with ü braces');
      assert.equal(r.papers[0].year, 2001);
      assert.equal(r.papers[0].entryType, 'article');
      assert.equal(r.entries[0].fields.volume, '7');
      assert.equal(r.papers[1].key, 'k2');
    });

    it('reads nested braces and values over several lines', () => {
      const p = only('@misc{k, title = {Outer {inner {deep} text} end}, note = {line one\n   line two}}');
      assert.equal(p.title, 'Outer inner deep text end');
      assert.equal(p.fields!.note, 'line one line two');
    });

    it('handles CRLF files', () => {
      const r = parse('@misc{a,\r\n  title = {First},\r\n  year = 2000\r\n}\r\n@misc{b,\r\n  title = {Second}\r\n}\r\n');
      assert.deepEqual(r.papers.map((p) => p.title), ['First', 'Second']);
      assert.equal(r.papers[1].range!.startLine, 4);
      assert.equal(r.papers[0].year, 2000);
    });

    it('takes the venue from journal, journaltitle or booktitle, and the year from date', () => {
      assert.equal(only('@inproceedings{k, booktitle = {NeurIPS}, title = {T}}').venue, 'NeurIPS');
      const p = only('@article{k, journaltitle = {J. Stat.}, date = {2020-05-01}, title = {T}}');
      assert.equal(p.venue, 'J. Stat.');
      assert.equal(p.year, 2020);
    });

    it('finds arXiv ids in eprint, arxivid, urls and DOIs', () => {
      assert.equal(only('@misc{k, eprint = {2101.00001v2}, archivePrefix = {arXiv}}').arxiv, '2101.00001');
      assert.equal(only('@misc{k, eprint = {2101.00001}, eprinttype = {arxiv}}').arxiv, '2101.00001');
      assert.equal(only('@misc{k, url = {https://arxiv.org/abs/1706.03762}}').arxiv, '1706.03762');
      assert.equal(only('@misc{k, doi = {10.48550/arXiv.2303.08774}}').arxiv, '2303.08774');
      assert.equal(only('@misc{k, eprint = {hep-th/9901001}, archiveprefix = {arXiv}}').arxiv, 'hep-th/9901001');
      assert.equal(only('@misc{k, eprint = {12345}, archivePrefix = {PubMed}}').arxiv, undefined);
    });

    it('takes keywords from groups when there is no keywords field', () => {
      assert.deepEqual(only('@misc{k, groups = {nlp, vision}}').keywords, ['nlp', 'vision']);
    });
  });

  describe('authors', () => {
    it('splits on "and" at brace depth 0 and reorders "Last, First"', () => {
      assert.deepEqual(splitAuthors('Vaswani, Ashish and Noam Shazeer and {Barnes and Noble} and others'), ['Ashish Vaswani', 'Noam Shazeer', 'Barnes and Noble']);
      assert.deepEqual(splitAuthors('Knuth, Jr., Donald E.'), ['Donald E. Knuth Jr.']);
      assert.deepEqual(splitAuthors('{V{\\\'a}squez-Sancho}, Fabi{\\\'a}n AND M{\\"u}ller,\n Hans'), ['Fabián Vásquez-Sancho', 'Hans Müller']);
      assert.deepEqual(splitAuthors('family=Berg, given=Jan, prefix=van der'), ['Jan van der Berg']);
      assert.deepEqual(splitAuthors('{World Health Organization}'), ['World Health Organization']);
      assert.deepEqual(splitAuthors(''), []);
    });

    it('uses editors when there are no authors', () => {
      assert.deepEqual(only('@book{k, editor = {Doe, Jane}, title = {T}}').authors, ['Jane Doe']);
      assert.deepEqual(only('@book{k, editor = {Doe, Jane}, author = {Roe, R.}}').authors, ['R. Roe']);
    });
  });

  describe('macros, comments and preambles', () => {
    it('skips an entry commented out line by line with %, keeping the entry with the same key', () => {
      const text = '%@misc{R2019,\n%\ttitle = {Old title},\n%}\n\n  % @article{gone, title = {Gone}}\n@Manual{R2019,\n  title = {Kept title},\n  year = {2013},\n}\n@misc{fine, note = {50%@home}, title = {Fine}}\n';
      const r = parse(text);
      assert.deepEqual(r.diagnostics, []);
      assert.deepEqual(r.papers.map((p) => `${p.key}:${p.title}`), ['R2019:Kept title', 'fine:Fine']);
      assert.equal(r.papers[0].range?.startLine, 5);
    });

    it('expands @string macros, # concatenation and month macros', () => {
      const r = parse('@String{ACM = "Assoc. for Computing Machinery"}\n@string(pre = {Proc. of })\n@misc{k, publisher = ACM, booktitle = pre # "the " # {Conf}, month = jan, title = {T}}');
      assert.equal(r.diagnostics.length, 0, JSON.stringify(r.diagnostics));
      assert.equal(r.entries[0].fields.publisher, 'Assoc. for Computing Machinery');
      assert.equal(r.papers[0].venue, 'Proc. of the Conf');
      assert.equal(r.entries[0].fields.month, 'January');
      assert.equal(r.macros.get('acm'), 'Assoc. for Computing Machinery');
      assert.equal(r.macros.get('pre'), 'Proc. of ');
    });

    it('uses macros defined by another file of the same library', () => {
      const defs = parse('@string{artint = {Artificial Intelligence}}');
      const r = parse('@article{k, journal = artint, title = {T}}', defs.macros);
      assert.equal(r.papers[0].venue, 'Artificial Intelligence');
      assert.equal(r.diagnostics.length, 0);
    });

    it('warns once about an undefined macro and keeps its name as text', () => {
      const r = parse('@article{a, journal = jacm}\n@article{b, journal = jacm}');
      assert.equal(r.papers[0].venue, 'jacm');
      assert.equal(r.diagnostics.length, 1);
      assert.match(r.diagnostics[0].message, /undefined macro 'jacm'/);
      assert.equal(r.diagnostics[0].severity, 'warning');
    });

    it('skips @comment and @preamble, even with entries inside a comment', () => {
      const r = parse('@comment{@book{hidden, title={H}}}\n@preamble{"\\newcommand{\\noop}[1]{}"}\n@Comment jabref-meta: x;\n@misc{k, title = {Shown}}');
      assert.deepEqual(r.papers.map((p) => p.key), ['k']);
    });

    it('ignores % comment lines between fields', () => {
      const p = only('@misc{k,\n  % title = {Not this},\n  title = {This}, % trailing comment\n  %year = {1999},\n  year = {2001}\n}');
      assert.equal(p.title, 'This');
      assert.equal(p.year, 2001);
    });

    it('treats text outside entries as comments, including e-mail addresses', () => {
      const r = parse('Contact me at someone@example.org.\n\n@misc{k, title = {T}}\nTrailing junk }}}');
      assert.equal(r.papers.length, 1);
      assert.equal(r.diagnostics.length, 0);
    });
  });

  describe('crossref', () => {
    it('inherits missing fields from the parent, in either order', () => {
      const r = parse('@inproceedings{child, title = {Paper}, crossref = {conf2020}, pages = {1--2}}\n@proceedings{conf2020, title = {Proc. Conf. 2020}, year = 2020, publisher = {P}}');
      const child = r.papers[0];
      assert.equal(child.key, 'child');
      assert.equal(child.year, 2020);
      assert.equal(child.venue, 'Proc. Conf. 2020');
      assert.equal(child.fields!.publisher, 'P');
      assert.equal(child.fields!.pages, '1–2');
      assert.equal(r.entries[0].fields.year, undefined, 'the raw entry keeps only its own fields');
      assert.equal(r.diagnostics.length, 0);
    });

    it('warns about a missing parent and survives cycles', () => {
      const r = parse('@misc{a, crossref = {nowhere}, title = {A}}\n@misc{b, crossref = {c}, title = {B}}\n@misc{c, crossref = {b}, year = 1999}');
      assert.equal(r.papers.length, 3);
      assert.match(r.diagnostics[0].message, /crossref 'nowhere' of entry 'a' not found/);
      assert.equal(r.papers[1].year, 1999);
    });

    it('resolves parents and macros across the files of a library', () => {
      const [a, b] = parseBibtexFiles([
        { source: 'biblio.bib', text: '@inproceedings{x, title = {X}, crossref = {conf}, booktitle = conf}' },
        { source: 'crossref.bib', text: '@string{conf = {Great Conference}}\n@proceedings{conf, title = {Great Conference}, year = 2011}' },
      ]);
      assert.equal(a.papers[0].venue, 'Great Conference');
      assert.equal(a.papers[0].year, 2011);
      assert.equal(a.diagnostics.length, 0, JSON.stringify(a.diagnostics));
      assert.equal(b.papers.length, 1);
    });
  });

  describe('problems', () => {
    it('reports duplicate keys and keeps the first paper', () => {
      const r = parse('@misc{k, title = {First}}\n@misc{k, title = {Second}}\n@misc{K, title = {Third}}');
      assert.equal(r.entries.length, 3);
      assert.deepEqual(r.papers.map((p) => p.title), ['First', 'Third']);
      assert.equal(r.diagnostics.length, 2);
      assert.match(r.diagnostics[0].message, /duplicate key 'k' \(first defined on line 1\)/);
      assert.equal(r.diagnostics[0].line, 2);
      assert.match(r.diagnostics[1].message, /differs only in case/);
    });

    it('reports a duplicate field and keeps the first value', () => {
      const r = parse('@misc{k, title = {One}, title = {Two}}');
      assert.equal(r.papers[0].title, 'One');
      assert.match(r.diagnostics[0].message, /duplicate field 'title'/);
    });

    it('recovers from a missing comma between fields', () => {
      const r = parse('@misc{k,\n  title = {T}\n  year = 2000\n}');
      assert.equal(r.papers[0].year, 2000);
      assert.equal(r.diagnostics.length, 1);
      assert.match(r.diagnostics[0].message, /missing ',' after field 'title'/);
      assert.deepEqual([r.diagnostics[0].line, r.diagnostics[0].column], [3, 3]);
    });

    it('reports a broken entry with line and column and still loads every other entry', () => {
      const text = [
        '@misc{good1, title = {One}}',
        '@misc{broken, title = {Unclosed brace, year = 2000,',
        '  note = {x}',
        '@misc{good2, title = {Two}}',
        '@misc{noequals, title {Three}}',
        '@misc{good3, title = {Four}}',
        '@misc{, title = {No key}}',
        '@misc{good4, title = "Five"}',
      ].join('\n');
      const r = parse(text);
      const keys = r.papers.map((p) => p.key);
      for (const k of ['good1', 'good2', 'good3', 'good4']) assert.ok(keys.includes(k), k);
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      assert.equal(errors.length, 3, JSON.stringify(r.diagnostics));
      assert.match(errors[0].message, /unbalanced braces in field 'title'.*'broken'/);
      assert.equal(errors[0].line, 3);
      assert.match(errors[1].message, /expected '=' after field name 'title' in entry 'noequals'/);
      assert.deepEqual([errors[1].line, errors[1].column], [5, 23]);
      assert.match(errors[2].message, /no citation key/);
      assert.equal(errors[2].line, 7);
    });

    it('keeps a partially read entry whose closing brace is missing', () => {
      const r = parse('@misc{a, title = {A}, year = 1999\n@misc{b, title = {B}}');
      assert.deepEqual(r.papers.map((p) => [p.key, p.title, p.year]), [['a', 'A', 1999], ['b', 'B', undefined]]);
      assert.match(r.diagnostics[0].message, /entry 'a' is not closed/);
    });

    it('survives an unclosed @comment (resumes at the next entry line)', () => {
      const r = parse('@Comment{jabref-meta: {never closed\n@misc{k, title = {T}}');
      assert.equal(r.papers.length, 1);
      assert.match(r.diagnostics[0].message, /@comment is not closed/);
    });

    it('reports "@type" without a delimiter at the start of a line', () => {
      const r = parse('@misc\n@misc{k, title = {T}}');
      assert.equal(r.papers.length, 1);
      assert.match(r.diagnostics[0].message, /'@misc' is not followed by/);
    });

    it('caps the number of diagnostics of one file', () => {
      const r = parse('@misc{k, x = y}\n'.repeat(3000).replace(/k,/g, () => `k${Math.random()},`).replace(/y}/g, (_m, i: number) => `u${i}}`));
      assert.ok(r.diagnostics.length <= 1001);
      assert.match(r.diagnostics[r.diagnostics.length - 1].message, /more problems not shown/);
    });
  });

  describe('lazily decoded papers', () => {
    it('decode on first read, serialise to plain data (JSON, plainPaper for copies) and take assignments', () => {
      const r = parse('@misc{k, title = {{T}he {\\"o}}, author = {Doe, J.}}');
      const p = r.papers[0];
      const json = JSON.parse(JSON.stringify(p));
      assert.equal(json.title, 'The ö');
      assert.deepEqual(json.authors, ['J. Doe']);
      assert.deepEqual(json.fields, { title: 'The ö', author: 'Doe, J.' });
      assert.equal(json.key, 'k');
      const plain = plainPaper(p);
      assert.deepEqual({ ...plain }.title, 'The ö');
      assert.deepEqual(structuredClone(plain).authors, ['J. Doe']);
      assert.equal(Object.getPrototypeOf(plain), Object.prototype, 'a plain object');
      p.title = 'Changed';
      p.authors = ['X'];
      assert.equal(p.title, 'Changed');
      assert.deepEqual(p.authors, ['X']);
      assert.equal(p.fields, p.fields, 'the decoded record is made once');
    });

    it('read venue, abstract, DOI, arXiv id, URL and keywords on demand, and take assignments to them', () => {
      const r = parse('@article{k, title = {T}, journal = {Phys. Rev. {\\"O}}, booktitle = {Not the venue},\n'
        + '  doi = {https://doi.org/10.1/X}, eprint = {2101.00001v2}, archivePrefix = {arXiv}, url = { http://x.org/a },\n'
        + '  abstract = {We {\\em show}.}, keywords = {alpha; beta}, year = {2021}}\n@misc{bare, title = {U}}');
      const [p, bare] = r.papers;
      assert.deepEqual(
        [p.venue, p.abstract, p.doi, p.arxiv, p.url, p.keywords, p.year, p.entryType],
        ['Phys. Rev. Ö', 'We show.', '10.1/X', '2101.00001', 'http://x.org/a', ['alpha', 'beta'], 2021, 'article'],
      );
      assert.deepEqual([bare.venue, bare.abstract, bare.doi, bare.arxiv, bare.url, bare.keywords], [undefined, undefined, undefined, undefined, undefined, undefined]);
      const json = JSON.parse(JSON.stringify(p));
      assert.equal(json.venue, 'Phys. Rev. Ö');
      assert.equal(json.arxiv, '2101.00001');
      assert.ok(!('venue' in JSON.parse(JSON.stringify(bare))), 'absent values are left out of JSON');
      assert.deepEqual(plainPaper(p).keywords, ['alpha', 'beta']);
      p.venue = 'Changed';
      bare.doi = '10.2/y';
      assert.equal(p.venue, 'Changed');
      assert.equal(bare.doi, '10.2/y');
      assert.equal(JSON.parse(JSON.stringify(bare)).doi, '10.2/y');
    });
  });

  describe('encodings', () => {
    it('strips a UTF-8 byte-order mark', () => {
      const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('@misc{k, title = {Über}}')]);
      const d = decodeText(bytes);
      assert.equal(d.encoding, 'utf-8');
      assert.equal(parse(d.text).papers[0].title, 'Über');
    });

    it('falls back to Latin-1 for bytes that are not UTF-8', () => {
      const bytes = Buffer.from('@misc{k, title = {M\xfcller \xe9t\xe9}}', 'latin1');
      const d = decodeText(bytes);
      assert.equal(d.encoding, 'latin1');
      assert.equal(parse(d.text).papers[0].title, 'Müller été');
    });
  });

  it('keeps every field of files far denser than usual (the columns sized by file length grow)', () => {
    // 20 one-character fields per entry and entries of ~90 characters: several times the fields
    // and entries per character that the columns are first sized for
    const fields = (i: number) => Array.from({ length: 18 }, (_, f) => `f${f}=${(i + f) % 10}`).join(',');
    const text = Array.from({ length: 6000 }, (_, i) => `@article{k${i},${fields(i)},journal={J${i}},doi={10.1/${i}}}`).join('\n');
    const r = parse(text);
    assert.equal(r.diagnostics.length, 0, JSON.stringify(r.diagnostics.slice(0, 3)));
    assert.equal(r.papers.length, 6000);
    const last = r.papers[5999];
    assert.deepEqual([last.key, last.venue, last.doi, last.fields?.f17, last.range?.startLine], ['k5999', 'J5999', '10.1/5999', String((5999 + 17) % 10), 5999]);
    assert.deepEqual([r.papers[0].venue, r.papers[3000].doi], ['J0', '10.1/3000']);
    assert.equal(r.entries[4321].raw, `@article{k4321,${fields(4321)},journal={J4321},doi={10.1/4321}}`);
  });

  describe('adversarial input (no throw, no stack overflow; its speed is in npm run bench)', () => {
    /** Reads `text` and checks what holds for any input: problems on lines that exist, at most 1,000 listed plus a count. */
    const read = (label: string, text: string) => {
      const r = parseBibtex(text, 'adv.bib');
      const lines = text.split('\n').length;
      for (const d of r.diagnostics) assert.ok(d.line >= 1 && d.line <= lines && d.column >= 1, `${label}: ${JSON.stringify(d)}`);
      assert.ok(r.diagnostics.length <= 1001, `${label}: ${r.diagnostics.length} problems listed`);
      return r;
    };

    it('1 MB of "{"', () => {
      assert.deepEqual(read('braces', '{'.repeat(1 << 20)).entries, [], 'braces outside entries are a comment');
      const r = read('entry of braces', '@misc{k, title = ' + '{'.repeat(1 << 20));
      assert.equal(r.diagnostics[0].severity, 'error');
    });

    it('an entry nested 100,000 braces deep', () => {
      const r = read('deep', '@misc{k, title = ' + '{'.repeat(100_000) + 'x' + '}'.repeat(100_000) + '}\n@misc{j, title = {J}}');
      assert.equal(r.papers.length, 2);
      assert.equal(r.papers[0].title, 'x');
    });

    it('a 50 MB single field', () => {
      const r = read('big field', '@misc{k, abstract = {' + 'word '.repeat(10_000_000) + '}, title = {T}}');
      assert.equal(r.papers[0].title, 'T');
      assert.equal(r.entries[0].fields.abstract.length, 50_000_000);
    });

    it('200,000 tiny entries', () => {
      const parts: string[] = [];
      for (let i = 0; i < 200_000; i++) parts.push(`@misc{k${i},title={T${i}}}`);
      const r = read('tiny', parts.join('\n'));
      assert.equal(r.papers.length, 200_000);
      assert.equal(r.papers[199_999].title, 'T199999');
    });

    it('binary garbage: problems on real lines, a bounded list', () => {
      let seed = 42;
      const bytes = new Uint8Array(2 << 20);
      for (let i = 0; i < bytes.length; i++) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        bytes[i] = seed >>> 24;
      }
      const r = read('binary', decodeText(bytes).text);
      assert.ok(r.papers.length <= r.entries.length);
    });

    it('many "@" and many unclosed entries: each reported, the list capped with a count', () => {
      assert.equal(read('ats', '@'.repeat(1 << 20)).papers.length, 0);
      const unclosed = read('lines', '@misc{k,\n'.repeat(200_000));
      assert.deepEqual([unclosed.diagnostics[0].line, unclosed.diagnostics[0].message], [2, "entry 'k' is not closed (missing '}' before the next entry)"]);
      assert.equal(unclosed.diagnostics.length, 1001);
      assert.match(unclosed.diagnostics[1000].message, /^\d+ more problems not shown$/);
      assert.equal(read('at-braces', '@a{'.repeat(300_000)).diagnostics.length, 1001);
      const quotes = read('quotes', '@misc{k, title = "'.repeat(100_000));
      assert.deepEqual(
        quotes.diagnostics.map((d) => d.message),
        ["unterminated quoted value in field 'title' (missing '\"') in entry 'k'"],
      );
    });
  });
});
