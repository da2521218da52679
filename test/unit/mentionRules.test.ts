/**
 * Mentions a writer can trust, on the cases real books and theses showed: R packages named after
 * ordinary words, text that is markup rather than prose, entries sharing a title or a name,
 * everyday phrases that happen to be titles, versioned model names, and sentences that cite.
 */
import * as assert from 'node:assert/strict';
import { DocumentSyntax } from '../../src/core/citations/languages';
import { Mention, MentionMatcher } from '../../src/core/analysis/mentions';
import { versionedName } from '../../src/core/analysis/mentionsNames';
import { Paper } from '../../src/core/model/paper';
import { paper } from './helpers';

const LIB: Paper[] = [
  paper({ key: 'tune', title: 'tune: Tidy Tuning Tools', entryType: 'manual' }),
  paper({ key: 'corpus', title: 'corpus: Text Corpus Analysis' }),
  paper({ key: 'sutton', title: 'Reinforcement learning: An introduction' }),
  paper({ key: 'ames', title: 'Ames, Iowa: Alternative to the Boston Housing Data' }),
  paper({ key: 'motifs', title: 'Neural Motifs: Scene Graph Parsing' }),
  paper({ key: 'rl-book', title: 'Reinforcement Learning: An Introduction' }),
  paper({ key: 'ipm', title: 'Primal-Dual Interior Point Methods' }),
  paper({ key: 'optnet-arxiv', title: 'OptNet: Differentiable Optimization as a Layer in Neural Networks', venue: 'arXiv preprint arXiv:1703.00443' }),
  paper({ key: 'optnet-icml', title: 'OptNet: Differentiable Optimization as a Layer in Neural Networks', venue: 'ICML', entryType: 'inproceedings' }),
  paper({ key: 'longlora-v1', title: 'LongLoRA: Efficient Fine-tuning of Long-Context Large Language Models', venue: 'arXiv' }),
  paper({ key: 'longlora-iclr', title: 'LongLoRA: Efficient Fine-tuning of Long-Context LLMs', venue: 'ICLR', entryType: 'inproceedings' }),
  paper({ key: 'mistral', title: 'Mistral 7B' }),
  paper({ key: 'llama2', title: 'Llama 2: Open Foundation and Fine-Tuned Chat Models' }),
  paper({ key: 'gpt4', title: 'GPT-4 Technical Report' }),
  paper({ key: 'chapter', title: 'Chapter 3 of Some Book on Things' }),
  paper({ key: 'amos17', title: 'amos17' }),
  paper({ key: 'x', title: 'x' }),
];
const matcher = new MentionMatcher(LIB);

function found(text: string, syntax: DocumentSyntax = 'markdown', cited?: string[]): [string, string, string][] {
  return matcher.scan(text, syntax, cited ? { cited } : {}).filter((m) => m.kind !== 'key').map((m: Mention) => [m.kind, m.key, text.slice(m.start, m.end)]);
}

function one(text: string, syntax: DocumentSyntax = 'markdown', cited?: string[]): Mention {
  const ms = matcher.scan(text, syntax, cited ? { cited } : {}).filter((m) => m.kind !== 'key');
  assert.equal(ms.length, 1, JSON.stringify(ms));
  return ms[0];
}

