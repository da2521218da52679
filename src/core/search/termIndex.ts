/**
 * A compact inverted index (one "segment" per library source) and the scoring that search runs
 * over a set of segments. Built for 100k-entry libraries: a segment is a handful of typed arrays
 * and one sorted term list, so it is built in one pass over the papers (no per-term objects),
 * queried with a dense score accumulator (no per-hit allocation), and saved and loaded as raw
 * bytes (the persisted cache, the prebuilt index of the built-in corpus) without rebuilding.
 *
 * Scoring follows BM25+ per field (k = 1.2, b = 0.7, δ = 0.5) with field boosts; a word typed
 * as a prefix matches the terms it starts (weight 0.7·len/(len + 0.3·extra letters)), a typo
 * matches terms within a bounded edit distance (weight 0.45·len/(len + distance)). Document
 * frequencies and average field lengths are taken over all segments searched together, so scores
 * compare across sources. A document's score is multiplied by the number of query words it
 * matches.
 */
import { foldAscii } from '../model/paper';
import { SEARCH_STOPWORDS } from '../text/stopwords';

/** The indexed fields, in the order of their ids. */
export const FIELDS = ['name', 'title', 'ids', 'authors', 'abstract'] as const;
export const FIELD_COUNT = FIELDS.length;

/** Bumped whenever tokenising, fields or the byte layout change (invalidates saved segments). */
export const SEGMENT_FORMAT_VERSION = 3;

/** Words so common in titles and queries that indexing them only adds noise. */
const STOP = SEARCH_STOPWORDS;

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Word separators: line breaks and the Unicode classes Z (spaces) and P (punctuation), tested per
 * UTF-16 unit. ASCII from a table; other units once each through the regular expression, then
 * remembered (1 = separator, 2 = part of a word).
 */
const SEPARATOR = new Uint8Array(0x10000);
for (let c = 0; c < 128; c++) SEPARATOR[c] = /[\n\r\p{Z}\p{P}]/u.test(String.fromCharCode(c)) ? 1 : 2;
const SEPARATOR_RE = /[\p{Z}\p{P}]/u;
export function isSeparator(c: number): boolean {
  let s = SEPARATOR[c];
  if (s === 0) SEPARATOR[c] = s = SEPARATOR_RE.test(String.fromCharCode(c)) ? 1 : 2;
  return s === 1;
}

/** Accent-folded, lower-cased text (what is split into terms). */
export function normalizeText(text: string): string {
  return (NON_ASCII.test(text) ? foldAscii(text) : text).toLowerCase();
}


/**
 * The terms of a text, in order: folded and lower-cased, split at spaces and punctuation, stop
 * words dropped. Indexing and querying both go through here.
 */
