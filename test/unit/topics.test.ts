import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PaperIndex } from '../../src/core/searchIndex';
import { TopicDefinition, assignTopics, keywordTopics, phraseTopics, sortPapers } from '../../src/core/topics';
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
});

