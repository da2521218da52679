/** The one sentence splitter: abstracts in hovers, "cite at the end of the sentence", mention hints. */
import * as assert from 'node:assert/strict';
import { nextSentenceEnd, splitSentences, startsSentence } from '../../src/core/text/sentences';
import { firstSentences } from '../../src/core/render/cardMarkdown';
import { sentenceEndAt } from '../../src/core/text/paragraph';

describe('sentences', () => {
  it('splits at full stops, question and exclamation marks followed by a space or the end', () => {
    assert.deepEqual(splitSentences('One is here. Two? Three! Four'), ['One is here.', 'Two?', 'Three!', 'Four']);
    assert.deepEqual(splitSentences('It said "stop." Then it went (far away.) Done.'), ['It said "stop."', 'Then it went (far away.)', 'Done.']);
    assert.deepEqual(splitSentences('Wait... Then 3.5 points.'), ['Wait...', 'Then 3.5 points.']);
  });

  it('does not end a sentence at e.g., i.e., et al., cf., Fig., Eq. or vs.', () => {
    const abstract = 'Recurrent models (e.g., Mamba and RWKV) are trained differently, i.e. in parallel. ' +
      'Chen et al. Showed this in Fig. 3 and Eq. 2, cf. Sec. 4. Transformers vs. RNNs is open. Last.';
    assert.deepEqual(splitSentences(abstract), [
      'Recurrent models (e.g., Mamba and RWKV) are trained differently, i.e. in parallel.',
      'Chen et al. Showed this in Fig. 3 and Eq. 2, cf. Sec. 4.',
      'Transformers vs. RNNs is open.',
      'Last.',
    ]);
  });

  it('does not end at an initial or before a lower-case word, but ends at "etc." before a capital', () => {
    assert.deepEqual(splitSentences('Work by J. Smith and A. B. Jones. Models etc. are used. Tools, data, etc. Then more.'), [
      'Work by J. Smith and A. B. Jones.', 'Models etc. are used.', 'Tools, data, etc.', 'Then more.',
    ]);
    assert.deepEqual(splitSentences('See No. 5 here. The answer is no. Then go.'), ['See No. 5 here.', 'The answer is no.', 'Then go.']);
  });

  it('the hover abstract keeps "e.g." inside its first sentences', () => {
    const abstract = 'Transformers are slow during inference (e.g., Mamba and RWKV are not). Our model is fast. It is small.';
    assert.equal(firstSentences(abstract, 2), 'Transformers are slow during inference (e.g., Mamba and RWKV are not). Our model is fast. …');
    assert.equal(firstSentences(abstract, 5), abstract);
    assert.equal(firstSentences('No final stop', 2), 'No final stop');
    assert.equal(firstSentences('', 2), '');
  });

  it('finds where a citation goes, past "e.g." and "Fig."', () => {
    const text = 'Models such as, e.g. GPT, do well (see Fig. 2). Next one.';
    assert.equal(sentenceEndAt(text, 0), text.indexOf('. Next'));
    assert.equal(nextSentenceEnd(text, 0), text.indexOf('. Next'));
    assert.equal(nextSentenceEnd('No end here', 0), -1);
  });

  it('knows when a word opens a sentence', () => {
    const text = 'First. Second, e.g. Third: Fourth';
    assert.ok(startsSentence(text, 0));
    assert.ok(startsSentence(text, text.indexOf('Second')));
    assert.ok(!startsSentence(text, text.indexOf('Third')));
    assert.ok(startsSentence(text, text.indexOf('Fourth')));
  });
});
