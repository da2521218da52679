/**
 * The reference the related-papers bench compares against: BM25 as Anserini runs it on ACM-CR
 * (the published baseline), rebuilt here so it is computed in the same run, on the same records.
 *
 * - One field: title, abstract and keywords concatenated (Anserini's `contents`).
 * - Analysis as Lucene's EnglishAnalyzer (Anserini's default): StandardTokenizer words (letters
 *   and digits, with inner apostrophes and periods kept), possessive `'s` removed, lower-cased,
 *   Lucene's 33 English stopwords removed, Porter stemming.
 * - BM25 with k1 = 0.9, b = 0.4, Lucene's idf log(1 + (N − df + 0.5) / (df + 0.5)); the query is a
 *   bag of words, each term weighted by its count in the query (Anserini's bag-of-words query).
 *
 * Lucene stores document lengths lossily (one byte); this uses exact lengths, which moves scores
 * by a fraction of a percent and is the only known difference.
 */
import { porterStem } from '../src/core/text/porterStemmer';

/** Lucene's `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`. */
export const LUCENE_ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '),
);

const WORD = /[\p{L}\p{N}]+(?:['’.][\p{L}\p{N}]+)*/gu;

/** Lucene EnglishAnalyzer-like terms of a text. */
export function analyzeLucene(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    let w = m[0].toLowerCase().replace(/’/g, "'");
    if (w.endsWith("'s")) w = w.slice(0, -2);
    if (!w || LUCENE_ENGLISH_STOPWORDS.has(w)) continue;
    out.push(/^[a-z]+$/.test(w) ? porterStem(w) : w);
  }
  return out;
}

/** A record as the reference indexes it. */
export interface ReferenceDoc {
  key: string;
  title?: string;
  abstract?: string;
  keywords?: readonly string[];
}

/** BM25 over title + abstract + keywords with Anserini's settings. */
export class ReferenceBm25 {
  private readonly keys: string[] = [];
  private readonly terms = new Map<string, number>();
  private readonly lengths: Int32Array;
  private postings: { docs: number[]; tfs: number[] }[] = [];
  private readonly avgLen: number;

  constructor(docs: readonly ReferenceDoc[], private readonly k1 = 0.9, private readonly b = 0.4) {
    this.lengths = new Int32Array(docs.length);
    let sum = 0;
    docs.forEach((d, i) => {
      this.keys.push(d.key);
      const words = analyzeLucene([d.title ?? '', d.abstract ?? '', ...(d.keywords ?? [])].join(' \n '));
      this.lengths[i] = words.length;
      sum += words.length;
      const tf = new Map<number, number>();
      for (const w of words) {
        let t = this.terms.get(w);
        if (t === undefined) {
          t = this.postings.length;
          this.terms.set(w, t);
          this.postings.push({ docs: [], tfs: [] });
        }
        tf.set(t, (tf.get(t) ?? 0) + 1);
      }
      for (const [t, c] of tf) {
        this.postings[t].docs.push(i);
        this.postings[t].tfs.push(c);
      }
    });
    this.avgLen = sum / Math.max(1, docs.length);
  }

  /** The `limit` best keys for a query, best first, without the `exclude`d keys. */
  search(query: string, limit: number, exclude?: ReadonlySet<string>): { key: string; score: number }[] {
    const n = this.keys.length;
    const qtf = new Map<number, number>();
    for (const w of analyzeLucene(query)) {
      const t = this.terms.get(w);
      if (t !== undefined) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    }
    const acc = new Map<number, number>();
    for (const [t, c] of qtf) {
      const { docs, tfs } = this.postings[t];
      const idf = Math.log(1 + (n - docs.length + 0.5) / (docs.length + 0.5));
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i];
        const tf = tfs[i];
        const norm = this.k1 * (1 - this.b + (this.b * this.lengths[d]) / this.avgLen);
        acc.set(d, (acc.get(d) ?? 0) + (c * idf * tf) / (tf + norm));
      }
    }
    return [...acc]
      .filter(([d]) => !exclude?.has(this.keys[d]))
      // Lucene breaks score ties by document order
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, limit)
      .map(([d, score]) => ({ key: this.keys[d], score }));
  }
}
