/**
 * The relatedness engine: given a passage being written (LaTeX, Markdown or plain text), rank
 * the papers of a library by how likely the passage should cite them.
 *
 * Ranking, in two stages:
 * 1. **BM25F over stemmed terms** of title and abstract (the title field boosted), from an
 *    inverted index held in typed arrays (compressed-row postings). Query terms found in more
 *    than half of the library ("large", "language", "model" in an LLM library) are pruned; the
 *    rest are traversed rarest first under a postings budget, so a 200-word passage over 100k
 *    papers stays within milliseconds. Author mentions ("Zhao et al.") vote for papers by
 *    those authors.
 * 2. **Phrase evidence** for the best candidates: adjacent content-word pairs ("mixture of
 *    experts", "KV cache") shared by passage and paper add a BM25F-style bonus weighted by the
 *    pair's own inverse document frequency, estimated at build time with a count-min sketch.
 *
 * Every spelling of a compound counts alike ("fine-tuning", "finetuning", "fine tuning"): the
 * hyphenated compounds of the library form a dictionary that splits closed spellings. Unknown
 * words of at least five letters are expanded to the known words they are a prefix of
 * ("telecom" → "telecommunications").
 *
 * Each suggestion carries the shared terms and phrases in the paper's own wording, best first,
 * so the UI can say why. Papers the passage already cites are flagged, not hidden.
 * Pure TypeScript, no `vscode` import.
 */
import { BUILTIN_SOURCE, Paper, familyName } from '../model/paper';
import { ScanFlag, WordScan, phrasePairs } from '../text/tokenizer';
import { authorMentions, citedKeysIn, stripMarkup } from '../text/markup';
import { splitSentences } from '../text/sentences';
import { FIELD_COUNT, RelatedIndex, paperFieldTexts } from './relatedIndex';
import { evidenceOf } from './relatedEvidence';
import {
  AuthorMatch,
  DEFAULT_RELATEDNESS_PARAMS,
  FIELD_CACHE_SIZE,
  FieldAnalysis,
  PhraseRun,
  QueryPair,
  QueryTerm,
  RelatednessParams,
  Rescored,
  SuggestOptions,
  Suggestion,
} from './relatedTypes';
import { foldName, pairKey, topK } from './relatedUtil';

export { DEFAULT_RELATEDNESS_PARAMS } from './relatedTypes';
export type { RelatednessParams, SuggestOptions, Suggestion } from './relatedTypes';

/** A parsed passage. */
interface Query {
  terms: QueryTerm[];
  pairs: Map<number, QueryPair>;
  /** Every known term of the passage (phrases may use terms too common to score alone). */
  passageTerms: number[];
  authors: string[];
}

/** A sentence of the passage and its weight in the query. */
interface Segment {
  text: string;
  weight: number;
  /** It has a citation marker. */
  cites: boolean;
}

/** A numbered citation marker ("[12]", "[3, 14]", "[3–5]") or a placeholder ("[?]", "[@?]"). */
const CITATION_MARKER = /\[\s*(?:\d+(?:\s*[-–,;]\s*\d+)*|\?+|@\?*)\s*\]/;

/**
 * Reciprocal-rank fusion of rankings: the first list (the paragraph's) with weight 1, the others
 * with `weight` each; a paper keeps the evidence of the first list that has it.
 */
function fuse(lists: readonly Rescored[][], weight: number): Rescored[] {
  const K = 60;
  const by = new Map<number, { s: Rescored; score: number }>();
  lists.forEach((list, i) => {
    const w = i === 0 ? 1 : weight;
    list.forEach((s, rank) => {
      const e = by.get(s.doc);
      if (e) e.score += w / (K + rank + 1);
      else by.set(s.doc, { s, score: w / (K + rank + 1) });
    });
  });
  return [...by.values()].sort((a, b) => b.score - a.score || a.s.doc - b.s.doc).map((e) => ({ ...e.s, score: e.score * 100 }));
}

