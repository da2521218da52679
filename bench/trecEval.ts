/**
 * trec_eval's recall@k and nDCG@k (its `recall_10` and `ndcg_cut_10`), and ACM-CR's topics and
 * judgements split as the project tunes on them.
 *
 * - Relevance is binary: a judgement above 0 is relevant.
 * - recall@k: relevant records in the first k, over every relevant record judged for the topic
 *   (found in the library or not).
 * - nDCG@k: Σ rel / log2(rank + 1) over the first k, over the same for an ideal ranking.
 * - A run is read in score order, ties by key descending, as trec_eval does; averages are over
 *   the topics that have judgements.
 * - Records listed in the blacklist (the citing papers themselves) are taken out of runs and
 *   judgements alike.
 */
import { TrecTopic } from '../src/core/analysis/relatedTrec';

export type Qrels = Map<string, Set<string>>;

/** ACM-CR's split: `dev` is the topics whose paper id (the number without its last two digits) ends in an even digit. */
export type Split = 'dev' | 'test' | 'all';

/** Whether topic `id` belongs to `split`. */
export function inSplit(id: string, split: Split): boolean {
  if (split === 'all') return true;
  const paper = id.slice(0, -2);
  const even = /[02468]$/.test(paper);
  return split === 'dev' ? even : !even;
}

export function splitTopics(topics: readonly TrecTopic[], split: Split): TrecTopic[] {
  return topics.filter((t) => inSplit(t.id, split));
}

/** Binary judgements of the `topics` kept, without blacklisted records. */
export function parseQrels(text: string, topics: ReadonlySet<string>, blacklist: ReadonlySet<string>): Qrels {
  const q: Qrels = new Map();
  for (const line of text.split(/\r?\n/)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 4 || !topics.has(f[0]) || Number(f[3]) <= 0 || blacklist.has(f[2])) continue;
    let s = q.get(f[0]);
    if (!s) q.set(f[0], (s = new Set()));
    s.add(f[2]);
  }
  return q;
}

export interface RunEntry {
  key: string;
  score: number;
}

export interface EvalResult {
  topics: number;
  recall: number;
  ndcg: number;
  /** Per topic, for paired comparisons. */
  perTopic: Map<string, { recall: number; ndcg: number }>;
}

/** recall@k and nDCG@k of `run` (topic → ranked entries) against `qrels`. */
export function evaluate(run: ReadonlyMap<string, readonly RunEntry[]>, qrels: Qrels, blacklist: ReadonlySet<string>, k = 10): EvalResult {
  let recall = 0;
  let ndcg = 0;
  const perTopic = new Map<string, { recall: number; ndcg: number }>();
  for (const [topic, relevant] of qrels) {
    const ranked = [...(run.get(topic) ?? [])]
      .filter((e) => !blacklist.has(e.key))
      .sort((a, b) => b.score - a.score || (a.key < b.key ? 1 : a.key > b.key ? -1 : 0))
      .slice(0, k);
    let hits = 0;
    let dcg = 0;
    ranked.forEach((e, i) => {
      if (!relevant.has(e.key)) return;
      hits++;
      dcg += 1 / Math.log2(i + 2);
    });
    let ideal = 0;
    for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
    const r = hits / relevant.size;
    const n = ideal > 0 ? dcg / ideal : 0;
    perTopic.set(topic, { recall: r, ndcg: n });
    recall += r;
    ndcg += n;
  }
  const t = Math.max(1, qrels.size);
  return { topics: qrels.size, recall: recall / t, ndcg: ndcg / t, perTopic };
}
