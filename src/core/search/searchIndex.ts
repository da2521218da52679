/**
 * Full-text search over papers. A `PaperIndex` holds one index segment per library source
 * (see `termIndex.ts`): a changed file re-indexes alone, a segment can be saved and loaded as
 * bytes (the persisted cache, the build-time index of the built-in corpus), and one search scores
 * all segments together so that scores compare across sources.
 *
 * Ranking: title and system name above key and ids, above authors, above abstract; the word being
 * typed matches as a prefix from its second letter, longer words always do; typo tolerance runs
 * only when exact and prefix matches find too little, bounded by word length.
 */
import { Paper, systemName } from '../model/paper';
import {
  FIELDS, QueryWord, ScoreOptions, Searched, Segment, SegmentBuilder, bitCount, resetScratch, scoreWords, scratchFor,
  isSeparator, normalizeText, terms,
} from './termIndex';
import { segmentFromBytes, segmentToBytes } from './segmentBytes';


/** Field weights: title and system name above ids, above authors, above abstract. */
export const FIELD_BOOST: Record<(typeof FIELDS)[number], number> = { name: 5, title: 3, ids: 3, authors: 2, abstract: 0.4 };

const boosts = (b: Partial<Record<(typeof FIELDS)[number], number>>): Float64Array => Float64Array.from(FIELDS.map((f) => b[f] ?? 0));
const SEARCH: ScoreOptions = { boost: boosts(FIELD_BOOST), prefixWeight: 0.7, fuzzyWeight: 0.45 };
/** Topic-style scoring: titles, names and abstracts, no ids or authors. */
const TOPIC: ScoreOptions = { boost: boosts({ name: 2, title: 2, abstract: 1 }), prefixWeight: 0.375, fuzzyWeight: 0.45 };

/** Writes the searchable text of `p` into `out` (by field id). */
export function paperFields(p: Paper, out: string[]): void {
  const n = systemName(p.title);
  // "Megatron-LM" is also searchable as "megatronlm"
  out[0] = n ? `${n} ${n.replace(/[^\p{L}\p{N}]+/gu, '')}` : '';
  out[1] = p.title;
  out[2] = [p.key, p.arxiv, p.doi, p.year].filter(Boolean).join(' ');
  out[3] = p.authors.join(' ');
  out[4] = p.abstract ?? '';
}

/**
 * What a search scans for a paper while its source's index is being built: title, U+0001,
 * authors, key and year, folded and lower-cased.
 */
export function scanText(p: Paper): string {
  return normalizeText(`${p.title} \u0001 ${p.authors.join(' ')} ${p.key} ${p.year ?? ''}`);
}

/** Makes the scan texts of `part` up to paper `end`. */
function scanTexts(part: { papers: readonly Paper[]; haystacks?: string[]; scanned?: number }, end: number): void {
  const hay = (part.haystacks ??= new Array(part.papers.length));
  const stop = Math.min(end, part.papers.length);
  let d = part.scanned ?? 0;
  for (; d < stop; d++) hay[d] = scanText(part.papers[d]);
  part.scanned = d;
}

/** Indexes papers in one go. */
export function indexPapers(papers: readonly Paper[]): Segment {
  const b = new SegmentBuilder(papers.length, (doc, out) => paperFields(papers[doc], out));
  return b.finish();
}

/** Indexes papers in slices of `slice`, yielding to the event loop between them. */
export async function indexPapersAsync(papers: readonly Paper[], slice = 2000): Promise<Segment> {
  const b = new SegmentBuilder(papers.length, (doc, out) => paperFields(papers[doc], out));
  while (!b.done) {
    b.add(slice);
    if (!b.done) await new Promise((r) => setImmediate(r));
  }
  return b.finish();
}

/** One hit: the paper and its score (higher is better). */
export interface SearchHit {
  paper: Paper;
  score: number;
}

interface Part {
  papers: readonly Paper[];
  /** The index; none while it is being built elsewhere (searches scan the papers meanwhile). */
  segment?: Segment;
  /** For scanning while the index is missing: each paper's {@link scanText}, the first `scanned` made. */
  haystacks?: string[];
  scanned?: number;
  scratch?: Searched;
  hidden?: Uint8Array;
  /** Lower-cased key, arXiv id or DOI → document (made on first use). */
  ids?: Map<string, number>;
}