describe('mention rules', () => {
  it('does not match a name that is an ordinary lower-case word in lower-case prose, only where marked', () => {
    assert.deepEqual(found('We tune the model on a corpus of recipes.'), []);
    assert.deepEqual(found('The **tune** package and *corpus* help; so does "tune".'), [
      ['name', 'tune', 'tune'], ['name', 'corpus', 'corpus'], ['name', 'tune', 'tune'],
    ]);
    assert.deepEqual(found('The \\pkg{tune} package; we tune it.', 'latex'), [['name', 'tune', 'tune']]);
    // a title head in sentence case is a field, not a system; a capitalised one is a name
    assert.deepEqual(found('Reinforcement learning methods help. Neural Motifs too.'), [['name', 'motifs', 'Neural Motifs']]);
    assert.deepEqual(found('See *Reinforcement learning*.'), [['name', 'sutton', 'Reinforcement learning']]);
    // a place before the colon is not a name
    assert.deepEqual(found('Houses in Ames, Iowa are cheap.'), []);
  });

  it('does not read index entries, labels, references, URLs, bookdown references, attributes or code as prose', () => {
    const latex = 'Text\\index{OptNet} \\label{sec:OptNet} \\ref{OptNet} \\url{https://x.org/OptNet} % OptNet\n\\gls{OptNet} and \\acrshort{OptNet}.';
    assert.deepEqual(found(latex, 'latex'), []);
    const md = [
      '---', 'title: OptNet', '---', '',
      'See Figure \\@ref(fig:OptNet) and (ref:OptNet), [a link](https://x.org/OptNet) and `OptNet`.\\index{OptNet}',
      '![A plot](plot.png){#fig-x fig-alt="OptNet"} {{< video OptNet >}} <!-- OptNet -->',
    ].join('\n');
    assert.deepEqual(found(md), []);
    assert.deepEqual(found('But OptNet in prose is one.').map((x) => x[2]), ['OptNet']);
  });

  it('gives a mention of a shared title or name to the cited entry, else the published one, listing the others', () => {
    const title = 'As in OptNet: Differentiable Optimization as a Layer in Neural Networks, layers solve QPs.';
    const published = one(title);
    assert.equal(published.key, 'optnet-icml');
    assert.deepEqual(published.others, ['optnet-arxiv']);
    const cited = one(title, 'markdown', ['OPTNET-ARXIV']);
    assert.equal(cited.key, 'optnet-arxiv');
    assert.deepEqual(cited.others, ['optnet-icml']);
    // the document's own citations count when the project's are not given
    assert.equal(matcher.scan('OptNet is neat.\n\nLater [@optnet-arxiv].', 'markdown').find((m) => m.kind === 'name')?.key, 'optnet-arxiv');
    const name = one('LongLoRA extends context.');
    assert.equal(name.key, 'longlora-iclr');
    assert.deepEqual(name.others, ['longlora-v1']);
    assert.equal(one('Mistral 7B is small.').others, undefined);
  });

  it('takes an everyday phrase for a title only when written as one', () => {
    assert.deepEqual(found('We use primal-dual interior point methods here.'), []);
    assert.deepEqual(found('Primal-dual interior point methods are fast.'), []);
    assert.deepEqual(found('As in Primal-Dual Interior Point Methods, we go.'), [['title', 'ipm', 'Primal-Dual Interior Point Methods']]);
    assert.deepEqual(found('As in "primal-dual interior point methods", we go.'), [['title', 'ipm', 'primal-dual interior point methods']]);
    assert.deepEqual(found('As in \\emph{primal-dual interior point methods}, we go.', 'latex'), [['title', 'ipm', 'primal-dual interior point methods']]);
  });

  it('finds names with a size or version when a title starts with them', () => {
    assert.deepEqual(found('Mistral 7B beats Llama 2 and Llama-2 but not GPT-4 or GPT4.').map((x) => [x[1], x[2]]), [
      ['mistral', 'Mistral 7B'], ['llama2', 'Llama 2'], ['llama2', 'Llama-2'], ['gpt4', 'GPT-4'], ['gpt4', 'GPT4'],
    ]);
    assert.deepEqual(found('A mistral wind, Llama herds and GPT models; Chapter 3 says so.'), []);
    assert.equal(versionedName('Qwen2.5-Math: A Model'), 'Qwen2.5-Math');
    assert.equal(versionedName('Gemini 1.5: Unlocking'), 'Gemini 1.5');
    assert.equal(versionedName('Horizon 2020 Results'), undefined);
    assert.equal(versionedName('Attention Is All You Need'), undefined);
  });

  it('marks mentions whose sentence already cites, so that no "not cited" hint is given there', () => {
    const text = 'OptNet layers work [@amos17]. OptNet is also fast, e.g. on GPUs. Mistral 7B is \\citep{x} small.';
    const ms = matcher.scan(text, 'markdown').filter((m) => m.kind !== 'key');
    assert.deepEqual(ms.map((m) => [text.slice(m.start, m.end), m.sentenceCites]), [['OptNet', true], ['OptNet', false], ['Mistral 7B', true]]);
    // a key no library knows cites nothing (it is flagged on its own)
    assert.equal(matcher.scan('OptNet layers work [@nosuchkey].', 'markdown').find((m) => m.kind === 'name')?.sentenceCites, false);
    const latex = 'Uses OptNet~\\citep{amos17}.\n\nOptNet again.';
    assert.deepEqual(matcher.scan(latex, 'latex').filter((m) => m.kind !== 'key').map((m) => m.sentenceCites), [true, false]);
  });
});
