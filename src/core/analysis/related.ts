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
import { Paper, familyName } from '../model/paper';
import {
  CompoundDictionary,
  ScanFlag,
  WordScan,
  authorMentions,
  citedKeysIn,
  collectCompounds,
  phrasePairs,
  scanWords,
  stemId,
  stemOfId,
  stripMarkup,
} from '../text/textAnalysis';
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
import { IntBuffer, fieldText, foldName, pairHash, pairKey, rehash, topK } from './relatedUtil';

export { DEFAULT_RELATEDNESS_PARAMS } from './relatedTypes';
export type { RelatednessParams, SuggestOptions, Suggestion } from './relatedTypes';

/**
 * Ranks the papers of a library against a passage. Build once per library (100k papers with
 * abstracts take seconds), then call {@link suggest} as often as needed.
 */
export class RelatednessEngine {
  private readonly papers: readonly Paper[];
  private readonly params: RelatednessParams;
  private readonly n: number;
  /** Process-wide stem id → this library's term id (-1: not in the library). */
  private sidToTerm = new Int32Array(1 << 16).fill(-1);
  /** Term id → process-wide stem id. */
  private readonly termSids = new IntBuffer(1 << 14);
  private df: Int32Array = new Int32Array(0);
  private offsets: Int32Array = new Int32Array(1);
  private postDocs: Int32Array = new Int32Array(0);
  /** BM25F term weight tf/(k1+tf) of each posting, in units of 1/65535 (stage 1 only selects candidates). */
  private postWeights: Uint16Array = new Uint16Array(0);
  private readonly titleLen: Uint16Array;
  private readonly absLen: Uint16Array;
  private avgTitleLen = 1;
  private avgAbsLen = 1;
  /** Count-min sketch (two rows) of the document frequency of word pairs. */
  private readonly pairRow0: Uint16Array;
  private readonly pairRow1: Uint16Array;
  private readonly pairMask: number;
  /** Hyphenated compounds of the library, to split their closed spellings alike. */
  private readonly compounds: CompoundDictionary = new Map();
  /** Folded family name → papers with an author of that name. */
  private readonly authorDocs = new Map<string, number[]>();
  /** The library's stems sorted, for prefix expansion; built on first use. */
  private sortedStems: string[] | undefined;
  /** Reused for analysing fields before they are compacted into the cache. */
  private readonly scratchScan = new WordScan();
  /** Analysed title and abstract of recently rescored papers (least recently used first). */
  private readonly fieldCache = new Map<number, FieldAnalysis[]>();
  private readonly acc: Float64Array;
  private readonly touched: Int32Array;
  /**
   * Per term: its index in the current query's term list, -2 for a passage term not scored
   * alone (too common), -1 for a term not in the passage. Reset after each query.
   */
  private querySlot: Int32Array = new Int32Array(0);
  /** Query number that last touched each paper (no marker array to clear per query). */
  private readonly seenIn: Uint32Array;
  private epoch = 0;

  /**
   * Indexes `papers` (title and abstract). Papers are kept by reference; build a new engine
   * when the library changes.
   */
  constructor(papers: readonly Paper[], params: Partial<RelatednessParams> = {}) {
    this.papers = papers;
    this.params = { ...DEFAULT_RELATEDNESS_PARAMS, ...params };
    this.n = papers.length;
    this.titleLen = new Uint16Array(this.n);
    this.absLen = new Uint16Array(this.n);
    this.acc = new Float64Array(this.n);
    this.touched = new Int32Array(this.n);
    this.seenIn = new Uint32Array(this.n);
    const sketchBits = Math.min(22, Math.max(12, Math.ceil(Math.log2(this.n * 256 + 1))));
    this.pairRow0 = new Uint16Array(1 << sketchBits);
    this.pairRow1 = new Uint16Array(1 << sketchBits);
    this.pairMask = (1 << sketchBits) - 1;
    this.build();
  }

  /** Key → paper number, built on first use (for excluded keys). */
  private keyDocs: Map<string, number> | undefined;

  private docOfKey(): Map<string, number> {
    if (!this.keyDocs) {
      this.keyDocs = new Map();
      this.papers.forEach((p, d) => this.keyDocs!.set(p.key, d));
    }
    return this.keyDocs;
  }

  /** Number of papers indexed. */
  get size(): number {
    return this.n;
  }

  /** This library's term id of a stem id, or -1. */
  private termOf(sid: number): number {
    return sid < this.sidToTerm.length ? this.sidToTerm[sid] : -1;
  }

  /** The term id of a stem id, created when new (build time only). */
  private addTerm(sid: number): number {
    if (sid >= this.sidToTerm.length) {
      let size = this.sidToTerm.length;
      while (size <= sid) size *= 2;
      const next = new Int32Array(size).fill(-1);
      next.set(this.sidToTerm);
      this.sidToTerm = next;
    }
    let t = this.sidToTerm[sid];
    if (t < 0) {
      t = this.termSids.length;
      this.termSids.push(sid);
      this.sidToTerm[sid] = t;
    }
    return t;
  }

