/**
 * The Cited view's request while a key is typed: a half-typed key is not reported as unknown
 * while the cursor is in it (also when the editor has closed the brace already), and is once the
 * cursor has left it.
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverInFolder } from './serverFolder';

interface Cited {
  nodes: { key: string; paper?: unknown }[];
}

describe('cited keys while a key is typed', function () {
  this.timeout(60_000);
  const server = serverInFolder('citelens-cited-');

  it('reports a key unknown only once the cursor has left it', async () => {
    const uri = 'file://' + join(server.dir, 'main.tex');
    const line = 'Long contexts \\cite{shoeybiMegatronLMTraining2019,longlo} cost.';
    server.client.open(uri, 'latex', line + '\n');
    const inKey = line.indexOf('longlo') + 'longlo'.length;
    const keysAt = async (character: number) => {
      const r = await server.client.request<Cited | null>('citelens/cited', { uri, position: { line: 0, character } });
      return (r?.nodes ?? []).map((n) => `${n.key}${n.paper ? '' : ' (unknown)'}`);
    };
    // the corpus paper is known once the server has loaded it
    await server.client.until(async () => ((await keysAt(inKey)).includes('shoeybiMegatronLMTraining2019') ? true : undefined), 'the corpus loaded');
    // typing "longlo" with the closing brace already there (an editor that closes braces)
    assert.deepEqual(await keysAt(inKey), ['shoeybiMegatronLMTraining2019']);
    assert.deepEqual(await keysAt(inKey - 3), ['shoeybiMegatronLMTraining2019']);
    // the cursor moved on: past the brace, or elsewhere in the line
    assert.deepEqual(await keysAt(inKey + 1), ['shoeybiMegatronLMTraining2019', 'longlo (unknown)']);
    assert.deepEqual(await keysAt(0), ['shoeybiMegatronLMTraining2019', 'longlo (unknown)']);
  });
});
