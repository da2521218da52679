import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PaperIndex } from '../../src/core/search/searchIndex';
import type { Paper } from '../../src/core/model/paper';
import { Topic, TopicDefinition, assignTopics, keywordTopics, phraseTopics, phraseTopicsAsync, sortPapers } from '../../src/core/analysis/topics';
import { builtinPapers, paper, repoRoot } from './helpers';

describe('topics of the built-in corpus', () => {
  const papers = builtinPapers();
  const defs: TopicDefinition[] = JSON.parse(readFileSync(join(repoRoot, 'corpus/topics.json'), 'utf8'));
  const index = PaperIndex.build(papers);
  const topics = assignTopics(papers, defs, (q) => index.scoreAll(q), 'builtin');

  it('has 8–14 topics, every paper under 1–3 of them', () => {
    assert.ok(defs.length >= 8 && defs.length <= 14);
    console.log('    topics: ' + topics.map((t) => `${t.name} (${t.papers.length})`).join('; '));
    for (const p of papers) {
      const n = topics.filter((t) => t.papers.includes(p)).length;
      assert.ok(n >= 1 && n <= 3, `${p.key} is under ${n} topics`);
    }
  });
  it('puts well-known papers where a researcher expects them', () => {
    const under = (key: string) => topics.filter((t) => t.papers.some((p) => p.key === key)).map((t) => t.name);
    assert.ok(under('chenLongLoRAEfficientFine2023').includes('Long context'));
    assert.ok(under('caiSurveyMixtureExperts2024').includes('Mixture of experts'));
    assert.ok(under('shoeybiMegatronLMTraining2019').includes('Training systems and parallelism'));
    assert.ok(under('kimFineQuantUnlockingEfficiency2023').includes('Compression and efficient inference'));
    assert.ok(under('enevoldsenMMTEBMassiveMultilingual2025').includes('Retrieval and embeddings'));
  });
  it('has no topic holding most of the corpus', () => {
    for (const t of topics) assert.ok(t.papers.length <= papers.length * 0.4, `${t.name}: ${t.papers.length}`);
  });
});

describe('topics from keywords', () => {
  it('groups papers by shared keywords, case-insensitively, largest first', () => {
    const ps = [
      paper({ key: 'a', keywords: ['RL', 'vision'] }),
      paper({ key: 'b', keywords: ['rl'] }),
      paper({ key: 'c', keywords: ['Vision', 'rl'] }),
      paper({ key: 'd', keywords: ['solo'] }),
    ];
    assert.deepEqual(keywordTopics(ps).map((t) => [t.name, t.papers.map((p) => p.key)]), [['RL', ['a', 'b', 'c']], ['vision', ['a', 'c']]]);
  });
  it('sorts papers newest first by default', () => {
    const ps = [paper({ key: 'old', year: 2001 }), paper({ key: 'new', year: 2024 }), paper({ key: 'none' })];
    assert.deepEqual(sortPapers(ps, 'year').map((p) => p.key), ['new', 'old', 'none']);
  });
});