/**
 * What a passage's prose keeps as a query: numbered citation markers ("[12, 14]", "[3–5]") and
 * bare numbers (years, counts, figures) are dropped, as they match papers only by accident.
 * Words with digits ("BM25", "word2vec", "GPT-4") stay.
 */
export function cleanQuery(text: string): string {
  return text.replace(/\[\s*\d+(?:\s*[-–,;]\s*\d+)*\s*\]/g, ' ').replace(/(^|[^\p{L}\p{N}-])[\d.,]*\d(?![\p{L}\p{N}]|-\p{L})/gu, '$1 ');
}

/**
 * Ranks the papers of a library against a passage. Build once per library (100k papers with
 * abstracts take seconds), then call {@link suggest} as often as needed; {@link retuned} gives
 * an engine with other ranking parameters over the same index.
 */
export class RelatednessEngine {
  private readonly papers: readonly Paper[];
  readonly params: RelatednessParams;
  private readonly n: number;
  readonly index: RelatedIndex;
  /** Per paper and field (4 per paper, together in memory), the field's weight over its BM25 length norm. */
  private readonly norms: Float32Array;
  /** Reused for analysing fields before they are compacted into the cache. */
  private readonly scratchScan = new WordScan();
  /** Analysed fields of recently rescored papers (least recently used first). */
  private readonly fieldCache = new Map<number, FieldAnalysis[]>();
  private readonly acc: Float64Array;
  private readonly touched: Int32Array;
  /**
   * Per term: its index in the current query's term list, -2 for a passage term not scored
   * alone (too common), -1 for a term not in the passage. Reset after each query.
   */
  private readonly querySlot: Int32Array;
  /** Query number that last touched each paper (no marker array to clear per query). */
  private readonly seenIn: Uint32Array;
  private epoch = 0;

  /**
   * Indexes `papers` (title, abstract, keywords, venue), or takes a built index. Papers are
   * kept by reference; build a new engine when the library changes.
   */
  constructor(papers: readonly Paper[] | RelatedIndex, params: Partial<RelatednessParams> = {}) {
    this.index = papers instanceof RelatedIndex ? papers : new RelatedIndex(papers);
    this.papers = this.index.papers;
    this.params = { ...DEFAULT_RELATEDNESS_PARAMS, ...params };
    this.n = this.papers.length;
    this.acc = new Float64Array(this.n);
    this.touched = new Int32Array(this.n);
    this.seenIn = new Uint32Array(this.n);
    this.querySlot = new Int32Array(this.index.termSids.length).fill(-1);
    const { titleWeight, keywordsWeight, venueWeight, titleB, abstractB, keywordsB, venueB } = this.params;
    const weights = [titleWeight, 1, keywordsWeight, venueWeight];
    const bs = [titleB, abstractB, keywordsB, venueB];
    this.norms = new Float32Array(this.n * FIELD_COUNT);
    for (let f = 0; f < FIELD_COUNT; f++) {
      const len = this.index.fieldLen[f];
      const avg = this.index.avgFieldLen[f];
      const w = weights[f];
      const b = bs[f];
      if (w === 0) continue;
      for (let d = 0; d < this.n; d++) this.norms[d * FIELD_COUNT + f] = w / (1 - b + (b * len[d]) / avg);
    }
  }

  /** Whether the library has papers besides the built-in corpus. */
  private get hasUserPapers(): boolean {
    return (this.userPapers ??= this.papers.some((p) => p.source !== BUILTIN_SOURCE));
  }
  private userPapers: boolean | undefined;

  /** An engine over the same index with other ranking parameters. */
  retuned(params: Partial<RelatednessParams>): RelatednessEngine {
    return new RelatednessEngine(this.index, { ...this.params, ...params });
  }

  /** Number of papers indexed. */
  get size(): number {
    return this.n;
  }

