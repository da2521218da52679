import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { PaperIndex, indexPapers } from '../../src/core/search/searchIndex';
import { plainPaper } from '../../src/core/model/paper';
import { decodeSourceCache, decodeSourceCacheAsync, encodePapers, encodeSourceCache } from '../../src/core/library/sourceCache';
import { PREFIX_POSTINGS, buildSegment, fuzzyTerms, terms } from '../../src/core/search/termIndex';
import { segmentFromBytes, segmentToBytes } from '../../src/core/search/segmentBytes';
import { builtinPapers, paper, propertySeed } from './helpers';

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

describe('term index', () => {
  it('splits, folds and lower-cases text the same way for indexing and querying', () => {
    assert.deepEqual(terms('The Gödel-Prize: an Œuvre of LongLoRA'), ['godel', 'prize', 'oeuvre', 'longlora']);
    assert.deepEqual(terms('C++ a+b\u00a0x\u3000y «z» 1909.08053'), ['c++', 'a+b', 'x', 'y', 'z', '1909', '08053']);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        // the index holds exactly the terms a query for the same text looks up
        const seg = buildSegment(1, (_, out) => void (out[1] = text));
        assert.deepEqual([...seg.terms], [...new Set(terms(text))].sort());
      }),
      { numRuns: 500, seed: propertySeed() },
    );
  });

  it('finds exactly the terms within the edit distance (the sorted-list walk equals brute force)', () => {
    const words = fc.array(fc.stringMatching(/^[a-e]{1,8}$/), { minLength: 1, maxLength: 300 });
    fc.assert(
      fc.property(words, fc.stringMatching(/^[a-e]{1,8}$/), fc.integer({ min: 1, max: 2 }), (vocab, q, d) => {
        const seg = buildSegment(vocab.length, (doc, out) => void (out[1] = vocab[doc]));
        const got = new Map<string, number>();
        fuzzyTerms(seg, q, d, (ti, dist) => got.set(seg.terms[ti], dist));
        const want = new Map(seg.terms.map((t) => [t, levenshtein(t, q)] as const).filter(([, x]) => x <= d));
        assert.deepEqual(new Map([...got].sort()), new Map([...want].sort()));
      }),
      { numRuns: 300, seed: propertySeed() },
    );
  });

  it('saves and loads a segment byte for byte, and refuses bytes of another format', () => {
    const seg = indexPapers(builtinPapers());
    const bytes = segmentToBytes(seg);
    const back = segmentFromBytes(bytes)!;
    assert.deepEqual(back.terms, seg.terms);
    assert.deepEqual([...back.postDoc], [...seg.postDoc]);
    assert.deepEqual([...back.fieldLength], [...seg.fieldLength]);
    const odd = new Uint8Array(bytes.length + 1);
    odd.set(bytes, 1);
    assert.ok(segmentFromBytes(odd.subarray(1)), 'unaligned bytes are copied, not misread');
    const damaged = bytes.slice();
    damaged[4] ^= 0xff; // version
    assert.equal(segmentFromBytes(damaged), undefined);
    assert.equal(segmentFromBytes(new Uint8Array(3)), undefined);
  });

  it('scores across sources: a paper ranks the same whichever source holds it', () => {
    const papers = builtinPapers();
    const one = PaperIndex.build(papers);
    const two = PaperIndex.empty();
    two.set('a', papers.slice(0, 30));
    two.set('b', papers.slice(30));
    for (const q of ['long context', 'mixture of experts', 'lora', 'retrieval augmented']) {
      assert.deepEqual(two.search(q, 10).map((h) => h.paper.key), one.search(q, 10).map((h) => h.paper.key), q);
    }
  });

  it('bounds a short prefix in a huge library and still answers, sharpening as letters are typed', () => {
    // 60k papers whose titles start with "ne…": "ne" alone would score every one of them
    const papers = Array.from({ length: 60_000 }, (_, i) => paper({ key: `k${i}`, title: i % 1000 === 0 ? 'Networks' : `Ne${(i * 7919).toString(36)}tuned models` }));
    const ix = PaperIndex.build(papers);
    const hits = ix.search('ne', 20);
    assert.equal(hits.length, 20);
    assert.ok(hits.every((h) => /^ne/i.test(h.paper.title)));
    assert.equal(ix.search('networks', 5)[0].paper.title, 'Networks');
    assert.ok(PREFIX_POSTINGS < 60_000, 'the budget is below what "ne" expands to here');
  });
});