/** A min-heap of the best `limit` (score, part, doc) triples. */
class TopK {
  readonly score: Float64Array;
  readonly part: Int32Array;
  readonly doc: Int32Array;
  size = 0;
  constructor(readonly limit: number) {
    this.score = new Float64Array(limit);
    this.part = new Int32Array(limit);
    this.doc = new Int32Array(limit);
  }
  /** The score a candidate must beat once the heap is full. */
  get floor(): number {
    return this.size < this.limit ? -Infinity : this.score[0];
  }
  push(score: number, part: number, doc: number): void {
    if (this.size < this.limit) {
      let i = this.size++;
      while (i > 0) {
        const up = (i - 1) >> 1;
        if (this.score[up] <= score) break;
        this.move(up, i);
        i = up;
      }
      this.put(i, score, part, doc);
      return;
    }
    if (score <= this.score[0]) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && this.score[r] < this.score[l] ? r : l;
      if (this.score[c] >= score) break;
      this.move(c, i);
      i = c;
    }
    this.put(i, score, part, doc);
  }
  private move(from: number, to: number): void {
    this.score[to] = this.score[from];
    this.part[to] = this.part[from];
    this.doc[to] = this.doc[from];
  }
  private put(i: number, score: number, part: number, doc: number): void {
    this.score[i] = score;
    this.part[i] = part;
    this.doc[i] = doc;
  }
  /** Entries best first. */
  sorted(): number[] {
    return [...Array(this.size).keys()].sort((a, b) => this.score[b] - this.score[a]);
  }
}

/**
 * A searchable set of papers, one segment per source. `set` adds or replaces a source's papers
 * (indexing them, or adopting a saved segment), `delete` drops them.
 */
export class PaperIndex {
  private readonly parts = new Map<string, Part>();

  /** An empty index. */
  static empty(): PaperIndex {
    return new PaperIndex();
  }

  /** Indexes `papers` now, as one source. */
  static build(papers: readonly Paper[]): PaperIndex {
    const ix = new PaperIndex();
    ix.set('papers', papers);
    return ix;
  }

  /** Loads an index saved by {@link PaperIndex.toBytes} of `build(papers)`; builds one if the bytes do not fit. */
  static load(papers: readonly Paper[], bytes: Uint8Array): PaperIndex {
    const ix = new PaperIndex();
    ix.set('papers', papers, segmentFromBytes(bytes));
    return ix;
  }

  /** The saved form of a one-source index (see {@link load}). */
  toBytes(): Uint8Array {
    const [part] = this.parts.values();
    return segmentToBytes(part?.segment ?? indexPapers([]));
  }

  /**
   * Adds or replaces source `id`. A given `segment` is used when it indexes exactly these papers
   * (as many documents), else the papers are indexed now.
   */
  set(id: string, papers: readonly Paper[], segment?: Segment): Segment {
    const seg = segment && segment.docCount === papers.length ? segment : indexPapers(papers);
    this.parts.set(id, { papers, segment: seg });
    return seg;
  }

  /**
   * Adds or replaces source `id` whose index is still being built (in a worker): until {@link set}
   * brings it, searches find the source's papers by scanning their titles, authors, keys and years
   * (every word as a word prefix; no typo tolerance; simpler ranking), so a large library answers
   * its first search while its index is built.
   */
  setPending(id: string, papers: readonly Paper[]): void {
    const part: Part = { papers, haystacks: new Array(papers.length), scanned: 0 };
    this.parts.set(id, part);
    // the scan texts are made in slices between other work, so the first search seldom has to
    const slice = (): void => {
      if (this.parts.get(id) !== part) return; // replaced, removed, or indexed
      scanTexts(part, part.scanned! + 4000);
      if (part.scanned! < papers.length) setImmediate(slice);
    };
    setImmediate(slice);
  }

  /** Removes source `id`. */
  delete(id: string): void {
    this.parts.delete(id);
  }

  /** The segment of source `id` (to save it). */
  segment(id: string): Segment | undefined {
    return this.parts.get(id)?.segment;
  }

  /** Marks documents of source `id` that searches must skip (1 = hidden), or clears the marks. */
  setHidden(id: string, hidden: Uint8Array | undefined): void {
    const part = this.parts.get(id);
    if (part) part.hidden = hidden;
  }

  get size(): number {
    let n = 0;
    for (const p of this.parts.values()) n += p.papers.length;
    return n;
  }

  private searched(): { parts: Part[]; all: Searched[] } {
    const parts = [...this.parts.values()].filter((p) => p.papers.length && p.segment);
    const all = parts.map((p) => {
      p.scratch ??= scratchFor(p.segment!);
      p.scratch.hidden = p.hidden;
      return p.scratch;
    });
    return { parts, all };
  }

  /** Scores every match of `words`; `keep` decides from the bit mask of matched words. */
  private run(words: QueryWord[], opts: ScoreOptions, and: boolean, keep: (mask: number) => boolean, visit: (part: number, doc: number, score: number) => void): void {
    const { all } = this.searched();
    try {
      scoreWords(all, words, opts, and);
      all.forEach((s, pi) => {
        const { touched, score, mask, hidden } = s;
        for (let i = 0; i < s.touchedCount; i++) {
          const d = touched[i];
          const m = mask[d];
          if (!keep(m) || (hidden && hidden[d])) continue;
          visit(pi, d, score[d] * bitCount(m));
        }
      });
    } finally {
      for (const s of all) resetScratch(s);
    }
  }