  /** The analysed fields of paper `d`, cached. */
  private fields(d: number): FieldAnalysis[] {
    let f = this.fieldCache.get(d);
    if (f) {
      this.fieldCache.delete(d);
    } else {
      f = paperFieldTexts(this.papers[d]).map((text) => {
        const scan = this.index.scan(text, this.scratchScan);
        const terms = new Int32Array(scan.length);
        for (let i = 0; i < scan.length; i++) terms[i] = scan.words[i].stop ? -1 : this.index.termOf(scan.words[i].sid);
        return { text, scan: scan.compact(), terms, pairs: Int32Array.from(phrasePairs(scan)) };
      });
      if (this.fieldCache.size >= FIELD_CACHE_SIZE) this.fieldCache.delete(this.fieldCache.keys().next().value!);
    }
    this.fieldCache.set(d, f);
    return f;
  }

  /**
   * Papers the passage should probably cite, best first. The passage's markup is stripped
   * first (citations, references and math never count as words). Papers already cited in the
   * passage, or listed in `citedKeys`, are included and flagged `cited: true`.
   */
  suggest(passage: string, options: SuggestOptions = {}): Suggestion[] {
    const limit = Math.max(0, Math.floor(options.limit ?? 10));
    if (this.n === 0 || limit === 0 || !passage) return [];
    const cited = citedKeysIn(passage);
    if (options.citedKeys) for (const k of options.citedKeys) cited.add(k);
    const prose = stripMarkup(passage, options.syntax);
    const segments = this.segments(prose);
    const { contextWeight } = this.params;
    const context = options.context?.trim() && contextWeight > 0 ? [{ text: options.context, weight: contextWeight, cites: false }] : [];
    const query = this.parseQuery([...segments, ...context]);
    if (query.terms.length === 0 && query.authors.length === 0) return [];
    const excluded = new Set<number>();
    for (const key of options.exclude ?? []) {
      const d = this.index.docOfKey(key);
      if (d !== undefined) excluded.add(d);
    }
    const depth = Math.max(this.params.candidates, 3 * limit);
    let scored = this.rankWithFeedback(query, depth, excluded);
    const citing = segments.filter((s) => s.cites);
    if (this.params.sentenceFusion > 0 && citing.length > 1) {
      const lists = [scored];
      for (const c of citing) {
        const q = this.parseQuery([{ text: c.text, weight: 1, cites: true }]);
        if (q.terms.length) lists.push(this.rankWithFeedback(q, depth, excluded));
      }
      scored = fuse(lists, this.params.sentenceFusion);
    }
    scored = this.keepCloseBuiltins(scored);
    return scored.slice(0, limit).map((s) => {
      const p = this.papers[s.doc];
      return {
        key: p.key,
        title: p.title,
        score: Math.round(s.score * 1000) / 1000,
        evidence: evidenceOf(s),
        cited: cited.has(p.key),
      };
    });
  }

  /**
   * The passage's prose as weighted sentences: cleaned ({@link cleanQuery}), and the sentences
   * without a citation marker weighted down when others have one.
   */
  private segments(prose: string): Segment[] {
    const { cleanQuery: clean, uncitedSentenceWeight } = this.params;
    const sentences = splitSentences(prose).map((text) => ({ text: clean ? cleanQuery(text) : text, weight: 1, cites: CITATION_MARKER.test(text) }));
    if (sentences.some((s) => s.cites)) for (const s of sentences) if (!s.cites) s.weight = uncitedSentenceWeight;
    return sentences.filter((s) => s.weight > 0 && s.text.trim());
  }

  /**
   * Built-in corpus papers only where they are really close ({@link RelatednessParams.builtinMinRatio});
   * all of them when the library is the built-in corpus alone.
   */
  private keepCloseBuiltins(scored: Rescored[]): Rescored[] {
    if (!this.hasUserPapers) return scored;
    const isBuiltin = (s: Rescored) => this.papers[s.doc].source === BUILTIN_SOURCE;
    const best = scored.find((s) => !isBuiltin(s))?.score ?? 0;
    const min = best * this.params.builtinMinRatio;
    return scored.filter((s) => !isBuiltin(s) || (s.score >= min && (s.pairScore.size > 0 || s.termScore.size >= 3)));
  }