describe('source cache', () => {
  const papers = [
    paper({ key: 'a', title: 'Attention Is All You Need', authors: ['Ashish Vaswani'], year: 2017, arxiv: '1706.03762', range: { startLine: 3, startColumn: 0, endLine: 9, endColumn: 1 }, keywords: ['nlp'] }),
    paper({ key: 'b', title: 'LongLoRA: Efficient Fine-tuning', authors: [], abstract: 'We present LongLoRA.' }),
  ].map((p) => ({ ...p, source: '/lib.bib' }));
  const stamp = { size: 1234, mtimeMs: 1700000000123.5 };
  const cached = { source: '/lib.bib', papers, diagnostics: [{ source: '/lib.bib', line: 2, column: 1, message: 'x', severity: 'warning' as const }], macros: new Map([['jmlr', 'JMLR']]), segment: indexPapers(papers) };

  it('gives back the papers, diagnostics, macros and a working index', () => {
    const back = decodeSourceCache(encodeSourceCache(cached, stamp), stamp)!;
    assert.deepEqual(back.papers.map(plainPaper), papers);
    assert.deepEqual(JSON.parse(JSON.stringify(back.papers)), JSON.parse(JSON.stringify(papers)));
    assert.deepEqual(back.diagnostics, cached.diagnostics);
    assert.deepEqual([...back.macros!], [['jmlr', 'JMLR']]);
    const ix = PaperIndex.empty();
    ix.set('/lib.bib', back.papers, back.segment);
    assert.equal(ix.search('longlora')[0].paper.key, 'b');
  });

  it('misses when the file changed (size or time), and on damaged bytes', () => {
    const bytes = encodeSourceCache(cached, stamp);
    assert.equal(decodeSourceCache(bytes, { ...stamp, size: 1235 }), undefined);
    assert.equal(decodeSourceCache(bytes, { ...stamp, mtimeMs: stamp.mtimeMs + 1 }), undefined);
    assert.equal(decodeSourceCache(bytes.subarray(0, bytes.length >> 1), stamp), undefined);
    assert.equal(decodeSourceCache(new Uint8Array(0), stamp), undefined);
  });

  it('is taken in by slices that give the thread back, with the same papers across its text chunks', async () => {
    // 25k papers: three chunks of the cache's text, the last one partly filled
    const many = Array.from({ length: 25_000 }, (_, i) => ({
      ...paper({ key: `k${i}`, title: `Title ${i} ü`, authors: i % 3 ? [`A${i} B`, 'C D'] : [], year: 1990 + (i % 30), ...(i % 7 ? {} : { keywords: [`kw${i}`] }) }),
      source: '/many.bib',
    }));
    const bytes = encodePapers({ source: '/many.bib', papers: many, diagnostics: [] }, stamp);
    let pauses = 0;
    const back = (await decodeSourceCacheAsync(bytes, stamp, async () => void pauses++, 10_000))!;
    assert.equal(pauses, 3);
    const sync = decodeSourceCache(bytes, stamp)!;
    for (const i of [0, 1, 9_999, 10_000, 10_001, 19_999, 20_000, 24_999]) {
      assert.deepEqual(plainPaper(back.papers[i]), many[i], `paper ${i}`);
      assert.deepEqual(plainPaper(sync.papers[i]), many[i], `paper ${i} (in one go)`);
    }
    assert.equal(await decodeSourceCacheAsync(bytes, { ...stamp, size: 1 }, async () => undefined), undefined, 'a stale cache is a miss');
  });
});

describe('a source whose index is still being built', () => {
  it('is searchable at once by scanning, and ranks like the index once that arrives', () => {
    const papers = builtinPapers();
    const ix = PaperIndex.empty();
    ix.setPending('p', papers);
    const scanned = ix.search('long context', 10).map((h) => h.paper.key);
    assert.ok(scanned.length >= 3);
    for (const k of scanned) {
      const p = papers.find((x) => x.key === k)!;
      assert.match(`${p.title} ${p.authors.join(' ')}`.toLowerCase(), /\blong/);
    }
    assert.equal(ix.search('megatron-lm', 3)[0]?.paper.key, 'shoeybiMegatronLMTraining2019');
    assert.equal(ix.search('shoeybi', 3)[0]?.paper.key, 'shoeybiMegatronLMTraining2019', 'authors are scanned too');
    assert.deepEqual(ix.search('zzzz nothing'), []);
    ix.set('p', papers, indexPapers(papers));
    assert.deepEqual(ix.search('long context', 5).map((h) => h.paper.key), PaperIndex.build(papers).search('long context', 5).map((h) => h.paper.key));
  });
});

describe('title identity', () => {
  it('is the same for the same title however written, and differs by year', async () => {
    const { titleHash } = await import('../../src/core/model/paper');
    assert.equal(titleHash('Attention Is All You Need.', 2017), titleHash('  attention is all -- you NEED', 2017));
    assert.equal(titleHash('Über Attention: Is All You Need', 2017), titleHash('uber attention is all you need', 2017));
    assert.notEqual(titleHash('Attention Is All You Need', 2017), titleHash('Attention Is All You Need', 2018));
    assert.notEqual(titleHash('Attention Is All You Need', 2017), titleHash('Attention Is Not All You Need', 2017));
    assert.ok(Number.isNaN(titleHash('Short one', 2020)), 'too short to tell papers apart');
  });
});

describe('ASCII folding', () => {
  /** The reference: Unicode decomposition without accents, then the letters it leaves alone. */
  const reference = (s: string): string =>
    s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
      .replace(/[øØ]/g, (c) => (c === 'ø' ? 'o' : 'O')).replace(/ß/g, 'ss').replace(/[æÆ]/g, (c) => (c === 'æ' ? 'ae' : 'AE'))
      .replace(/[œŒ]/g, (c) => (c === 'œ' ? 'oe' : 'OE')).replace(/[łŁ]/g, (c) => (c === 'ł' ? 'l' : 'L')).replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'))
      .replace(/[ıİ]/g, (c) => (c === 'ı' ? 'i' : 'I')).replace(/[þÞ]/g, (c) => (c === 'þ' ? 'th' : 'TH'));

  it('folds exactly as the reference, through its table of Latin letters or the general way', async () => {
    const { foldAscii } = await import('../../src/core/model/paper');
    assert.equal(foldAscii('Günther Ødegård, Łukasz Šimon and Þórr'), 'Gunther Odegard, Lukasz Simon and THorr');
    const latin = fc.integer({ min: 0x20, max: 0x24f }).map((c) => String.fromCharCode(c));
    const any = fc.oneof(latin, fc.constantFrom('\u0301', 'ﬁ', 'Ω', '中', '½', '\u00a0', 'e\u0301'));
    fc.assert(
      fc.property(fc.array(any, { maxLength: 30 }).map((a) => a.join('')), (s) => assert.equal(foldAscii(s), reference(s))),
      { numRuns: 3000, seed: propertySeed() },
    );
  });
});
