/**
 * Search and Cite's answer sets weak matches apart: hits scoring far below the best one come after
 * `strongCount` (the QuickPick puts a "weaker matches" separator there), and a query with no match
 * answers no hits (the QuickPick then says so and offers the corpus or a library).
 */
import * as assert from 'node:assert/strict';
import { serverInFolder } from './serverFolder';

interface SearchResult {
  hits: { paper: { key: string; title: string }; score: number }[];
  strongCount: number;
  complete: boolean;
}

describe('search: weak matches set apart', function () {
  this.timeout(60_000);
  const server = serverInFolder('citelens-search-');

  it('"mixture of experts": the mixture-of-experts papers first, unrelated ones after the cut', async () => {
    const r = await server.client.until(async () => {
      const s = await server.client.request<SearchResult>('citelens/search', { query: 'mixture of experts', limit: 10 });
      return s.complete && s.hits.length ? s : undefined;
    }, 'the corpus searched');
    assert.ok(r.strongCount >= 1 && r.strongCount < r.hits.length, `strongCount ${r.strongCount} of ${r.hits.length}`);
    const strong = r.hits.slice(0, r.strongCount).map((h) => h.paper.title);
    const weak = r.hits.slice(r.strongCount).map((h) => h.paper.title);
    for (const t of strong) assert.match(t, /mixture|moe/i, `a strong hit: ${t}`);
    for (const t of weak) assert.doesNotMatch(t, /mixture of experts/i, `a weak hit: ${t}`);
  });

  it('a query nothing matches answers no hits', async () => {
    const r = await server.client.request<SearchResult>('citelens/search', { query: 'qzxvkjw', limit: 10 });
    assert.deepEqual(r.hits, []);
  });
});
