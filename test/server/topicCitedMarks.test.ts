/**
 * The Topics view's papers come marked against the document being written, so each row can show
 * and speak "cited" or "not cited".
 */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { serverInFolder } from './serverFolder';

const MEGATRON = 'shoeybiMegatronLMTraining2019';
interface Topics {
  topics: { id: string; name: string; count: number }[];
}
interface TopicPapers {
  papers: { key: string; cited?: boolean }[];
}

describe('topic papers marked cited', function () {
  this.timeout(60_000);
  const server = serverInFolder('citelens-topics-');

  it('marks the papers the named document cites, and only when a document is named', async () => {
    const uri = 'file://' + join(server.dir, 'main.tex');
    server.client.open(uri, 'latex', `Tensor parallelism \\cite{${MEGATRON}} splits layers.\n`);
    const { topics } = await server.client.until(async () => {
      const r = await server.client.request<Topics>('citelens/topics', {});
      return r.topics.length ? r : undefined;
    }, 'the corpus topics');
    const params = { sortBy: 'title', limit: 500 };
    let found = false;
    for (const t of topics) {
      const { papers } = await server.client.request<TopicPapers>('citelens/topicPapers', { ...params, id: t.id, uri });
      for (const p of papers) assert.equal(p.cited, p.key === MEGATRON, `${t.name}: ${p.key}`);
      if (!papers.some((p) => p.key === MEGATRON)) continue;
      found = true;
      const unmarked = await server.client.request<TopicPapers>('citelens/topicPapers', { ...params, id: t.id });
      assert.ok(unmarked.papers.every((p) => p.cited === undefined), 'no document, no marks');
    }
    assert.ok(found, 'Megatron-LM sits under a topic');
  });
});