  /** {@link rank}, then again with RM3 feedback when it is on. */
  private rankWithFeedback(query: Query, depth: number, excluded: ReadonlySet<number>): Rescored[] {
    const scored = this.rank(query, depth, excluded);
    if (this.params.feedbackDocs > 0 && scored.length > 0) {
      const expanded = this.feedback(query, scored);
      if (expanded) return this.rank(expanded, depth, excluded);
    }
    return scored;
  }

  /** The query terms (known stems, not too common), phrases and author mentions of weighted prose. */
  private parseQuery(segments: readonly Segment[]): Query {
    const { k3, maxDocFrequency, compoundWeight, prefixWeight } = this.params;
    const index = this.index;
    const qtf = new Map<number, number>();
    const pairCount = new Map<number, number>();
    const pairs = new Map<number, QueryPair>();
    const maxDf = Math.max(1, maxDocFrequency * this.n);
    const passage = new Set<number>();
    const authors: string[] = [];
    for (const seg of segments) {
    const scan = index.scan(seg.text);
    const ids = new Int32Array(scan.length).fill(-1);
    for (let i = 0; i < scan.length; i++) {
      const w = scan.words[i];
      if (w.stop) continue;
      const compound = (scan.flags[i] & ScanFlag.Compound) !== 0;
      const t = index.termOf(w.sid);
      if (t < 0) {
        // an unknown word may be a truncation of known ones ("telecom" → "telecommunications")
        if (!compound && w.stem.length >= 5 && /^[a-z]+$/.test(w.stem)) {
          for (const ext of index.prefixExpansions(w.stem)) qtf.set(ext, (qtf.get(ext) ?? 0) + seg.weight * prefixWeight);
        }
        continue;
      }
      ids[i] = t;
      // The joined form of a compound bridges to closed spellings only where the library never
      // hyphenates it; otherwise the library's closed spellings are split into parts already,
      // and the joined form would only favour papers that hyphenate over those that write spaces.
      const weight = compound ? (index.compounds.has(w.norm) ? 0 : compoundWeight) : 1;
      if (weight > 0) qtf.set(t, (qtf.get(t) ?? 0) + seg.weight * weight);
      passage.add(t);
    }
    const qp = phrasePairs(scan);
    for (let j = 0; j < qp.length; j += 2) {
      const a = ids[qp[j]];
      const b = ids[qp[j + 1]];
      if (a < 0 || b < 0) continue;
      const k = pairKey(a, b);
      pairCount.set(k, (pairCount.get(k) ?? 0) + seg.weight);
      if (!pairs.has(k)) {
        const df = index.pairDf(a, b);
        if (df === 0 || df > maxDf) continue;
        pairs.set(k, { idf: index.idf(df), weight: 0 });
      }
    }
    authors.push(...authorMentions(seg.text));
    }
    const saturate = (c: number) => ((k3 + 1) * c) / (k3 + c);
    const terms: QueryTerm[] = [];
    for (const [term, c] of qtf) {
      const df = index.df[term];
      if (df === 0 || df > maxDf || c <= 0) continue;
      terms.push({ term, idf: index.idf(df), weight: saturate(c) });
    }
    for (const [k, q] of pairs) q.weight = saturate(pairCount.get(k) ?? 1);
    return { terms, pairs, passageTerms: [...passage], authors: [...new Set(authors)] };
  }

