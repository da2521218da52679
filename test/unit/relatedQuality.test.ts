/**
 * Quality of the relatedness engine on a hand-written set of related-work passages
 * (test/fixtures/relatedPassages.json), against a plain baseline: MiniSearch with default
 * options over title + abstract, searched with the passage as the query.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import MiniSearch from 'minisearch';
import { RelatednessEngine } from '../../src/core/analysis/related';
import { MarkupSyntax } from '../../src/core/text/markup';
import { builtinPapers, repoRoot } from './helpers';

interface Passage {
  id: string;
  syntax: MarkupSyntax;
  /** `specific`: names the details a reader remembers; `vague`: described from memory in other words. */
  recall: 'specific' | 'vague';
  expected: string;
  arxiv: string;
  text: string;
}

interface Metrics {
  n: number;
  r1: number;
  r5: number;
  mrr: number;
}

/** How deep rankings are read: MRR counts a paper found below this rank as 0. */
const DEPTH = 20;

/** recall@1, recall@5 and mean reciprocal rank (over the top {@link DEPTH}) of `rank` over `passages`. */
function evaluate(passages: readonly Passage[], rank: (p: Passage) => string[]): Metrics & { misses: string[] } {
  let r1 = 0;
  let r5 = 0;
  let mrr = 0;
  const misses: string[] = [];
  for (const p of passages) {
    const r = rank(p).slice(0, DEPTH).indexOf(p.expected);
    if (r === 0) r1++;
    if (r >= 0 && r < 5) r5++;
    if (r >= 0) mrr += 1 / (r + 1);
    if (r !== 0) misses.push(`${p.id}@${r < 0 ? '-' : r + 1}`);
  }
  const n = passages.length;
  return { n, r1: r1 / n, r5: r5 / n, mrr: mrr / n, misses };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(6);

describe('related-paper suggestions: quality set', () => {
  const papers = builtinPapers();
  const fixture = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/relatedPassages.json'), 'utf8')) as { passages: Passage[] };
  const passages = fixture.passages;
  const byKey = new Map(papers.map((p) => [p.key, p]));

  it('has at least 30 passages in LaTeX, Markdown and plain text over many corpus papers', () => {
    assert.ok(passages.length >= 30, `${passages.length}`);
    const targets = new Set(passages.map((p) => p.expected));
    assert.ok(targets.size >= 30, `${targets.size} distinct papers`);
    for (const syntax of ['latex', 'markdown', 'plain']) assert.ok(passages.filter((p) => p.syntax === syntax).length >= 10, syntax);
    assert.ok(passages.some((p) => p.syntax === 'latex' && p.text.includes('\\emph{')));
    assert.equal(new Set(passages.map((p) => p.id)).size, passages.length);
  });

  it('expects keys of corpus/papers.json (checked against the arXiv id)', () => {
    for (const p of passages) {
      const paper = byKey.get(p.expected);
      assert.ok(paper, `${p.id}: ${p.expected} is not in corpus/papers.json`);
      assert.equal(paper.arxiv, p.arxiv, `${p.id}: ${p.expected} is not arXiv ${p.arxiv}`);
    }
  });

  it('paraphrases: no passage copies 8 or more consecutive words of its paper', () => {
    const words = (s: string) => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];
    for (const p of passages) {
      const target = byKey.get(p.expected)!;
      const source = ` ${words(`${target.title} . ${target.abstract}`).join(' ')} `;
      const w = words(p.text);
      for (let i = 0; i + 8 <= w.length; i++) {
        const gram = ` ${w.slice(i, i + 8).join(' ')} `;
        assert.ok(!source.includes(gram), `${p.id} copies "${gram.trim()}"`);
      }
    }
  });

  it('beats the MiniSearch baseline and holds its measured level: recall@5 100%, recall@1 ≥ 95%, MRR ≥ 0.965', function () {
    this.timeout(30_000);
    const engine = new RelatednessEngine(papers);
    const baseline = new MiniSearch<{ key: string; title: string; abstract?: string }>({ idField: 'key', fields: ['title', 'abstract'] });
    baseline.addAll(papers.map((p) => ({ key: p.key, title: p.title, abstract: p.abstract })));
    // each passage is ranked once by each system; the subsets reuse the rankings
    const engineRanks = new Map(passages.map((p) => [p, engine.suggest(p.text, { syntax: p.syntax, limit: DEPTH }).map((s) => s.key)]));
    const baselineRanks = new Map(passages.map((p) => [p, baseline.search(p.text).map((r) => String(r.id))]));
    const rankEngine = (p: Passage) => engineRanks.get(p)!;
    const rankBaseline = (p: Passage) => baselineRanks.get(p)!;

    const rows: string[] = [];
    const all = { engine: evaluate(passages, rankEngine), baseline: evaluate(passages, rankBaseline) };
    for (const [label, subset] of [
      ['all', passages],
      ['specific', passages.filter((p) => p.recall === 'specific')],
      ['vague', passages.filter((p) => p.recall === 'vague')],
    ] as const) {
      const e = evaluate(subset, rankEngine);
      const b = evaluate(subset, rankBaseline);
      rows.push(
        `      ${label.padEnd(9)} n=${String(e.n).padStart(3)} | engine   r@1 ${pct(e.r1)}  r@5 ${pct(e.r5)}  MRR ${e.mrr.toFixed(3)}` +
          ` | baseline r@1 ${pct(b.r1)}  r@5 ${pct(b.r5)}  MRR ${b.mrr.toFixed(3)}`,
      );
    }
    console.log(`      related-paper quality (${passages.length} passages, ${papers.length} papers):\n${rows.join('\n')}`);
    console.log(`      engine misses at rank 1: ${all.engine.misses.join(' ') || 'none'}`);

    // the level measured when ACM-CR tuning landed (133 of 140 at rank 1, MRR 0.968): a regression fails
    assert.ok(all.engine.r5 >= 1, `recall@5 ${all.engine.r5}`);
    assert.ok(all.engine.r1 >= 0.949, `recall@1 ${all.engine.r1}`);
    assert.ok(all.engine.mrr >= 0.965, `MRR ${all.engine.mrr}`);
    assert.ok(all.engine.r1 > all.baseline.r1, `recall@1 ${all.engine.r1} vs baseline ${all.baseline.r1}`);
    assert.ok(all.engine.r5 > all.baseline.r5, `recall@5 ${all.engine.r5} vs baseline ${all.baseline.r5}`);
    assert.ok(all.engine.mrr > all.baseline.mrr, `MRR ${all.engine.mrr} vs baseline ${all.baseline.mrr}`);
  });
});
