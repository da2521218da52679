/**
 * The relatedness engine: given a passage being written (LaTeX, Markdown or plain text), rank
 * the papers of a library by how likely the passage should cite them.
 *
 * Ranking, in two stages:
 * 1. **BM25F over stemmed terms** of title and abstract (the title field boosted), computed from
 *    an inverted index (compressed-row postings in typed arrays). Query terms that occur in more
 *    than half of the library ("large", "language", "model" in an LLM library) are pruned, the
 *    rest are traversed rarest first under a postings budget, so a 200-word passage over 100k
 *    papers stays within a few milliseconds.
 * 2. **Phrase evidence** for the best candidates: adjacent content-word pairs ("mixture of
 *    experts", "KV cache") shared by passage and paper add a BM25F-style bonus weighted by the
 *    pair's own inverse document frequency, estimated at build time with a count-min sketch.
 *
 * Each suggestion carries the shared terms and phrases in the paper's own wording, best first,
 * so the UI can say why. Papers the passage already cites are flagged, not hidden.
 * Pure TypeScript, no `vscode` import.
 */
import { Paper, familyName, foldAscii } from './paper';
import {
  CompoundDictionary,
  MarkupSyntax,
  Token,
  authorMentions,
  citedKeysIn,
  collectCompounds,
  stripLatex,
  stripMarkup,
  tokenize,
} from './textAnalysis';

/** One suggested paper for a passage. */
export interface Suggestion {
  /** Citation key of the paper. */
  key: string;
  title: string;
  /** Relevance score, higher is better; comparable within one call only. */
  score: number;
  /**
   * Why: the terms and phrases the passage shares with the paper's title or abstract, as
   * written in the paper ("mixture of experts", "KV cache"), most telling first, at most five.
   */
  evidence: string[];
  /** The passage already cites this paper (`\cite{key}`, `[@key]`, or `citedKeys`). */
  cited: boolean;
}

/** Options of {@link RelatednessEngine.suggest}. */
export interface SuggestOptions {
  /** Maximum number of suggestions (default 10). */
  limit?: number;
  /** Keys already cited around the passage; matching suggestions get `cited: true`. */
  citedKeys?: ReadonlySet<string>;
  /** The markup of the passage; detected when omitted (backslash commands mean LaTeX). */
  syntax?: MarkupSyntax;
}

/** Ranking parameters. The defaults are textbook BM25 values, not tuned to a test set. */
export interface RelatednessParams {
  /** BM25 term-frequency saturation. */
  k1: number;
  /** Weight of the title field relative to the abstract. */
  titleWeight: number;
  /** Length normalisation of titles (short, so weak) and abstracts. */
  titleB: number;
  abstractB: number;
  /** Saturation of repeated terms in the passage. */
  k3: number;
  /** Weight of the phrase (word-pair) evidence relative to single terms. */
  phraseWeight: number;
  /**
   * Query weight of the joined form of a hyphenated compound ("fine-tuning" → "finetuning"),
   * which matches papers that write it as one word; the parts already count as two terms.
   */
  compoundWeight: number;
  /**
   * Weight of an author mention ("Zhao et al.") matching a paper's first author, relative to a
   * term of the same rarity; other authors count half.
   */
  authorWeight: number;
  /** Query weight of the vocabulary words an unknown word is a prefix of ("telecom"). */
  prefixWeight: number;
  /** Query terms in more than this fraction of the library are ignored. */
  maxDocFrequency: number;
  /** Upper bound on postings visited per query. */
  postingsBudget: number;
  /** How many first-stage candidates are rescored with phrase evidence (at least 3 × limit). */
  candidates: number;
}

/** The default {@link RelatednessParams}. */
export const DEFAULT_RELATEDNESS_PARAMS: Readonly<RelatednessParams> = {
  k1: 1.2,
  titleWeight: 2.5,
  titleB: 0.3,
  abstractB: 0.75,
  k3: 2,
  phraseWeight: 1,
  compoundWeight: 0.5,
  authorWeight: 1,
  prefixWeight: 0.5,
  maxDocFrequency: 0.5,
  postingsBudget: 2_000_000,
  candidates: 40,
};

/** Analysed text of one field: its tokens and the indices of its content tokens. */
interface FieldAnalysis {
  text: string;
  tokens: Token[];
}