  /** Stage 1 (BM25F over the postings) then stage 2 (rescoring the best `depth` with phrases). */
  private rank(query: Query, depth: number, excluded: ReadonlySet<number>): Rescored[] {
    const { k1, postingsBudget } = this.params;
    const index = this.index;
    const qterms = [...query.terms].sort((x, y) => y.idf - x.idf);
    const acc = this.acc;
    const touched = this.touched;
    const seenIn = this.seenIn;
    const epoch = (this.epoch = (this.epoch + 1) >>> 0 || 1);
    if (epoch === 1) seenIn.fill(0);
    let nTouched = 0;
    let visited = 0;
    const postDocs = index.postDocs;
    const postTfs = index.postTfs;
    const norms = this.norms;
    // rarest terms first, under a postings budget
    for (const q of qterms) {
      const from = index.offsets[q.term];
      const to = index.offsets[q.term + 1];
      if (visited > 0 && visited + (to - from) > postingsBudget) continue;
      visited += to - from;
      const w = q.idf * q.weight;
      for (let i = from; i < to; i++) {
        const d = postDocs[i];
        const p = postTfs[i];
        const o = d * 4;
        const tf = (p & 0xff) * norms[o] + ((p >>> 8) & 0xff) * norms[o + 1] + ((p >>> 16) & 0xff) * norms[o + 2] + (p >>> 24) * norms[o + 3];
        if (tf === 0) continue;
        if (seenIn[d] !== epoch) {
          seenIn[d] = epoch;
          touched[nTouched++] = d;
          acc[d] = 0;
        }
        acc[d] += (w * tf) / (k1 + tf);
      }
    }
    // author mentions ("Zhao et al.") vote for papers by those authors
    const authorMatches = new Map<number, AuthorMatch>();
    for (const name of query.authors) {
      const docs = index.authorDocs.get(name);
      if (!docs) continue;
      const w = this.params.authorWeight * index.idf(docs.length);
      for (const d of docs) {
        const p = this.papers[d];
        const first = foldName(familyName(p.authors[0] ?? '')) === name;
        const bonus = first ? w : w / 2;
        const prev = authorMatches.get(d);
        if (prev && prev.score >= bonus) continue;
        const shown = p.authors.map(familyName).find((f) => foldName(f) === name) ?? name;
        authorMatches.set(d, { score: bonus, label: first && p.authors.length > 2 ? `${shown} et al.` : shown });
        if (seenIn[d] !== epoch) {
          seenIn[d] = epoch;
          touched[nTouched++] = d;
          acc[d] = 0;
        }
        acc[d] += bonus - (prev?.score ?? 0);
      }
    }
    for (const d of excluded) if (seenIn[d] === epoch) acc[d] = -Infinity;
    const cands = topK(acc, touched, nTouched, depth).filter((d) => acc[d] > -Infinity);

    // stage 2: rescoring with phrase evidence
    const slot = this.querySlot;
    for (const t of query.passageTerms) slot[t] = -2;
    qterms.forEach((q, i) => (slot[q.term] = i));
    let scored: Rescored[];
    try {
      scored = cands.map((d) => this.rescore(d, qterms, query.pairs, authorMatches.get(d)));
    } finally {
      for (const t of query.passageTerms) slot[t] = -1;
      for (const q of qterms) slot[q.term] = -1;
    }
    return scored.sort((x, y) => y.score - x.score || x.doc - y.doc);
  }