  private analyze(s: string | undefined, into?: WordScan): { text: string; scan: WordScan } {
    const text = fieldText(s);
    return { text, scan: scanWords(text, this.compounds, into) };
  }

  /** The analysed title and abstract of paper `d`, cached. */
  private fields(d: number): FieldAnalysis[] {
    let f = this.fieldCache.get(d);
    if (f) {
      this.fieldCache.delete(d);
    } else {
      const p = this.papers[d];
      f = [p.title, p.abstract].map((s) => {
        const { text, scan } = this.analyze(s, this.scratchScan);
        const terms = new Int32Array(scan.length);
        for (let i = 0; i < scan.length; i++) terms[i] = scan.words[i].stop ? -1 : this.termOf(scan.words[i].sid);
        return { text, scan: scan.compact(), terms, pairs: Int32Array.from(phrasePairs(scan)) };
      });
      if (this.fieldCache.size >= FIELD_CACHE_SIZE) this.fieldCache.delete(this.fieldCache.keys().next().value!);
    }
    this.fieldCache.set(d, f);
    return f;
  }

  private build(): void {
    const { k1, titleWeight, titleB, abstractB } = this.params;
    for (const p of this.papers) {
      collectCompounds(p.title ?? '', this.compounds);
      collectCompounds(p.abstract ?? '', this.compounds);
    }
    // pass 1: per-paper term frequencies, field lengths, pair sketch, author index
    const docStart = new Int32Array(this.n + 1);
    const terms = new IntBuffer(1 << 16);
    const tfs = new IntBuffer(1 << 16); // title tf in the high 16 bits, abstract tf in the low 16
    let sumTitle = 0;
    let sumAbs = 0;
    let tfScratch = new Int32Array(1 << 14); // per term id, packed like `tfs`
    const docTerms = new IntBuffer(256);
    // per-paper set of pair hashes: open addressing, stamped with the paper number
    let pairSlots = new Int32Array(1 << 12);
    let pairStamp = new Int32Array(1 << 12);
    const scan = new WordScan();
    const pairs: number[] = [];
    let ids = new Int32Array(1024);
    for (let d = 0; d < this.n; d++) {
      docStart[d] = terms.length;
      docTerms.length = 0;
      const p = this.papers[d];
      // a paper has fewer pairs than half its characters: size the pair set once per paper
      const maxPairs = ((p.title?.length ?? 0) + (p.abstract?.length ?? 0)) >> 1;
      if (maxPairs * 2 > pairSlots.length) {
        let size = pairSlots.length;
        while (size < maxPairs * 2) size *= 2;
        pairSlots = new Int32Array(size);
        pairStamp = new Int32Array(size);
      }
      const mask = pairSlots.length - 1;
      const stamp = d + 1;
      for (let f = 0; f < 2; f++) {
        this.analyze(f === 0 ? p.title : p.abstract, scan);
        if (ids.length < scan.length) ids = new Int32Array(scan.length * 2);
        let len = 0;
        const inc = f === 0 ? 0x10000 : 1;
        for (let i = 0; i < scan.length; i++) {
          const w = scan.words[i];
          if (w.stop) continue;
          const t = this.addTerm(w.sid);
          ids[i] = t;
          // a compound's joined form is an alias of its parts, not one more word
          if ((scan.flags[i] & ScanFlag.Compound) === 0) len++;
          if (t >= tfScratch.length) {
            const next = new Int32Array(tfScratch.length * 2);
            next.set(tfScratch);
            tfScratch = next;
          }
          const c = tfScratch[t];
          if (c === 0) docTerms.push(t);
          // saturating counts (15 bits for the title, 16 for the abstract)
          if (f === 0 ? c >>> 16 < 0x7fff : (c & 0xffff) < 0xffff) tfScratch[t] = c + inc;
        }
        if (f === 0) {
          this.titleLen[d] = Math.min(len, 0xffff);
          sumTitle += len;
        } else {
          this.absLen[d] = Math.min(len, 0xffff);
          sumAbs += len;
        }
        // each distinct pair counts once per paper
        pairs.length = 0;
        phrasePairs(scan, pairs);
        for (let j = 0; j < pairs.length; j += 2) {
          const h = pairHash(ids[pairs[j]], ids[pairs[j + 1]]);
          let slot = h & mask;
          while (pairStamp[slot] === stamp && pairSlots[slot] !== h) slot = (slot + 1) & mask;
          if (pairStamp[slot] === stamp) continue;
          pairStamp[slot] = stamp;
          pairSlots[slot] = h;
          this.bumpPair(h);
        }
      }
      for (let i = 0; i < docTerms.length; i++) {
        const t = docTerms.data[i];
        const c = tfScratch[t];
        tfScratch[t] = 0;
        terms.push(t);
        tfs.push(c);
      }
      let seenNames: string[] | undefined;
      for (const a of p.authors ?? []) {
        const name = foldName(familyName(a));
        if (!name || seenNames?.includes(name)) continue;
        (seenNames ??= []).push(name);
        const list = this.authorDocs.get(name);
        if (list) list.push(d);
        else this.authorDocs.set(name, [d]);
      }
    }
    docStart[this.n] = terms.length;
    this.avgTitleLen = Math.max(1, sumTitle / Math.max(1, this.n));
    this.avgAbsLen = Math.max(1, sumAbs / Math.max(1, this.n));

    // pass 2: document frequencies, postings offsets, BM25F weights
    const v = this.termSids.length;
    const df = new Int32Array(v);
    for (let i = 0; i < terms.length; i++) df[terms.data[i]]++;
    const offsets = new Int32Array(v + 1);
    for (let t = 0; t < v; t++) offsets[t + 1] = offsets[t] + df[t];
    const fill = offsets.slice(0, v);
    const postDocs = new Int32Array(terms.length);
    const postWeights = new Uint16Array(terms.length);
    for (let d = 0; d < this.n; d++) {
      const nt = 1 - titleB + (titleB * this.titleLen[d]) / this.avgTitleLen;
      const na = 1 - abstractB + (abstractB * this.absLen[d]) / this.avgAbsLen;
      for (let i = docStart[d]; i < docStart[d + 1]; i++) {
        const t = terms.data[i];
        const packed = tfs.data[i];
        const tf = (titleWeight * (packed >>> 16)) / nt + (packed & 0xffff) / na;
        const at = fill[t]++;
        postDocs[at] = d;
        postWeights[at] = Math.max(1, Math.round((65535 * tf) / (k1 + tf)));
      }
    }
    this.df = df;
    this.querySlot = new Int32Array(v).fill(-1);
    this.offsets = offsets;
    this.postDocs = postDocs;
    this.postWeights = postWeights;
  }

