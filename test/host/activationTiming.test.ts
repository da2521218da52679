/** Activation is cheap: the extension host starts the language server and draws its views; the library lives in the server. */
import * as assert from 'node:assert/strict';
import { citelens, searchKeys, status } from './util';

describe('activation cost', () => {
  it('activates, and the server loads the built-in corpus with its prebuilt index', async () => {
    const api = await citelens();
    const s = await status(api);
    console.log(`    activation: activate() ${api.timings.activateMs} ms from module load, library ready ${api.timings.readyMs} ms after module load, built-in corpus loaded in ${s.builtin?.ms} ms (in the server)`);
    assert.equal(s.builtin?.papers, 72);
    assert.deepEqual(await searchKeys(api, 'megatron', 1), ['shoeybiMegatronLMTraining2019']);
  });
});
