import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseKey } from '../../src/core/model/citationKey';
import { parsePageListing, readPageListing } from '../../src/core/sources/pageListing';
import { builtinPapers, sharedDir } from './helpers';

describe('the built-in corpus', () => {
  const papers = builtinPapers();
  it('has the 72 papers with abstracts, authors, years and arXiv ids', () => {
    assert.equal(papers.length, 72);
    for (const p of papers) {
      assert.ok(p.abstract && p.abstract.length > 200, p.key);
      assert.ok(p.year && p.year >= 2019 && p.year <= 2026, p.key);
      assert.match(p.arxiv ?? '', /^\d{4}\.\d{4,5}$/, p.key);
    }
  });
  it('has unique keys that follow the key formula (or its clash suffix)', () => {
    const keys = new Set(papers.map((p) => p.key));
    assert.equal(keys.size, 72);
    for (const p of papers) assert.ok(p.key === baseKey(p) || p.key.startsWith(baseKey(p)), `${p.key} vs ${baseKey(p)}`);
    assert.ok(keys.has('shoeybiMegatronLMTraining2019'));
  });
  it('keeps titles and abstracts exactly as in the seed listing', function () {
    const shared = sharedDir();
    if (!shared) {
      console.log('    (skipped: ../shared is absent)');
      this.skip();
    }
    const listing = parsePageListing(readFileSync(join(shared!, 'seeds/000_ff91a5e39c69b5b1.txt'), 'utf8'));
    assert.deepEqual(
      listing.papers.map((p) => [p.title, p.abstract]),
      papers.map((p) => [p.title, p.abstract]),
    );
  });
});

describe('page listings', () => {
  const abstract = 'We study a thing. '.repeat(10).trim();
  it('reads title, blank line, abstract, and skips page chrome', () => {
    const text = `new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 18\n\nFirst Paper: A Title\n\n${abstract}\n\nSecond Paper\n\n${abstract}\n`;
    const r = parsePageListing(text);
    assert.deepEqual(r.papers.map((p) => p.title), ['First Paper: A Title', 'Second Paper']);
    assert.equal(r.papers[0].line, 11);
    assert.equal(r.skipped.length, 5);
  });
  it('handles CRLF and a BOM, and reports a listing with no papers', () => {
    const r = readPageListing(`\uFEFFOnly Title\r\n\r\n${abstract}\r\n`, 'x.txt');
    assert.equal(r.papers.length, 1);
    assert.equal(r.papers[0].key, 'OnlyTitle');
    const empty = readPageListing('Subscribe\n\nnothing here', 'y.txt');
    assert.equal(empty.papers.length, 0);
    assert.equal(empty.diagnostics.length, 1);
  });
});