  /** Scores the papers of sources still being indexed (see {@link setPending}) into `top`. */
  private scanPending(words: readonly QueryWord[], top: TopK, parts: Part[]): void {
    if (!words.length) return;
    for (const part of this.parts.values()) {
      if (part.segment || !part.papers.length) continue;
      scanTexts(part, part.papers.length); // whatever the slices have not made yet
      const pi = parts.push(part) - 1;
      const { hidden } = part;
      const haystacks = part.haystacks!;
      for (let d = 0; d < haystacks.length; d++) {
        if (hidden?.[d]) continue;
        const hay = haystacks[d];
        const titleEnd = hay.indexOf('\u0001');
        let score = 0;
        for (const w of words) {
          // the word at a word start, whole (weight 1) or as a prefix (0.7) where prefixes are allowed
          let best = 0;
          const len = w.term.length;
          for (let at = hay.indexOf(w.term); at >= 0 && best < 3; at = hay.indexOf(w.term, at + 1)) {
            if (at > 0 && !isSeparator(hay.charCodeAt(at - 1))) continue;
            const whole = at + len === hay.length || isSeparator(hay.charCodeAt(at + len));
            if (!whole && !w.prefix) continue;
            const v = (at < titleEnd ? 3 : 2) * (whole ? 1 : 0.7);
            if (v > best) best = v;
          }
          if (!best) {
            score = 0;
            break;
          }
          score += best;
        }
        // comparable in size to index scores; shorter titles first among equals
        if (score) top.push(score * 4 + 1 / (1 + titleEnd), pi, d);
      }
    }
  }

  /** Scores of every paper matching any term of `query` (whole words and long prefixes, no typos). */
  scoreAll(query: string): Map<Paper, number> {
    const out = new Map<Paper, number>();
    const words = terms(query).map((term): QueryWord => ({ term, prefix: term.length >= 6, fuzzy: 0 }));
    if (!words.length) return out;
    const { parts } = this.searched();
    this.run(words, TOPIC, false, (m) => m !== 0, (pi, d, s) => out.set(parts[pi].papers[d], s));
    return out;
  }

  private exactId(q: string): Paper | undefined {
    // keys, arXiv ids and DOIs are one word with a digit or a separator ("vaswani2017", "1909.08053",
    // "10.1145/…", "knuth:tex"): other queries need not build the id table of a large library
    if (/\s/.test(q) || !/[\d:/]/.test(q)) return undefined;
    const k = q.toLowerCase();
    const id = k.replace(/^(arxiv:|https?:\/\/arxiv\.org\/abs\/)/, '').replace(/v\d+$/, '');
    for (const part of this.parts.values()) {
      if (!part.ids) {
        part.ids = new Map();
        part.papers.forEach((p, i) => {
          part.ids!.set(p.key.toLowerCase(), i);
          if (p.arxiv) part.ids!.set(p.arxiv.toLowerCase(), i);
          if (p.doi) part.ids!.set(p.doi.toLowerCase(), i);
        });
      }
      const i = part.ids.get(k) ?? part.ids.get(id);
      if (i !== undefined && !part.hidden?.[i]) return part.papers[i];
    }
    return undefined;
  }

  /** Ranked hits for `query` (best first), at most `limit`. An empty query returns nothing. */
  search(query: string, limit = 50): SearchHit[] {
    const q = query.trim();
    if (!q || limit <= 0) return [];
    const words = terms(q);
    const lastPrefix = !/\s$/.test(query);
    const exactWords = words.map((term, i): QueryWord => ({ term, prefix: (i === words.length - 1 && lastPrefix && term.length >= 2) || term.length >= 5, fuzzy: 0 }));
    const fuzzyWords = exactWords.map((w): QueryWord => ({ ...w, fuzzy: w.term.length >= 7 ? 2 : w.term.length >= 4 ? 1 : 0 }));
    const { parts } = this.searched();
    const full = words.length >= 32 ? 0xffffffff : (2 ** words.length - 1) >>> 0;
    const collect = (ws: QueryWord[], and: boolean): SearchHit[] => {
      if (!ws.length) return [];
      const top = new TopK(limit);
      this.run(ws, SEARCH, and, and ? (m) => m === full : (m) => m !== 0, (pi, d, s) => {
        if (s > top.floor) top.push(s, pi, d);
      });
      if (and && !ws.some((w) => w.fuzzy)) this.scanPending(ws, top, parts);
      const hits: SearchHit[] = [];
      for (const i of top.sorted()) {
        hits.push({ paper: parts[top.part[i]].papers[top.doc[i]], score: top.score[i] });
      }
      return hits;
    };
    const enough = Math.min(limit, 5);
    let hits = collect(exactWords, true);
    if (hits.length < enough && fuzzyWords.some((w) => w.fuzzy)) {
      const fuzzy = collect(fuzzyWords, true);
      if (fuzzy.length > hits.length) hits = fuzzy;
    }
    if (hits.length === 0 && words.length > 1) hits = collect(fuzzyWords, false);
    const exact = this.exactId(q);
    if (exact) {
      const best = hits.length ? hits[0].score : 1;
      return [{ paper: exact, score: best * 2 + 1 }, ...hits.filter((h) => h.paper !== exact)].slice(0, limit);
    }
    return hits;
  }
}

