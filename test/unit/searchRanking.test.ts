/**
 * Ranking on the built-in corpus with realistic queries: title fragments, surnames, years,
 * arXiv ids, keys, system names and typos. Reports top-1 and top-5 accuracy; top-1 must be ≥ 90%.
 */
import * as assert from 'node:assert/strict';
import { PaperIndex } from '../../src/core/search/searchIndex';
import { builtinPapers } from './helpers';

const QUERIES: [string, string][] = [
  ['megatron', 'shoeybiMegatronLMTraining2019'],
  ['Megatron-LM', 'shoeybiMegatronLMTraining2019'],
  ['shoeybi', 'shoeybiMegatronLMTraining2019'],
  ['model parallelism multi-billion', 'shoeybiMegatronLMTraining2019'],
  ['few-shot learners', 'brownLanguageModelsAre2020'],
  ['language models are few shot', 'brownLanguageModelsAre2020'],
  ['brown 2020', 'brownLanguageModelsAre2020'],
  ['LongLoRA', 'chenLongLoRAEfficientFine2023'],
  ['longlora', 'chenLongLoRAEfficientFine2023'],
  ['long lora', 'chenLongLoRAEfficientFine2023'],
  ['lnoglora', 'chenLongLoRAEfficientFine2023'],
  ['MMTEB', 'enevoldsenMMTEBMassiveMultilingual2025'],
  ['massive multilingual text embedding benchmark', 'enevoldsenMMTEBMassiveMultilingual2025'],
  ['CLEX', 'chenCLEXContinuousLength2023'],
  ['continuous length extrapolation', 'chenCLEXContinuousLength2023'],
  ['LM-Infinite', 'hanLMInfiniteSimple2023'],
  ['token crisis', 'xueRepeatNotRepeat2023'],
  ['to repeat or not', 'xueRepeatNotRepeat2023'],
  ['hyperparameter scaling law', 'liPredictableScalePart2025'],
  ['survey mixture of experts', 'caiSurveyMixtureExperts2024'],
  ['Yi open foundation models', '01aiYiOpenFoundation2024'],
  ['0.1% extra compute', 'tayTranscendingScalingLaws2022'],
  ['transcending scaling laws', 'tayTranscendingScalingLaws2022'],
  ['sample reweighting', 'sowDynamicLossBased2025'],
  ['internet-augmented', 'lazaridouInternetAugmentedLanguage2022'],
  ['ULLME', 'manULLMEUnifiedFramework2024'],
  ['chameleon', 'coheningerForgetWhatYou2025'],
  ['hyperfitting', 'carlssonHyperfittingPhenomenonSharpening2024'],
  ['FineQuant', 'kimFineQuantUnlockingEfficiency2023'],
  ['finequant weight only quantization', 'kimFineQuantUnlockingEfficiency2023'],
  ['unlearning embedding corrupted prompts', 'liuLargeLanguageModel2024'],
  ['FinerCut', 'zhangFinerCutFinerGrained2024'],
  ['layer pruning', 'zhangFinerCutFinerGrained2024'],
  ['sigma differential rescaling', 'linSigmaDifferentialRescaling2025'],
  ['TransNormer', 'qinScalingTransNormer1752023'],
  ['transnromer', 'qinScalingTransNormer1752023'],
  ['stack overflow domain-specific pretraining', 'mukherjeeStackFlowingResults2023'],
  ['continually pre-train', 'ibrahimSimpleScalableStrategies2024'],
  ['telecommunications', 'maatoukTeleLLMsSeries2024'],
  ['SELF-GUIDE', 'zhaoSELFGUIDEBetter2024'],
  ['half fine-tuning', 'huiHFTHalfFine2024'],
  ['translation faithfulness', 'chenImprovingTranslationFaithfulness2023'],
  ['Chimera lossless decoding', 'zengChimeraLosslessDecoding2024'],
  ['impossible distillation', 'jungImpossibleDistillationLow2023'],
  ['over-training downstream tasks', 'gadreLanguageModelsScale2024'],
  ['OptMATH', 'luOptMATHScalableBidirectional2025'],
  ['Megatron-Turing NLG 530B', 'smithUsingDeepSpeedMegatron2022'],
  ['deepspeed megatron', 'smithUsingDeepSpeedMegatron2022'],
  ['stuffed mamba', 'chenStuffedMambaState2024'],
  ['ThinK key cache', 'xuThinKThinnerKey2024'],
  ['LongHeads', 'luLongHeadsMultiHead2024'],
  ['bayesian optimization', 'liuLargeLanguageModels2024'],
  ['frontier supercomputer distributed training', 'dashOptimizingDistributedTraining2023'],
  ['MC-MoE', 'huangMCMoEMixture2024'],
  ['mixture compressor', 'huangMCMoEMixture2024'],
  ['LongPO', 'chenLongPOLongContext2025'],
  ['NOLA', 'koohpayeganiNOLANetworksLinear2023'],
  ['Cappy', 'tanCappyOutperformingBoosting2023'],
  ['LongWriter', 'baiLongWriterUnleashing100002024'],
  ['in-context pretraining', 'shiContextPretrainingLanguage2023'],
  ['E^2-LLM', 'liuE2LLMEfficient2024'],
  ['1909.08053', 'shoeybiMegatronLMTraining2019'],
  ['arXiv:2005.14165', 'brownLanguageModelsAre2020'],
  ['chenLongLoRAEfficientFine2023', 'chenLongLoRAEfficientFine2023'],
  ['retreival augmented data importance', 'lyuImprovingRetrievalAugmented2023'],
  ['tool use iterative reinforced fine-tuning', 'zengBoostingToolUse2025'],
  ['kaplan', 'brownLanguageModelsAre2020'],
];

