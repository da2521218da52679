/**
 * Search over a large library: time from papers to the first answered search (indexing included),
 * keystroke latency (p95 over prefixes of realistic queries, typed one character at a time),
 * and resident memory. `cachedMs` is null: there is no persisted index cache yet.
 */
import { Library } from '../src/core/library';
import { Paper } from '../src/core/paper';

export interface SearchBenchResult {
  entries: number;
  coldMs: number;
  cachedMs: number | null;
  rssMB: number;
  p95KeystrokeMs: number;
}

const QUERIES = ['neural network', 'optimization', 'smith 2010', 'graph', 'reinforcement learning', 'transformr', 'deep learning', 'bayesian inference', 'convex', 'language model'];

export async function benchSearch(papers: Paper[]): Promise<SearchBenchResult> {
  const started = process.hrtime.bigint();
  const library = new Library();
  await library.setSourceAsync({ source: 'bench', papers, diagnostics: [] });
  library.search('learning', 20);
  const coldMs = Number(process.hrtime.bigint() - started) / 1e6;
  const times: number[] = [];
  for (const q of QUERIES) {
    for (let i = 2; i <= q.length; i++) {
      const t = process.hrtime.bigint();
      library.search(q.slice(0, i), 50);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  times.sort((a, b) => a - b);
  return {
    entries: papers.length, // all indexed; the library shows duplicates (same title and year) once
    coldMs: Math.round(coldMs),
    cachedMs: null,
    rssMB: Math.round(process.memoryUsage().rss / 1e6),
    p95KeystrokeMs: Math.round(times[Math.floor(times.length * 0.95)] * 10) / 10,
  };
}