describe('topics found in titles', () => {
  it('makes topics of two-word phrases several papers share, skipping filler words', () => {
    const titles = [
      'Deep Reinforcement Learning for Robots',
      'Reinforcement Learning with Sparse Rewards',
      'Offline Reinforcement Learning: A Review',
      'Graph Neural Networks at Scale',
      'Graph Neural Networks for Chemistry',
      'Explaining Graph Neural Networks',
      'A Study of Large Language Models',
      'Large Language Models for Code',
      'Large Language Models in Medicine',
      'Something Entirely Different',
    ];
    const topics = phraseTopics(titles.map((title, i) => paper({ key: 'k' + i, title })));
    const names = topics.map((t) => `${t.name} (${t.papers.length})`);
    assert.ok(names.includes('Reinforcement Learning (3)'), names.join(', '));
    assert.ok(names.includes('Graph Neural (3)') || names.includes('Neural Networks (3)'), names.join(', '));
    assert.ok(!names.some((n) => /Large Language|Language Models/.test(n)), names.join(', '));
  });

  // The first implementation, kept as the reference: split with a regular expression, one list
  // of papers per phrase, phrases sorted by count and then alphabetically.
  const STOP = new Set('a an and are as at by for from in into is of on or over the to toward towards under via with without we our using based toward new large language model models llm llms study analysis approach approaches method methods'.split(' '));
  function reference(papers: Paper[], minPapers = 3, max = 20, maxShare = 0.3): Topic[] {
    const byPhrase = new Map<string, Paper[]>();
    for (const p of papers) {
      const words = p.title.toLowerCase().split(/[^\p{L}\p{N}-]+/u).map((w) => w.replace(/^-+|-+$/g, '')).filter(Boolean);
      const seen = new Set<string>();
      for (let i = 0; i + 1 < words.length; i++) {
        const [a, b] = [words[i], words[i + 1]];
        if (STOP.has(a) || STOP.has(b) || /^\d+$/.test(a) || /^\d+$/.test(b) || a.length < 3 || b.length < 3) continue;
        const phrase = `${a} ${b}`;
        if (seen.has(phrase)) continue;
        seen.add(phrase);
        byPhrase.set(phrase, [...(byPhrase.get(phrase) ?? []), p]);
      }
    }
    const perPaper = new Map<Paper, number>();
    const out: Topic[] = [];
    const ranked = [...byPhrase.entries()]
      .filter(([, ps]) => ps.length >= minPapers && ps.length <= Math.max(minPapers, papers.length * maxShare))
      .sort((x, y) => y[1].length - x[1].length || x[0].localeCompare(y[0]));
    for (const [phrase, ps] of ranked) {
      if (out.length >= max) break;
      const members = ps.filter((p) => (perPaper.get(p) ?? 0) < 3);
      if (members.length < minPapers) continue;
      for (const p of members) perPaper.set(p, (perPaper.get(p) ?? 0) + 1);
      out.push({ name: phrase.replace(/(^|\s)\p{L}/gu, (c) => c.toUpperCase()), query: phrase, papers: members, origin: 'keywords' });
    }
    return out;
  }
  const summary = (topics: Topic[]) => topics.map((t) => `${t.name}: ${t.papers.map((p) => p.key).join(' ')}`);

  it('finds the same topics as the reference on a library of many overlapping titles, accents, hyphens, numbers and astral letters included', () => {
    const words = ['neural', 'network', 'networks', 'graph', 'learning', 'deep', 'reinforcement', 'Über', 'façade', 'self-attention', '-edge-', '2024', 'gpt-4', '𝐁old', 'модель', 'of', 'the', 'ab', 'transformer', 'sparse', 'mixture', 'experts', 'long', 'context'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const papers = Array.from({ length: 3000 }, (_, i) => {
      const n = 2 + Math.floor(next() * 9);
      const title = Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join(next() < 0.2 ? ': ' : ' ');
      return paper({ key: 'p' + i, title });
    });
    for (const options of [{}, { minPapers: 2, max: 50 }, { maxShare: 0.02 }]) {
      const expected = summary(reference(papers, options.minPapers, options.max, options.maxShare));
      assert.ok(expected.length > 5, 'the reference finds topics');
      assert.deepEqual(summary(phraseTopics(papers, options)), expected);
    }
  });

  it('works in slices that give the thread back between them, with the same result', async () => {
    const papers = Array.from({ length: 12_000 }, (_, i) => paper({ key: 'p' + i, title: `Topic ${i % 7} sparse mixture experts ${i % 3 ? 'graph networks' : 'long context'}` }));
    let pauses = 0;
    const sliced = await phraseTopicsAsync(papers, async () => void pauses++, {}, 1000);
    assert.equal(pauses, 12);
    assert.deepEqual(summary(sliced), summary(phraseTopics(papers)));
  });
});