/** A word pair usable as phrase evidence: indices into `tokens` of the two content words. */
type Pair = readonly [first: number, second: number];

/** Function words that may sit inside a phrase ("mixture of experts", "training and inference"). */
const PHRASE_GLUE = new Set(['of', 'and', 'or', 'for', 'in', 'on', 'to', 'with', 'by', 'from', 'the', 'a', 'an']);

/**
 * Content words of a field paired with their next content word in the same clause, directly
 * or across one phrase-internal function word ("mixture of experts" → mixture+experts).
 */
function phrasePairs(tokens: readonly Token[]): Pair[] {
  const pairs: Pair[] = [];
  let prev = -1;
  let gap = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.compound) continue;
    if (t.breakBefore) {
      prev = -1;
      gap = 0;
    }
    if (t.stop) {
      gap += PHRASE_GLUE.has(t.norm) ? 1 : 2;
      continue;
    }
    if (prev >= 0 && gap <= 1) pairs.push([prev, i]);
    prev = i;
    gap = 0;
  }
  return pairs;
}

/** Prepares a paper field for analysis: leftover LaTeX in titles and abstracts is stripped. */
function fieldText(s: string | undefined): string {
  if (!s) return '';
  return s.includes('\\') || s.includes('$') ? stripLatex(s) : s;
}

function analyzeField(s: string | undefined, compounds: CompoundDictionary): FieldAnalysis {
  const text = fieldText(s);
  return { text, tokens: tokenize(text, compounds) };
}

