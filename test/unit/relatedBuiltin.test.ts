/**
 * The writer's case: with the user's own library loaded, the built-in corpus (LLM papers) is
 * suggested only when it really is close to the paragraph, never for sharing words like
 * "compute", "time" or "large".
 */
import * as assert from 'node:assert/strict';
import { RelatednessEngine } from '../../src/core/analysis/related';
import { BUILTIN_SOURCE, Paper } from '../../src/core/model/paper';
import { builtinPapers, paper } from './helpers';

const user = (key: string, title: string, abstract: string): Paper => paper({ key, title, abstract, source: 'refs.bib' });

/** Two papers per topic, so that the rest of a top 5 is contested, and papers on other topics. */
const LIBRARY: Paper[] = [
  user('rasmussen2006', 'Gaussian Processes for Machine Learning', 'Gaussian processes provide a principled, practical, probabilistic approach to learning in kernel machines, with covariance functions, model selection and marginal likelihood.'),
  user('titsias2009', 'Variational Learning of Inducing Variables in Sparse Gaussian Processes', 'Sparse approximations of Gaussian process regression select inducing inputs by maximising a variational lower bound on the marginal likelihood.'),
  user('boyd2004', 'Convex Optimization', 'Convex optimization problems arise frequently; interior-point methods solve them efficiently, with duality, optimality conditions and applications.'),
  user('nesterov1983', 'A Method for Solving the Convex Programming Problem with Convergence Rate O(1/k^2)', 'An accelerated gradient method for smooth convex functions reaches the optimal convergence rate among first-order methods.'),
  user('porter1980', 'An Algorithm for Suffix Stripping', 'The automatic removal of suffixes from words in English is useful in information retrieval; a simple algorithm for suffix stripping reduces vocabulary size.'),
  user('lovins1968', 'Development of a Stemming Algorithm', 'A stemming procedure removes endings from English words, conflating word forms for document retrieval and indexing.'),
  user('hochreiter1997', 'Long Short-Term Memory', 'Recurrent networks learn to store information over extended time intervals with a gradient-based method and constant error carousels.'),
  user('dijkstra1959', 'A Note on Two Problems in Connexion with Graphs', 'Shortest paths in a graph with non-negative edge lengths are found by a greedy algorithm.'),
  user('knuth1984', 'Literate Programming', 'Programs written as works of literature, explaining to human beings what we want a computer to do.'),
];

const PARAGRAPHS = {
  'Gaussian processes':
    'We place a Gaussian process prior over the latent function and choose the kernel hyperparameters by maximising the marginal likelihood. Exact inference takes cubic time in the number of training points, so for large datasets we compute a sparse approximation with inducing points, which keeps the model tractable while retaining calibrated uncertainty.',
  'convex optimisation':
    'The training objective is convex, so any local minimum is global. We solve it with an accelerated first-order method, which needs only gradient computations and converges at the optimal rate for smooth problems; for the constrained variant we use an interior-point solver and check the duality gap to decide when to stop.',
  stemming:
    'Before indexing, every word is reduced to its stem by stripping suffixes, so that "connected", "connection" and "connecting" match one another. Stemming shrinks the vocabulary and improves recall, although aggressive suffix removal can conflate unrelated words and take precision down.',
};

describe('related papers: the built-in corpus beside a user library', () => {
  const papers = [...LIBRARY, ...builtinPapers()];
  const engine = new RelatednessEngine(papers);
  const builtinKeys = new Set(builtinPapers().map((p) => p.key));
  const top5 = (e: RelatednessEngine, text: string) => e.suggest(text, { limit: 5 }).map((s) => s.key);

  for (const [topic, text] of Object.entries(PARAGRAPHS)) {
    it(`a paragraph about ${topic}: the user's papers on it first, no LLM paper in the top 5`, () => {
      const keys = top5(engine, text);
      assert.ok(keys.length >= 2, keys.join(' '));
      assert.deepEqual(keys.filter((k) => builtinKeys.has(k)), [], `top 5: ${keys.join(', ')}`);
      const own = LIBRARY.filter((p) => keys.slice(0, 2).includes(p.key)).length;
      assert.equal(own, 2, `the two ${topic} papers lead: ${keys.join(', ')}`);
    });
  }

  it('without the rule, LLM papers would fill those top 5s (so the rule is what keeps them out)', () => {
    const loose = engine.retuned({ builtinMinRatio: 0 });
    const leaked = Object.values(PARAGRAPHS).flatMap((t) => top5(loose, t).filter((k) => builtinKeys.has(k)));
    assert.ok(leaked.length > 0, 'no LLM paper matched any paragraph even without the rule');
  });

  it('a built-in paper is still suggested when it really is the paper the paragraph describes', () => {
    const megatron = builtinPapers().find((p) => /^Megatron-LM/.test(p.title));
    assert.ok(megatron, 'the corpus has the Megatron-LM paper');
    const keys = top5(engine, 'We split the matrix multiplications of each transformer layer across GPUs (intra-layer model parallelism), which trains language models with billions of parameters without a new compiler.');
    assert.equal(keys[0], megatron.key);
    assert.equal(papers.find((p) => p.key === keys[0])?.source, BUILTIN_SOURCE);
  });

  it('with the built-in corpus alone, its papers are suggested as before', () => {
    const only = new RelatednessEngine(builtinPapers());
    assert.ok(only.suggest(PARAGRAPHS['Gaussian processes'], { limit: 5 }).length > 0);
  });
});
