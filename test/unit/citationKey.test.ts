import * as assert from 'node:assert/strict';
import { assignKeys, authorPart, baseKey, suffix, titlePart } from '../../src/core/model/citationKey';

describe('citation keys (auth.lower + shorttitle(3,3) + year)', () => {
  it('matches Better BibTeX on Megatron-LM', () => {
    assert.equal(
      baseKey({ title: 'Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism', authors: ['Mohammad Shoeybi', 'Mostofa Patwary'], year: 2019 }),
      'shoeybiMegatronLMTraining2019',
    );
  });
  it('skips function words and splits at hyphens, keeping inner capitals', () => {
    assert.equal(titlePart('Language Models are Few-Shot Learners'), 'LanguageModelsAre');
    assert.equal(titlePart('To Repeat or Not To Repeat: Insights'), 'RepeatNotRepeat');
    assert.equal(titlePart('LongLoRA: Efficient Fine-tuning of Long-Context LLMs'), 'LongLoRAEfficientFine');
    assert.equal(titlePart('In-Context Pretraining: Language Modeling'), 'ContextPretrainingLanguage');
  });
  it('folds accents and punctuation in names and titles', () => {
    assert.equal(authorPart(['Jürgen Müller']), 'muller');
    assert.equal(authorPart(['Ødegård, Kristian']), 'odegard');
    assert.equal(authorPart(['Ludwig van Beethoven']), 'vanbeethoven');
    assert.equal(titlePart('E^2-LLM: Efficient and Extreme Length Extension'), 'E2LLMEfficient');
    assert.equal(titlePart('Über Façade naïve'), 'UberFacadeNaive');
  });
  it('works without authors or year', () => {
    assert.equal(baseKey({ title: 'A Survey of Large Language Models', authors: [] }), 'SurveyLargeLanguage');
    assert.equal(baseKey({ title: '', authors: [] }), 'paper');
  });
  it('adds a, b, c on clashes in order', () => {
    const p = { title: 'Large Language Models Survey', authors: ['A Liu'], year: 2024 };
    assert.deepEqual(assignKeys([p, { ...p }, { ...p }], () => String(Math.random())), ['liuLargeLanguageModels2024', 'liuLargeLanguageModels2024a', 'liuLargeLanguageModels2024b']);
    assert.equal(suffix(0), 'a');
    assert.equal(suffix(25), 'z');
    assert.equal(suffix(26), 'aa');
  });
  it('never changes an existing key when a paper is added, even one that sorts first', () => {
    const a = { id: '1', title: 'Large Language Models Survey', authors: ['A Liu'], year: 2024 };
    const b = { id: '2', title: 'Large Language Models Survey', authors: ['B Liu'], year: 2024 };
    const first = assignKeys([a], (x) => x.id);
    const existing = new Map([['1', first[0]]]);
    const second = assignKeys([b, a], (x) => x.id, existing);
    assert.equal(second[1], first[0]);
    assert.equal(second[0], first[0] + 'a');
  });
});