/** 32-bit mix of two term ids (for the phrase document-frequency sketch). */
function pairHash(a: number, b: number, seed: number): number {
  let h = Math.imul(a ^ seed, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/** Growable Int32 buffer. */
class IntBuffer {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** Per-query bookkeeping of one query term. */
interface QueryTerm {
  id: number;
  idf: number;
  weight: number;
}

/** A phrase (word pair) of the query. */
interface QueryPair {
  a: number;
  b: number;
  idf: number;
  weight: number;
}

/**
 * Ranks the papers of a library against a passage. Build once per library (building indexes
 * 100k papers with abstracts in a few seconds), then call {@link suggest} as often as needed.
 */
export class RelatednessEngine {
  private readonly papers: readonly Paper[];
  private readonly params: RelatednessParams;
  private readonly vocab = new Map<string, number>();
  private readonly n: number;
  private df: Int32Array = new Int32Array(0);
  private offsets: Int32Array = new Int32Array(1);
  private postDocs: Int32Array = new Int32Array(0);
  private postWeights: Float32Array = new Float32Array(0);
  private titleLen: Uint16Array;
  private absLen: Uint16Array;
  private avgTitleLen = 1;
  private avgAbsLen = 1;
  /** Count-min sketch (two rows) of the document frequency of word pairs. */
  private pairRows: [Uint16Array, Uint16Array];
  private pairMask: number;
  /** Folded family name → papers with an author of that name (first authors listed first). */
  private readonly authorDocs = new Map<string, number[]>();
  /** Hyphenated compounds of the library, to split their closed spellings alike. */
  private readonly compounds: CompoundDictionary = new Map();
  /** The vocabulary sorted, for prefix expansion; built on first use. */
  private sortedVocab: string[] | undefined;
  private readonly acc: Float64Array;
  private readonly touched: Int32Array;
  /** Query number that last touched each paper (avoids clearing a marker array per query). */
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
    const sketchSize = 1 << Math.min(22, Math.max(12, Math.ceil(Math.log2(this.n * 256 + 1))));
    this.pairRows = [new Uint16Array(sketchSize), new Uint16Array(sketchSize)];
    this.pairMask = sketchSize - 1;
    this.build();
  }

  /** Number of papers indexed. */
  get size(): number {
    return this.n;
  }

  private termId(stemmed: string): number {
    let id = this.vocab.get(stemmed);
    if (id === undefined) {
      id = this.vocab.size;
      this.vocab.set(stemmed, id);
    }
    return id;
  }

  private build(): void {
    const { k1, titleWeight, titleB, abstractB } = this.params;
    // pass 1: per-document term frequencies, field lengths, pair sketch
    const docStart = new Int32Array(this.n + 1);
    const terms = new IntBuffer(1 << 16);
    const tfs = new IntBuffer(1 << 16); // title tf in the high 16 bits, abstract tf in the low 16
    let sumTitle = 0;
    let sumAbs = 0;
    const counts = new Map<number, number>();
    const seenPairs = new Set<number>();
    for (const p of this.papers) {
      collectCompounds(p.title ?? '', this.compounds);
      collectCompounds(p.abstract ?? '', this.compounds);
    }
    for (let d = 0; d < this.n; d++) {
      docStart[d] = terms.length;
      counts.clear();
      seenPairs.clear();
      const p = this.papers[d];
      const fields = [analyzeField(p.title, this.compounds), analyzeField(p.abstract, this.compounds)];
      for (let f = 0; f < 2; f++) {
        const toks = fields[f].tokens;
        const ids = new Int32Array(toks.length);
        let len = 0;
        for (let i = 0; i < toks.length; i++) {
          const t = toks[i];
          if (t.stop) continue;
          const id = this.termId(t.stem);
          ids[i] = id;
          len++;
          counts.set(id, (counts.get(id) ?? 0) + (f === 0 ? 0x10000 : 1));
        }
        if (f === 0) {
          this.titleLen[d] = Math.min(len, 0xffff);
          sumTitle += len;
        } else {
          this.absLen[d] = Math.min(len, 0xffff);
          sumAbs += len;
        }
        // each distinct pair counts once per paper
        for (const [a, b] of phrasePairs(toks)) {
          const h = pairHash(ids[a], ids[b], 0);
          if (seenPairs.has(h)) continue;
          seenPairs.add(h);
          this.bumpPair(ids[a], ids[b]);
        }
      }
      const seenNames = new Set<string>();
      for (const a of p.authors ?? []) {
        const name = foldName(familyName(a));
        if (!name || seenNames.has(name)) continue;
        seenNames.add(name);
        const list = this.authorDocs.get(name);
        if (list) list.push(d);
        else this.authorDocs.set(name, [d]);
      }
      for (const [id, c] of counts) {
        terms.push(id);
        tfs.push(Math.min(c >>> 16, 0x7fff) * 0x10000 + (c & 0xffff));
      }
    }
    docStart[this.n] = terms.length;
    this.avgTitleLen = Math.max(1, sumTitle / Math.max(1, this.n));
    this.avgAbsLen = Math.max(1, sumAbs / Math.max(1, this.n));

    // pass 2: document frequencies, postings offsets, BM25F weights
    const v = this.vocab.size;
    const df = new Int32Array(v);
    for (let i = 0; i < terms.length; i++) df[terms.data[i]]++;
    const offsets = new Int32Array(v + 1);
    for (let t = 0; t < v; t++) offsets[t + 1] = offsets[t] + df[t];
    const fill = offsets.slice(0, v);
    const postDocs = new Int32Array(terms.length);
    const postWeights = new Float32Array(terms.length);
    for (let d = 0; d < this.n; d++) {
      const nt = 1 - titleB + (titleB * this.titleLen[d]) / this.avgTitleLen;
      const na = 1 - abstractB + (abstractB * this.absLen[d]) / this.avgAbsLen;
      for (let i = docStart[d]; i < docStart[d + 1]; i++) {
        const id = terms.data[i];
        const packed = tfs.data[i];
        const tf = (titleWeight * (packed >>> 16)) / nt + (packed & 0xffff) / na;
        const at = fill[id]++;
        postDocs[at] = d;
        postWeights[at] = tf / (k1 + tf);
      }
    }
    this.df = df;
    this.offsets = offsets;
    this.postDocs = postDocs;
    this.postWeights = postWeights;
  }

  private bumpPair(a: number, b: number): void {
    const [r0, r1] = this.pairRows;
    const i0 = pairHash(a, b, 0x1234567) & this.pairMask;
    const i1 = pairHash(a, b, 0x7654321) & this.pairMask;
    if (r0[i0] < 0xffff) r0[i0]++;
    if (r1[i1] < 0xffff) r1[i1]++;
  }

  private pairDf(a: number, b: number): number {
    const [r0, r1] = this.pairRows;
    return Math.min(r0[pairHash(a, b, 0x1234567) & this.pairMask], r1[pairHash(a, b, 0x7654321) & this.pairMask]);
  }

  /** Up to three vocabulary stems that start with `prefix`, shortest first. */
  private prefixExpansions(prefix: string): number[] {
    if (!this.sortedVocab) this.sortedVocab = [...this.vocab.keys()].sort();
    const v = this.sortedVocab;
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
      .map((w) => this.vocab.get(w)!);
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

    const { k3, maxDocFrequency, postingsBudget } = this.params;
    const text = stripMarkup(passage, options.syntax);
    const tokens = tokenize(text, this.compounds);

    // query terms: known stems, not too common in this library
    const qtf = new Map<number, number>();
    const ids = new Int32Array(tokens.length).fill(-1);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.stop) continue;
      const id = this.vocab.get(t.stem);
      if (id === undefined) {
        // an unknown word may be a truncation of known ones ("telecom" → "telecommunications")
        if (!t.compound && t.stem.length >= 5 && /^[a-z]+$/.test(t.stem)) {
          for (const ext of this.prefixExpansions(t.stem)) {
            qtf.set(ext, (qtf.get(ext) ?? 0) + this.params.prefixWeight);
          }
        }
        continue;
      }
      ids[i] = id;
      qtf.set(id, (qtf.get(id) ?? 0) + (t.compound ? this.params.compoundWeight : 1));
    }
    const maxDf = Math.max(1, maxDocFrequency * this.n);
    const qterms: QueryTerm[] = [];
    for (const [id, c] of qtf) {
      const df = this.df[id];
      if (df === 0 || df > maxDf || c <= 0) continue;
      qterms.push({ id, idf: this.idf(df), weight: ((k3 + 1) * c) / (k3 + c) });
    }
    const qpairMap = new Map<string, QueryPair>();
    const pairCount = new Map<string, number>();
    for (const [a, b] of phrasePairs(tokens)) {
      if (ids[a] < 0 || ids[b] < 0) continue;
      const k = `${ids[a]} ${ids[b]}`;
      pairCount.set(k, (pairCount.get(k) ?? 0) + 1);
      if (!qpairMap.has(k)) {
        const df = this.pairDf(ids[a], ids[b]);
        if (df === 0 || df > maxDf) continue;
        qpairMap.set(k, { a: ids[a], b: ids[b], idf: this.idf(df), weight: 0 });
      }
    }
    for (const [k, qp] of qpairMap) {
      const c = pairCount.get(k) ?? 1;
      qp.weight = ((k3 + 1) * c) / (k3 + c);
    }
    if (qterms.length === 0 && !/\bet\.?\s*al\b|\d{4}/.test(text)) return [];

    // stage 1: BM25F accumulation, rarest terms first, under a postings budget
    qterms.sort((x, y) => y.idf - x.idf);
    const acc = this.acc;
    const touched = this.touched;
    const seenIn = this.seenIn;
    const epoch = (this.epoch = (this.epoch + 1) >>> 0 || 1);
    if (epoch === 1) seenIn.fill(0);
    let nTouched = 0;
    let visited = 0;
    for (const q of qterms) {
      const from = this.offsets[q.id];
      const to = this.offsets[q.id + 1];
      if (visited > 0 && visited + (to - from) > postingsBudget) continue;
      visited += to - from;
      const w = q.idf * q.weight;
      for (let i = from; i < to; i++) {
        const d = this.postDocs[i];
        if (seenIn[d] !== epoch) {
          seenIn[d] = epoch;
          touched[nTouched++] = d;
        }
        acc[d] += w * this.postWeights[i];
      }
    }
    // author mentions ("Zhao et al.") vote for papers by those authors
    const authorBonus = new Map<number, { score: number; label: string }>();
    for (const name of authorMentions(text)) {
      const docs = this.authorDocs.get(name);
      if (!docs) continue;
      const w = this.params.authorWeight * this.idf(docs.length) * (k3 + 1) / (k3 + 1);
      for (const d of docs) {
        const p = this.papers[d];
        const first = foldName(familyName(p.authors[0] ?? '')) === name;
        const bonus = first ? w : w / 2;
        const prev = authorBonus.get(d);
        if (prev && prev.score >= bonus) continue;
        const shown = p.authors.map(familyName).find((f) => foldName(f) === name) ?? name;
        authorBonus.set(d, { score: bonus, label: first && p.authors.length > 2 ? `${shown} et al.` : shown });
        if (seenIn[d] !== epoch) {
          seenIn[d] = epoch;
          touched[nTouched++] = d;
        }
        acc[d] += bonus - (prev?.score ?? 0);
      }
    }
    const m = Math.max(this.params.candidates, 3 * limit);
    const cands = topK(acc, touched, nTouched, m);
    for (let i = 0; i < nTouched; i++) acc[touched[i]] = 0;

    // stage 2: rescoring with phrase evidence, evidence extraction
    const qtermById = new Map(qterms.map((q) => [q.id, q]));
    const scored = cands.map((d) => this.rescore(d, qtermById, qpairMap, authorBonus.get(d)));
    scored.sort((x, y) => y.score - x.score || x.doc - y.doc);
    return scored.slice(0, limit).map((s) => {
      const p = this.papers[s.doc];
      return {
        key: p.key,
        title: p.title,
        score: Math.round(s.score * 1000) / 1000,
        evidence: s.evidence,
        cited: cited.has(p.key),
      };
    });
  }

  /** Full score of one candidate (terms + phrases) and its evidence. */
  private rescore(
    d: number,
    qterms: ReadonlyMap<number, QueryTerm>,
    qpairs: ReadonlyMap<string, QueryPair>,
    author: { score: number; label: string } | undefined,
  ): { doc: number; score: number; evidence: string[] } {
    const { k1, titleWeight, titleB, abstractB, phraseWeight } = this.params;
    const p = this.papers[d];
    const fields = [analyzeField(p.title, this.compounds), analyzeField(p.abstract, this.compounds)];
    const nt = 1 - titleB + (titleB * this.titleLen[d]) / this.avgTitleLen;
    const na = 1 - abstractB + (abstractB * this.absLen[d]) / this.avgAbsLen;
    const fieldScale = [titleWeight / nt, 1 / na];
    const sat = (tf: number) => tf / (k1 + tf);

    // term frequencies per field, and the ids of each field's tokens
    const termTf = new Map<number, number>();
    const fieldIds: Int32Array[] = [];
    for (let f = 0; f < 2; f++) {
      const toks = fields[f].tokens;
      const ids = new Int32Array(toks.length).fill(-1);
      for (let i = 0; i < toks.length; i++) {
        if (toks[i].stop) continue;
        const id = this.vocab.get(toks[i].stem);
        if (id === undefined) continue;
        ids[i] = id;
        if (qterms.has(id)) termTf.set(id, (termTf.get(id) ?? 0) + fieldScale[f]);
      }
      fieldIds.push(ids);
    }
    const termScore = new Map<number, number>();
    let score = 0;
    for (const [id, tf] of termTf) {
      const q = qterms.get(id)!;
      const s = q.idf * q.weight * sat(tf);
      termScore.set(id, s);
      score += s;
    }

    // phrases: matched pairs, their frequencies, and runs of consecutive matched pairs
    const pairTf = new Map<string, number>();
    const runs: { field: number; first: number; last: number; pairs: string[]; ids: number[] }[] = [];
    for (let f = 0; f < 2; f++) {
      const toks = fields[f].tokens;
      const ids = fieldIds[f];
      let run: (typeof runs)[number] | undefined;
      for (const [a, b] of phrasePairs(toks)) {
        const k = `${ids[a]} ${ids[b]}`;
        if (ids[a] < 0 || ids[b] < 0 || !qpairs.has(k)) {
          run = undefined;
          continue;
        }
        pairTf.set(k, (pairTf.get(k) ?? 0) + fieldScale[f]);
        if (run && run.last === a) {
          run.last = b;
          run.pairs.push(k);
          run.ids.push(ids[b]);
        } else {
          run = { field: f, first: a, last: b, pairs: [k], ids: [ids[a], ids[b]] };
          runs.push(run);
        }
      }
    }
    const pairScore = new Map<string, number>();
    for (const [k, tf] of pairTf) {
      const q = qpairs.get(k)!;
      const s = phraseWeight * q.idf * q.weight * sat(tf);
      pairScore.set(k, s);
      score += s;
    }

    const evidence = this.evidence(fields, fieldIds, termScore, pairScore, runs, author);
    if (author) score += author.score;
    return { doc: d, score, evidence };
  }

  /** Up to five readable shared terms and phrases, strongest first. */
  private evidence(
    fields: readonly FieldAnalysis[],
    fieldIds: readonly Int32Array[],
    termScore: ReadonlyMap<number, number>,
    pairScore: ReadonlyMap<string, number>,
    runs: readonly { field: number; first: number; last: number; pairs: string[]; ids: number[] }[],
    author: { score: number; label: string } | undefined,
  ): string[] {
    interface Item {
      label: string;
      weight: number;
      ids: number[];
      fromTitle?: boolean;
    }
    const items: Item[] = [];
    // phrases: one item per distinct run (by its term ids), in the abstract's wording if it has one
    const seenRuns = new Map<string, Item>();
    for (const r of runs) {
      const sig = r.ids.join(' ');
      const f = fields[r.field];
      const label = f.text.slice(f.tokens[r.first].start, f.tokens[r.last].end).replace(/\s+/g, ' ');
      const prev = seenRuns.get(sig);
      if (prev) {
        if (r.field === 1 && prev.fromTitle) {
          prev.label = label;
          prev.fromTitle = false;
        }
        continue;
      }
      let weight = 0;
      for (const k of new Set(r.pairs)) weight += pairScore.get(k) ?? 0;
      const ids = [...new Set(r.ids)];
      for (const id of ids) weight += termScore.get(id) ?? 0;
      const item: Item = { label, weight, ids, fromTitle: r.field === 0 };
      seenRuns.set(sig, item);
      items.push(item);
    }
    if (author) items.push({ label: author.label, weight: author.score, ids: [-1] });
    // single terms
    for (const [id, weight] of termScore) items.push({ label: this.surfaceOf(id, fields, fieldIds), weight, ids: [id] });
    items.sort((a, b) => b.weight - a.weight || b.ids.length - a.ids.length);

    const out: string[] = [];
    const covered = new Set<number>();
    const labels = new Set<string>();
    for (const it of items) {
      if (out.length >= 5) break;
      if (it.ids.every((id) => covered.has(id))) continue;
      const norm = it.label.toLowerCase();
      if (labels.has(norm)) continue;
      labels.add(norm);
      out.push(it.label);
      for (const id of it.ids) covered.add(id);
    }
    return out;
  }

  /**
   * The wording of a term in a paper: an abstract occurrence as written (keeping "LoRA",
   * "Frontier"), else the title's, lower-cased when it is merely title case.
   */
  private surfaceOf(id: number, fields: readonly FieldAnalysis[], fieldIds: readonly Int32Array[]): string {
    let titleCased: string | undefined;
    for (const f of [1, 0]) {
      const { tokens, text } = fields[f];
      const ids = fieldIds[f];
      for (let i = 0; i < tokens.length; i++) {
        if (ids[i] !== id) continue;
        const s = tokens[i].surface;
        if (!TITLE_CASE.test(s)) return s;
        const before = text.slice(0, tokens[i].start).trimEnd();
        const sentenceStart = f === 0 || before === '' || /[.!?:]$/.test(before);
        if (!sentenceStart) return s;
        titleCased ??= s;
      }
    }
    return (titleCased ?? '').toLowerCase();
  }
}