  /** Counts one more paper containing the pair whose {@link pairHash} is `h`. */
  private bumpPair(h: number): void {
    const i0 = h & this.pairMask;
    const i1 = rehash(h) & this.pairMask;
    if (this.pairRow0[i0] < 0xffff) this.pairRow0[i0]++;
    if (this.pairRow1[i1] < 0xffff) this.pairRow1[i1]++;
  }

  /** Estimated number of papers containing the pair (a, b): never less than the truth. */
  private pairDf(a: number, b: number): number {
    const h = pairHash(a, b);
    return Math.min(this.pairRow0[h & this.pairMask], this.pairRow1[rehash(h) & this.pairMask]);
  }

  /** Up to three terms whose stems start with `prefix`, shortest first. */
  private prefixExpansions(prefix: string): number[] {
    if (!this.sortedStems) {
      const stems: string[] = [];
      for (let t = 0; t < this.termSids.length; t++) stems.push(stemOfId(this.termSids.data[t]));
      this.sortedStems = stems.sort();
    }
    const v = this.sortedStems;
    let lo = 0;
    let hi = v.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const found: string[] = [];
    for (let i = lo; i < v.length && v[i].startsWith(prefix) && found.length < 50; i++) found.push(v[i]);
    return found
      .sort((a, b) => a.length - b.length)
      .slice(0, 3)
      .map((w) => this.termOf(stemId(w)));
  }