describe('search ranking on the built-in corpus', () => {
  const papers = builtinPapers();
  const index = PaperIndex.build(papers);
  const known = new Set(papers.map((p) => p.key));

  it('every expected key exists in the corpus', () => {
    for (const [, key] of QUERIES) if (key) assert.ok(known.has(key), key);
  });

  it('ranks the intended paper first for every query', () => {
    let top1 = 0;
    let top5 = 0;
    const misses: string[] = [];
    const cases = QUERIES.filter(([, k]) => k);
    for (const [q, key] of cases) {
      const hits = index.search(q, 5).map((h) => h.paper.key);
      if (hits[0] === key) top1++;
      else misses.push(`${q} → ${hits[0] ?? '(none)'}`);
      if (hits.includes(key)) top5++;
    }
    console.log(`    ranking: ${cases.length} queries, top-1 ${((100 * top1) / cases.length).toFixed(1)}%, top-5 ${((100 * top5) / cases.length).toFixed(1)}%`);
    if (misses.length) console.log(`    top-1 misses: ${misses.join('; ')}`);
    // at the measured level (67 of 67 first, 2026-12-06): one query falling out of first place is a regression to look at
    assert.deepEqual(misses, [], `top-1 ${top1}/${cases.length}`);
    assert.equal(top5, cases.length, `top-5 ${top5}/${cases.length}`);
  });

  it('returns nothing for an empty query and for a surname not in the corpus', () => {
    assert.deepEqual(index.search('   '), []);
    assert.deepEqual(index.search('hinton').map((h) => h.paper.key), []);
  });

  it('finds papers by year: the one 2019 paper first, others only by a mention of the year', () => {
    const hits = index.search('2019');
    assert.equal(hits[0]?.paper.key, 'shoeybiMegatronLMTraining2019');
    for (const h of hits.slice(1)) assert.ok(h.paper.year !== 2019 && h.score < hits[0].score / 2, `${h.paper.key} (${h.paper.year}) ${h.score}`);
  });

  it('loads a serialised index that answers like the built one', () => {
    const loaded = PaperIndex.load(papers, index.toBytes());
    assert.deepEqual(loaded.search('long context', 5).map((h) => h.paper.key), index.search('long context', 5).map((h) => h.paper.key));
  });
});
