import * as assert from 'node:assert/strict';
import { parseBibtex } from '../../src/core/sources/bibtex/reader';
import { toBibtex } from '../../src/core/sources/bibtex/writer';
import { planAppendText } from '../../src/core/sources/bibtex/append';
import fc from 'fast-check';
import { builtinPapers, paper, propertyRuns, propertySeed } from './helpers';

describe('BibTeX writing', () => {
  it('writes arXiv papers with eprint, archivePrefix and url, and the venue as booktitle', () => {
    const p = builtinPapers().find((x) => x.key === 'shoeybiMegatronLMTraining2019')!;
    const text = toBibtex(p);
    assert.match(text, /^@misc\{shoeybiMegatronLMTraining2019,\n/);
    assert.match(text, /eprint = \{1909\.08053\}/);
    assert.match(text, /archivePrefix = \{arXiv\}/);
    assert.match(text, /url = \{https:\/\/arxiv\.org\/abs\/1909\.08053\}/);
    const brown = toBibtex(builtinPapers().find((x) => x.key === 'brownLanguageModelsAre2020')!);
    assert.match(brown, /^@inproceedings\{/);
    assert.match(brown, /booktitle = \{NeurIPS 2020\}/);
  });
  it('re-parses every built-in paper to the same title, authors, year and id', () => {
    for (const p of builtinPapers()) {
      const r = parseBibtex(toBibtex(p), 'x.bib');
      assert.equal(r.diagnostics.length, 0, p.key);
      const q = r.papers[0];
      assert.equal(q.key, p.key);
      assert.equal(q.title, p.title, p.key);
      assert.deepEqual(q.authors, p.authors, p.key);
      assert.equal(q.year, p.year);
      assert.equal(q.arxiv, p.arxiv);
    }
  });
  it('escapes special characters so they survive a round trip', () => {
    const title = 'Braces {x} and 100% of #tags & $money_ with \\ backslash ^ ~ tilde';
    const r = parseBibtex(toBibtex(paper({ key: 'k', title, authors: ['Ann O\'Neil'] })), 'x.bib');
    assert.equal(r.diagnostics.length, 0);
    assert.equal(r.papers[0].title, title);
  });
  it('appends after existing text without touching it, in the file\'s line endings', () => {
    const k = paper({ key: 'k', title: 'T' });
    const entry = '@misc{k,\n  title = {{T}}\n}\n';
    const appended = (existing: string) => planAppendText(existing, 'utf-8', [k]).text;
    assert.equal(appended(''), entry);
    assert.equal(appended('@misc{a}\n'), '\n' + entry);
    assert.equal(appended('@misc{a}'), '\n\n' + entry);
    assert.equal(appended('@misc{a}\r\n'), '\r\n@misc{k,\r\n  title = {{T}}\r\n}\r\n');
    assert.equal(appended('@misc{a}\n\n'), entry);
  });
});

describe('BibTeX writing (properties)', () => {
  // any text a library or a user can hold: LaTeX specials, quotes, dashes, Unicode, line breaks
  const text = fc.stringMatching(/^[\w ,.;:'"!?()[\]{}%#&$^~\\\-–—/@<>|*+=`éüßæøł中文Ωπ\u{1F600}\n\t]{1,60}$/u);
  const clean = (s: string) => s.replace(/\s+/g, ' ').trim();

  it('re-parses what it writes to the same title, authors, venue and year, for arbitrary values', function () {
    this.timeout(120_000);
    fc.assert(
      fc.property(text, fc.array(text, { maxLength: 3 }), text, fc.integer({ min: 1000, max: 2999 }), (title, authors, venue, year) => {
        // authors with commas, braces and "and" included: the writer protects them
        fc.pre(clean(title).length > 0 && clean(venue).length > 0 && authors.every((a) => clean(a).length > 0));
        const p = paper({ key: 'k1', title: clean(title), authors: authors.map(clean), venue: clean(venue), year, entryType: 'article' });
        const r = parseBibtex(toBibtex(p), 'x.bib');
        assert.deepEqual(r.diagnostics, [], toBibtex(p));
        const q = r.papers[0];
        assert.equal(q.title, p.title, toBibtex(p));
        assert.equal(q.venue, p.venue, toBibtex(p));
        assert.equal(q.year, year);
        assert.deepEqual(q.authors, p.authors, toBibtex(p));
      }),
      { numRuns: propertyRuns(1500), seed: propertySeed() },
    );
  });
});