/** A family name in the form {@link authorMentions} returns. */
function foldName(name: string): string {
  return foldAscii(name).toLowerCase().replace(/[^a-z\s-]/g, '').trim();
}

/** A capitalised word ("Mixture", "Long-Context"), as opposed to "LoRA", "GPT-3" or "llama". */
const TITLE_CASE = /^\p{Lu}\p{Ll}+(?:[-‐‑]\p{L}\p{Ll}*)*$/u;

/** The `k` documents with the highest accumulated scores (ties by document order). */
function topK(acc: Float64Array, touched: Int32Array, n: number, k: number): number[] {
  // binary min-heap of document ids keyed by score
  const heap: number[] = [];
  const less = (a: number, b: number) => acc[a] < acc[b] || (acc[a] === acc[b] && a > b);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let s = i;
      if (l < heap.length && less(heap[l], heap[s])) s = l;
      if (r < heap.length && less(heap[r], heap[s])) s = r;
      if (s === i) return;
      [heap[i], heap[s]] = [heap[s], heap[i]];
      i = s;
    }
  };
  for (let j = 0; j < n; j++) {
    const d = touched[j];
    if (heap.length < k) {
      heap.push(d);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!less(heap[i], heap[parent])) break;
        [heap[i], heap[parent]] = [heap[parent], heap[i]];
        i = parent;
      }
    } else if (less(heap[0], d)) {
      heap[0] = d;
      down(0);
    }
  }
  return heap;
}