  private idf(df: number): number {
    return Math.log(1 + (this.n - df + 0.5) / (df + 0.5));
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

    const { k3, maxDocFrequency, postingsBudget, compoundWeight, prefixWeight } = this.params;
    const text = stripMarkup(passage, options.syntax);
    const scan = scanWords(text, this.compounds);

    // query terms: known stems, not too common in this library
    const qtf = new Map<number, number>();
    const ids = new Int32Array(scan.length).fill(-1);
    for (let i = 0; i < scan.length; i++) {
      const w = scan.words[i];
      if (w.stop) continue;
      const compound = (scan.flags[i] & ScanFlag.Compound) !== 0;
      const t = this.termOf(w.sid);
      if (t < 0) {
        // an unknown word may be a truncation of known ones ("telecom" → "telecommunications")
        if (!compound && w.stem.length >= 5 && /^[a-z]+$/.test(w.stem)) {
          for (const ext of this.prefixExpansions(w.stem)) qtf.set(ext, (qtf.get(ext) ?? 0) + prefixWeight);
        }
        continue;
      }
      ids[i] = t;
      // The joined form of a compound bridges to closed spellings only where the library never
      // hyphenates it; otherwise the library's closed spellings are split into parts already,
      // and the joined form would only favour papers that hyphenate over those that write spaces.
      const weight = compound ? (this.compounds.has(w.norm) ? 0 : compoundWeight) : 1;
      if (weight > 0) qtf.set(t, (qtf.get(t) ?? 0) + weight);
    }
    const maxDf = Math.max(1, maxDocFrequency * this.n);
    const saturate = (c: number) => ((k3 + 1) * c) / (k3 + c);
    const qterms: QueryTerm[] = [];
    for (const [term, c] of qtf) {
      const df = this.df[term];
      if (df === 0 || df > maxDf || c <= 0) continue;
      qterms.push({ term, idf: this.idf(df), weight: saturate(c) });
    }
    const qpairs = new Map<number, QueryPair>();
    const pairCount = new Map<number, number>();
    const qp = phrasePairs(scan);
    for (let j = 0; j < qp.length; j += 2) {
      const a = ids[qp[j]];
      const b = ids[qp[j + 1]];
      if (a < 0 || b < 0) continue;
      const k = pairKey(a, b);
      pairCount.set(k, (pairCount.get(k) ?? 0) + 1);
      if (!qpairs.has(k)) {
        const df = this.pairDf(a, b);
        if (df === 0 || df > maxDf) continue;
        qpairs.set(k, { idf: this.idf(df), weight: 0 });
      }
    }
    for (const [k, q] of qpairs) q.weight = saturate(pairCount.get(k) ?? 1);
    const authors = authorMentions(text);
    if (qterms.length === 0 && authors.length === 0) return [];

    // stage 1: BM25F accumulation, rarest terms first, under a postings budget
    qterms.sort((x, y) => y.idf - x.idf);
    const acc = this.acc;
    const touched = this.touched;
    const seenIn = this.seenIn;
    const epoch = (this.epoch = (this.epoch + 1) >>> 0 || 1);
    if (epoch === 1) seenIn.fill(0);
    let nTouched = 0;
    let visited = 0;
    const postDocs = this.postDocs;
    const postWeights = this.postWeights;
    for (const q of qterms) {
      const from = this.offsets[q.term];
      const to = this.offsets[q.term + 1];
      if (visited > 0 && visited + (to - from) > postingsBudget) continue;
      visited += to - from;
      const w = (q.idf * q.weight) / 65535;
      for (let i = from; i < to; i++) {
        const d = postDocs[i];
        if (seenIn[d] !== epoch) {
          seenIn[d] = epoch;
          touched[nTouched++] = d;
          acc[d] = 0;
        }
        acc[d] += w * postWeights[i];
      }
    }
    // author mentions ("Zhao et al.") vote for papers by those authors
    const authorMatches = new Map<number, AuthorMatch>();
    for (const name of authors) {
      const docs = this.authorDocs.get(name);
      if (!docs) continue;
      const w = this.params.authorWeight * this.idf(docs.length);
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
    if (options.exclude?.size) {
      for (const key of options.exclude) {
        const d = this.docOfKey().get(key);
        if (d !== undefined && seenIn[d] === epoch) acc[d] = -Infinity;
      }
    }
    const cands = topK(acc, touched, nTouched, Math.max(this.params.candidates, 3 * limit));

    // stage 2: rescoring with phrase evidence, evidence extraction
    const slot = this.querySlot;
    for (let i = 0; i < scan.length; i++) if (ids[i] >= 0) slot[ids[i]] = -2;
    qterms.forEach((q, i) => (slot[q.term] = i));
    let scored: Rescored[];
    try {
      scored = cands.filter((d) => acc[d] > -Infinity).map((d) => this.rescore(d, qterms, qpairs, authorMatches.get(d)));
    } finally {
      for (let i = 0; i < scan.length; i++) if (ids[i] >= 0) slot[ids[i]] = -1;
      for (const q of qterms) slot[q.term] = -1;
    }
    scored.sort((x, y) => y.score - x.score || x.doc - y.doc);
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

  /** Full score of one candidate (terms, phrases, author) and what its evidence needs. */
  private rescore(
    d: number,
    qterms: readonly QueryTerm[],
    qpairs: ReadonlyMap<number, QueryPair>,
    author: AuthorMatch | undefined,
  ): Rescored {
    const { k1, titleWeight, titleB, abstractB, phraseWeight } = this.params;
    const slot = this.querySlot;
    const fields = this.fields(d);
    const nt = 1 - titleB + (titleB * this.titleLen[d]) / this.avgTitleLen;
    const na = 1 - abstractB + (abstractB * this.absLen[d]) / this.avgAbsLen;
    const fieldScale = [titleWeight / nt, 1 / na];
    const sat = (tf: number) => tf / (k1 + tf);

    // weighted term frequencies of the query terms
    const tf = new Float64Array(qterms.length);
    for (let f = 0; f < 2; f++) {
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
    for (let f = 0; f < 2; f++) {
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
