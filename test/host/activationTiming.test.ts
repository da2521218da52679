/** Activation is cheap: the built-in corpus arrives with the index the build made, nothing is indexed at activation. */
import * as assert from 'node:assert/strict';
import { citelens } from './util';

describe('activation cost', () => {
  it('activates quickly and loads the built-in corpus with its prebuilt index', async () => {
    const api = await citelens();
    console.log(`    activation: activate() ${api.timings.activateMs} ms, library ready ${api.timings.readyMs} ms after, built-in corpus loaded in ${api.libraries.builtinLoad?.ms} ms`);
    assert.equal(api.libraries.builtinLoad?.papers, 72);
    assert.ok(api.timings.activateMs < 500, `activate() took ${api.timings.activateMs} ms`);
    assert.ok(api.libraries.library.search('megatron')[0].paper.key === 'shoeybiMegatronLMTraining2019');
  });
});