export function terms(text: string): string[] {
  const out: string[] = [];
  const t = normalizeText(text);
  for (let i = 0; i < t.length; ) {
    if (isSeparator(t.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    while (i < t.length && !isSeparator(t.charCodeAt(i))) i++;
    const term = t.slice(start, i);
    if (!STOP.has(term)) out.push(term);
  }
  return out;
}

/** One source's index. Documents are numbered 0…docCount-1 in the source's order. */
export interface Segment {
  readonly docCount: number;
  /** Every distinct term, sorted (JavaScript string order). */
  readonly terms: readonly string[];
  /** Postings of term i are at [termStart[i], termStart[i + 1]). */
  readonly termStart: Uint32Array;
  /** Posting → document (ascending within a term). */
  readonly postDoc: Uint32Array;
  /** Posting → field id (low 3 bits) and term frequency (the rest). */
  readonly postMeta: Uint16Array;
  /** [term × FIELD_COUNT + field] → documents with the term in that field. */
  readonly fieldDf: Uint32Array;
  /** [doc × FIELD_COUNT + field] → the field's length in terms. */
  readonly fieldLength: Uint16Array;
  /** Per field: the sum of its lengths over all documents. */
  readonly fieldLengthSum: Float64Array;
}

/**
 * Builds a segment document by document, so a large source can be indexed in slices that yield
 * to other work in between. `fieldsOf(doc, out)` writes the text of each field (by id, see
 * {@link FIELDS}) into `out`; missing fields stay empty strings.
 */
export class SegmentBuilder {
  private readonly list: string[] = [];
  /** Open-addressing hash table of term ids (-1: empty), so a word already seen is found without making a string. */
  private table = new Int32Array(4096).fill(-1);
  private hashes = new Int32Array(1024);
  private stopWord = new Uint8Array(1024);
  private cap: number;
  private pTerm: Uint32Array;
  private pDoc: Uint32Array;
  private pMeta: Uint16Array;
  private n = 0;
  private lastMark = new Int32Array(1024);
  private lastPost = new Uint32Array(1024);
  private readonly fieldLength: Uint16Array;
  private readonly fieldLengthSum = new Float64Array(FIELD_COUNT);
  private readonly texts: string[] = new Array(FIELD_COUNT).fill('');
  private next = 0;

  constructor(readonly docCount: number, private readonly fieldsOf: (doc: number, out: string[]) => void) {
    this.cap = Math.max(1024, docCount * 24);
    this.pTerm = new Uint32Array(this.cap);
    this.pDoc = new Uint32Array(this.cap);
    this.pMeta = new Uint16Array(this.cap);
    this.fieldLength = new Uint16Array(docCount * FIELD_COUNT);
  }

  /** Whether every document has been added. */
  get done(): boolean {
    return this.next >= this.docCount;
  }

  /** Indexes up to `count` more documents. */
  add(count = Infinity): void {
    const F = FIELD_COUNT;
    const { texts } = this;
    const stop = Math.min(this.docCount, this.next + count);
    for (let doc = this.next; doc < stop; doc++) {
      for (let f = 0; f < F; f++) texts[f] = '';
      this.fieldsOf(doc, texts);
      for (let f = 0; f < F; f++) {
        if (!texts[f]) continue;
        const text = normalizeText(texts[f]);
        const mark = doc * F + f + 1;
        let len = 0;
        for (let i = 0; i < text.length; ) {
          let c = text.charCodeAt(i);
          if (c < 128 ? SEPARATOR[c] === 1 : isSeparator(c)) {
            i++;
            continue;
          }
          const start = i;
          let h = 0x811c9dc5;
          do {
            h = Math.imul(h ^ c, 0x01000193);
            if (++i >= text.length) break;
            c = text.charCodeAt(i);
          } while (!(c < 128 ? SEPARATOR[c] === 1 : isSeparator(c)));
          const id = this.intern(text, start, i, h);
          if (this.stopWord[id]) continue;
          len++;
          if (this.lastMark[id] === mark) {
            const i = this.lastPost[id];
            if (this.pMeta[i] < 0xfff8) this.pMeta[i] += 8; // term frequency, saturating
            continue;
          }
          if (this.n === this.cap) this.growPostings();
          const n = this.n++;
          this.lastMark[id] = mark;
          this.lastPost[id] = n;
          this.pTerm[n] = id;
          this.pDoc[n] = doc;
          this.pMeta[n] = 8 | f;
        }
        this.fieldLength[doc * F + f] = Math.min(len, 0xffff);
        this.fieldLengthSum[f] += len;
      }
    }
    this.next = stop;
  }

  /** The id of the term text[start, end) (hash `h`), added to the vocabulary when new. */
  private intern(text: string, start: number, end: number, h: number): number {
    const { list, hashes } = this;
    const mask = this.table.length - 1;
    const len = end - start;
    let slot = h & mask;
    for (let id = this.table[slot]; id >= 0; id = this.table[(slot = (slot + 1) & mask)]) {
      if (hashes[id] !== h) continue;
      const t = list[id];
      if (t.length !== len) continue;
      let k = 0;
      while (k < len && t.charCodeAt(k) === text.charCodeAt(start + k)) k++;
      if (k === len) return id;
    }
    const id = list.length;
    const term = text.slice(start, end);
    list.push(term);
    if (id >= this.hashes.length) {
      const hs = new Int32Array(this.hashes.length * 2);
      hs.set(this.hashes);
      this.hashes = hs;
      const st = new Uint8Array(this.stopWord.length * 2);
      st.set(this.stopWord);
      this.stopWord = st;
    }
    this.hashes[id] = h;
    this.stopWord[id] = STOP.has(term) ? 1 : 0;
    if (id >= this.lastMark.length) this.growMarks();
    this.table[slot] = id;
    if (list.length * 2 > this.table.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let id = 0; id < this.list.length; id++) {
      let slot = this.hashes[id] & mask;
      while (table[slot] >= 0) slot = (slot + 1) & mask;
      table[slot] = id;
    }
    this.table = table;
  }

  private growMarks(): void {
    const m = new Int32Array(this.lastMark.length * 2);
    m.set(this.lastMark);
    this.lastMark = m;
    const p = new Uint32Array(this.lastPost.length * 2);
    p.set(this.lastPost);
    this.lastPost = p;
  }

  private growPostings(): void {
    this.cap *= 2;
    const t = new Uint32Array(this.cap); t.set(this.pTerm); this.pTerm = t;
    const d = new Uint32Array(this.cap); d.set(this.pDoc); this.pDoc = d;
    const m = new Uint16Array(this.cap); m.set(this.pMeta); this.pMeta = m;
  }

  /** Adds what is left and returns the segment. */
  finish(): Segment {
    this.add();
    const F = FIELD_COUNT;
    const { list, n, pTerm, pDoc, pMeta } = this;
    // the vocabulary: terms with postings (not stop words), sorted; postings grouped by term (a
    // stable counting sort keeps documents ascending)
    const used = new Uint8Array(list.length);
    for (let i = 0; i < n; i++) used[pTerm[i]] = 1;
    const order: number[] = [];
    for (let id = 0; id < list.length; id++) if (used[id]) order.push(id);
    order.sort((a, b) => (list[a] < list[b] ? -1 : list[a] > list[b] ? 1 : 0));
    const rank = new Uint32Array(list.length);
    for (let r = 0; r < order.length; r++) rank[order[r]] = r;
    const T = order.length;
    const termStart = new Uint32Array(T + 1);
    for (let i = 0; i < n; i++) termStart[rank[pTerm[i]] + 1]++;
    for (let r = 0; r < T; r++) termStart[r + 1] += termStart[r];
    const fill = termStart.slice(0, T);
    const postDoc = new Uint32Array(n);
    const postMeta = new Uint16Array(n);
    const fieldDf = new Uint32Array(T * F);
    for (let i = 0; i < n; i++) {
      const r = rank[pTerm[i]];
      const at = fill[r]++;
      postDoc[at] = pDoc[i];
      postMeta[at] = pMeta[i];
      fieldDf[r * F + (pMeta[i] & 7)]++;
    }
    return {
      docCount: this.docCount, terms: order.map((i) => list[i]), termStart, postDoc, postMeta, fieldDf,
      fieldLength: this.fieldLength, fieldLengthSum: this.fieldLengthSum,
    };
  }
}

/** Indexes `docCount` documents at once (see {@link SegmentBuilder}). */
export function buildSegment(docCount: number, fieldsOf: (doc: number, out: string[]) => void): Segment {
  return new SegmentBuilder(docCount, fieldsOf).finish();
}

/** Position of the first term ≥ `t` in the sorted list. */
function lowerBound(list: readonly string[], t: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether `s` starts with the first `n` characters of `p`. */
function sharesPrefix(s: string, p: string, n: number): boolean {
  if (s.length < n) return false;
  for (let k = 0; k < n; k++) if (s.charCodeAt(k) !== p.charCodeAt(k)) return false;
  return true;
}

/** The first position after `i` whose term does not start with `p[0, n)` (galloping search: blocks are usually short). */
function skipPrefix(list: readonly string[], i: number, p: string, n: number): number {
  let lo = i + 1;
  let step = 1;
  let hi = lo;
  while (hi < list.length && sharesPrefix(list[hi], p, n)) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  hi = Math.min(hi, list.length);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sharesPrefix(list[mid], p, n)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of `t` in the segment's terms, or -1. */
export function findTerm(seg: Segment, t: string): number {
  const i = lowerBound(seg.terms, t);
  return i < seg.terms.length && seg.terms[i] === t ? i : -1;
}

/** The range [from, to) of terms that start with `prefix`. */
export function prefixRange(seg: Segment, prefix: string): [number, number] {
  const from = lowerBound(seg.terms, prefix);
  // the terms with a prefix are contiguous: their end is where "prefix + highest char" would go
  const to = lowerBound(seg.terms, prefix + '\uffff');
  return [from, Math.max(from, to)];
}

/**
 * Calls `found(termIndex, distance)` for each term within `maxDistance` edits (Levenshtein) of
 * `word`. Walks the sorted term list like a trie: rows of the edit-distance table are kept for
 * the prefix shared with the previous term, and a whole block of terms sharing a prefix is
 * skipped as soon as that prefix is already too far from `word`.
 */
export function fuzzyTerms(seg: Segment, word: string, maxDistance: number, found: (term: number, distance: number) => void): void {
  const list = seg.terms;
  const m = word.length;
  const maxLen = m + maxDistance;
  const rows: Int32Array[] = [];
  for (let d = 0; d <= maxLen; d++) rows.push(new Int32Array(m + 1));
  for (let j = 0; j <= m; j++) rows[0][j] = j;
  let prev = '';
  let i = 0;
  while (i < list.length) {
    const t = list[i];
    let common = 0;
    const lim = Math.min(prev.length, t.length, maxLen);
    while (common < lim && prev.charCodeAt(common) === t.charCodeAt(common)) common++;
    let depth = common;
    let pruned = -1;
    const end = Math.min(t.length, maxLen);
    for (; depth < end; depth++) {
      const above = rows[depth];
      const row = rows[depth + 1];
      const c = t.charCodeAt(depth);
      row[0] = depth + 1;
      let best = row[0];
      for (let j = 1; j <= m; j++) {
        const cost = word.charCodeAt(j - 1) === c ? 0 : 1;
        let v = above[j - 1] + cost;
        const del = above[j] + 1;
        const ins = row[j - 1] + 1;
        if (del < v) v = del;
        if (ins < v) v = ins;
        row[j] = v;
        if (v < best) best = v;
      }
      if (best > maxDistance) {
        pruned = depth + 1;
        break;
      }
    }
    prev = t;
    if (pruned > 0) {
      // every term starting with t[0, pruned) is too far: jump past them
      i = skipPrefix(list, i, t, pruned);
      continue;
    }
    if (t.length <= maxLen) {
      const d = rows[t.length][m];
      if (d <= maxDistance) found(i, d);
    }
    i++;
  }
}

/** One query word: matched exactly, and optionally as a prefix and with typos. */
export interface QueryWord {
  term: string;
  prefix: boolean;
  /** Maximum edit distance (0: no typo tolerance). */
  fuzzy: number;
}

/** How a search weighs fields and derived terms. */
export interface ScoreOptions {
  /** Weight per field id; 0 leaves the field out. */
  boost: Float64Array;
  prefixWeight: number;
  fuzzyWeight: number;
}

const K1 = 1.2;
const B = 0.7;
const DELTA = 0.5;

/** A segment taking part in a search, with its scratch accumulators. */
export interface Searched {
  seg: Segment;
  /** Documents excluded from results (e.g. duplicates shown from another source), or undefined. */
  hidden?: Uint8Array;
  score: Float64Array;
  mask: Uint32Array;
  touched: Uint32Array;
  touchedCount: number;
}

/** Scratch space for searching `seg` (reused across searches). */
export function scratchFor(seg: Segment): Searched {
  return { seg, score: new Float64Array(seg.docCount), mask: new Uint32Array(seg.docCount), touched: new Uint32Array(seg.docCount), touchedCount: 0 };
}

/**
 * Scores every document of every segment against `words`. Returns, per segment, the documents
 * touched (in `touched[0…touchedCount)`), each with its summed score and the bit mask of the
 * query words it matched. Call {@link resetScratch} after reading them.
 */
export function scoreWords(all: readonly Searched[], words: readonly QueryWord[], opts: ScoreOptions, and = false): void {
  const F = FIELD_COUNT;
  let N = 0;
  const lenSum = new Float64Array(F);
  for (const s of all) {
    N += s.seg.docCount;
    for (let f = 0; f < F; f++) lenSum[f] += s.seg.fieldLengthSum[f];
  }
  if (!N) return;
  const avg = new Float64Array(F);
  for (let f = 0; f < F; f++) avg[f] = lenSum[f] / N || 1;
  const df = new Float64Array(F);
  const idf = new Float64Array(F);
  const single = all.length === 1;
  /** Documents must already match these words to be scored further (AND searches). */
  let required = 0;
  /** Adds the postings of term `ti` of segment `s`, weighted `w`, for query word `qi`. */
  const addTerm = (s: Searched, ti: number, w: number, bit: number): void => {
    const seg = s.seg;
    // document frequency of the term over all segments, per field
    if (single) for (let f = 0; f < F; f++) df[f] = seg.fieldDf[ti * F + f];
    else {
      df.fill(0);
      const t = seg.terms[ti];
      for (const o of all) {
        const j = o === s ? ti : findTerm(o.seg, t);
        if (j >= 0) for (let f = 0; f < F; f++) df[f] += o.seg.fieldDf[j * F + f];
      }
    }
    for (let f = 0; f < F; f++) idf[f] = df[f] ? Math.log(1 + (N - df[f] + 0.5) / (df[f] + 0.5)) * opts.boost[f] * w : 0;
    const { postDoc, postMeta, fieldLength } = seg;
    const { score, mask, touched } = s;
    for (let p = seg.termStart[ti], e = seg.termStart[ti + 1]; p < e; p++) {
      const meta = postMeta[p];
      const f = meta & 7;
      const g = idf[f];
      if (!g) continue;
      const doc = postDoc[p];
      if (required && (mask[doc] & required) !== required) continue;
      const tf = meta >>> 3;
      const rel = fieldLength[doc * F + f] / avg[f];
      const v = g * (DELTA + (tf * (K1 + 1)) / (tf + K1 * (1 - B + B * rel)));
      if (mask[doc] === 0) touched[s.touchedCount++] = doc;
      mask[doc] |= bit;
      score[doc] += v;
    }
  };
  // AND searches start from the word with the fewest postings: later words only add to the
  // documents every earlier word matched
  const order = words.map((_, i) => i);
  if (and && words.length > 1) {
    const cost = words.map((w) => {
      let n = 0;
      for (const s of all) {
        const [from, to] = w.prefix ? prefixRange(s.seg, w.term) : [findTerm(s.seg, w.term), findTerm(s.seg, w.term) + 1];
        if (from >= 0) n += Math.min(s.seg.termStart[to] - s.seg.termStart[from], PREFIX_POSTINGS);
      }
      return n;
    });
    order.sort((a, b) => cost[a] - cost[b]);
  }
  for (const qi of order) {
    const word = words[qi];
    const bit = 1 << Math.min(qi, 31);
    for (const s of all) {
      const seg = s.seg;
      const exact = findTerm(seg, word.term);
      if (exact >= 0) addTerm(s, exact, 1, bit);
      let from = 0;
      let to = 0;
      if (word.prefix) {
        [from, to] = prefixRange(seg, word.term);
        const len = word.term.length;
        for (const ti of prefixExpansions(seg, from, to, exact)) {
          const tl = seg.terms[ti].length;
          addTerm(s, ti, (opts.prefixWeight * tl) / (tl + 0.3 * (tl - len)), bit);
        }
      }
      if (word.fuzzy > 0) {
        fuzzyTerms(seg, word.term, word.fuzzy, (ti, d) => {
          if (d === 0 || (ti >= from && ti < to)) return; // exact and prefix matches count once
          const tl = seg.terms[ti].length;
          addTerm(s, ti, (opts.fuzzyWeight * tl) / (tl + d), bit);
        });
      }
    }
    if (and) required |= bit;
  }
}

/**
 * At most this many postings are scored for the words a prefix expands to, per segment: a word
 * typed as "ne" in a 100k-entry library starts thousands of terms. The shortest expansions (the
 * ones weighted highest) are taken first, so results sharpen as more letters are typed.
 */
export const PREFIX_POSTINGS = 30_000;

/** The terms in [from, to) other than `exact` that a prefix search scores, within the budget. */
function prefixExpansions(seg: Segment, from: number, to: number, exact: number): number[] {
  const out: number[] = [];
  for (let ti = from; ti < to; ti++) if (ti !== exact) out.push(ti);
  const count = (ti: number) => seg.termStart[ti + 1] - seg.termStart[ti];
  if (seg.termStart[to] - seg.termStart[from] <= PREFIX_POSTINGS) return out;
  out.sort((a, b) => seg.terms[a].length - seg.terms[b].length || count(b) - count(a));
  let used = 0;
  let n = 0;
  for (; n < out.length; n++) {
    used += count(out[n]);
    if (used > PREFIX_POSTINGS && n > 0) break;
  }
  return out.slice(0, n);
}

/** Clears what {@link scoreWords} left in the accumulators. */
export function resetScratch(s: Searched): void {
  for (let i = 0; i < s.touchedCount; i++) {
    const d = s.touched[i];
    s.score[d] = 0;
    s.mask[d] = 0;
  }
  s.touchedCount = 0;
}

/** Number of set bits. */
export function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
