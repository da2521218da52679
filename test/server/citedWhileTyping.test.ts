/**
 * The Cited view's request while a key is typed: a half-typed key is not reported as unknown
 * while the cursor is in it (also when the editor has closed the brace already), and is once the
 * cursor has left it.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from './lspClient';

interface Cited {
  nodes: { key: string; paper?: unknown }[];
}

describe('cited keys while a key is typed', function () {
  this.timeout(60_000);
  let dir: string;
  let client: LspClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'citelens-cited-'));
    client = new LspClient();
    await client.initialize(dir);
  });
  after(async () => {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a key unknown only once the cursor has left it', async () => {
    const uri = 'file://' + join(dir, 'main.tex');
    const line = 'Long contexts \\cite{shoeybiMegatronLMTraining2019,longlo} cost.';
    client.open(uri, 'latex', line + '\n');
    const inKey = line.indexOf('longlo') + 'longlo'.length;
    const keysAt = async (character: number) => {
      const r = await client.request<Cited | null>('citelens/cited', { uri, position: { line: 0, character } });
      return (r?.nodes ?? []).map((n) => `${n.key}${n.paper ? '' : ' (unknown)'}`);
    };
    // the corpus paper is known once the server has loaded it
    await client.until(async () => ((await keysAt(inKey)).includes('shoeybiMegatronLMTraining2019') ? true : undefined), 'the corpus loaded');
    // typing "longlo" with the closing brace already there (an editor that closes braces)
    assert.deepEqual(await keysAt(inKey), ['shoeybiMegatronLMTraining2019']);
    assert.deepEqual(await keysAt(inKey - 3), ['shoeybiMegatronLMTraining2019']);
    // the cursor moved on: past the brace, or elsewhere in the line
    assert.deepEqual(await keysAt(inKey + 1), ['shoeybiMegatronLMTraining2019', 'longlo (unknown)']);
    assert.deepEqual(await keysAt(0), ['shoeybiMegatronLMTraining2019', 'longlo (unknown)']);
  });
});