  /**
   * RM3 pseudo-relevance feedback: the terms of the best-ranked papers, weighted by how much of
   * each paper they make up and by the paper's score, mixed with the original query.
   */
  private feedback(query: Query, scored: readonly Rescored[]): Query | undefined {
    const { feedbackDocs, feedbackTerms, feedbackOriginalWeight: lambda, maxDocFrequency } = this.params;
    const top = scored.slice(0, feedbackDocs);
    const max = top[0].score;
    if (!(max > 0)) return undefined;
    const maxDf = Math.max(1, maxDocFrequency * this.n);
    const model = new Map<number, number>();
    let docWeightSum = 0;
    for (const s of top) {
      // scores are log-like: exponentiate relative to the best so weights fall off sharply
      const dw = Math.exp(s.score - max);
      docWeightSum += dw;
      let len = 0;
      const counts = new Map<number, number>();
      for (let f = 0; f < 3; f++) {
        for (const t of s.fields[f].terms) {
          if (t < 0) continue;
          len++;
          counts.set(t, (counts.get(t) ?? 0) + 1);
        }
      }
      if (len === 0) continue;
      for (const [t, c] of counts) model.set(t, (model.get(t) ?? 0) + (dw * c) / len);
    }
    const candidates = [...model]
      .filter(([t]) => this.index.df[t] <= maxDf && this.index.df[t] > 1)
      .map(([t, p]) => [t, (p / docWeightSum) * this.index.idf(this.index.df[t])] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, feedbackTerms);
    const expSum = candidates.reduce((x, [, w]) => x + w, 0);
    const origSum = query.terms.reduce((x, q) => x + q.weight, 0);
    if (expSum <= 0 || origSum <= 0) return undefined;
    const terms = new Map<number, QueryTerm>();
    for (const q of query.terms) terms.set(q.term, { ...q, weight: lambda * q.weight });
    for (const [t, w] of candidates) {
      const add = ((1 - lambda) * w * origSum) / expSum;
      const prev = terms.get(t);
      if (prev) prev.weight += add;
      else terms.set(t, { term: t, idf: this.index.idf(this.index.df[t]), weight: add });
    }
    return { ...query, terms: [...terms.values()] };
  }

  /** Full score of one candidate (terms, phrases, author) and what its evidence needs. */
  private rescore(
    d: number,
    qterms: readonly QueryTerm[],
    qpairs: ReadonlyMap<number, QueryPair>,
    author: AuthorMatch | undefined,
  ): Rescored {
    const { k1, phraseWeight } = this.params;
    const slot = this.querySlot;
    const fields = this.fields(d);
    const fieldScale = Array.from(this.norms.subarray(d * FIELD_COUNT, (d + 1) * FIELD_COUNT));
    const sat = (tf: number) => tf / (k1 + tf);

    // weighted term frequencies of the query terms
    const tf = new Float64Array(qterms.length);
    for (let f = 0; f < FIELD_COUNT; f++) {
      if (fieldScale[f] === 0) continue;
      const terms = fields[f].terms;
      for (let i = 0; i < terms.length; i++) {
        const t = terms[i];
        if (t >= 0 && slot[t] >= 0) tf[slot[t]] += fieldScale[f];
      }
    }
    const termScore = new Map<number, number>();
    let score = 0;
    for (let i = 0; i < qterms.length; i++) {
      if (tf[i] === 0) continue;
      const q = qterms[i];
      const s = q.idf * q.weight * sat(tf[i]);
      termScore.set(q.term, s);
      score += s;
    }

    // phrases: shared pairs, their frequencies, and runs of consecutive shared pairs
    const pairTf = new Map<number, number>();
    const runs: PhraseRun[] = [];
    for (let f = 0; f < FIELD_COUNT; f++) {
      if (fieldScale[f] === 0) continue;
      const { terms, pairs } = fields[f];
      let run: PhraseRun | undefined;
      for (let j = 0; j < pairs.length; j += 2) {
        const a = pairs[j];
        const b = pairs[j + 1];
        const ta = terms[a];
        const tb = terms[b];
        const k = ta >= 0 && tb >= 0 && slot[ta] !== -1 && slot[tb] !== -1 ? pairKey(ta, tb) : -1;
        if (k < 0 || !qpairs.has(k)) {
          run = undefined;
          continue;
        }
        pairTf.set(k, (pairTf.get(k) ?? 0) + fieldScale[f]);
        if (run && run.last === a) {
          run.last = b;
          run.pairs.push(k);
          run.terms.push(tb);
        } else {
          run = { field: f, first: a, last: b, pairs: [k], terms: [ta, tb] };
          runs.push(run);
        }
      }
    }
    const pairScore = new Map<number, number>();
    for (const [k, ptf] of pairTf) {
      const q = qpairs.get(k)!;
      const s = phraseWeight * q.idf * q.weight * sat(ptf);
      pairScore.set(k, s);
      score += s;
    }
    if (author) score += author.score;
    return { doc: d, score, fields, termScore, pairScore, runs, author };
  }
}
