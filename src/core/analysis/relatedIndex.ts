/**
 * The relatedness engine's inverted index: built once per library, shared by every ranking
 * parameter set (the field weights and saturation are applied at query time).
 *
 * Four fields per paper: title, abstract, keywords and venue. Real `.bib` files often have no
 * abstract, so keywords and venue carry much of a paper's topic. Each posting holds the paper and
 * its term frequency in each field (8 bits each, saturating), so a query weighs fields as it likes.
 * Word pairs (for phrase evidence) are counted in a count-min sketch; author family names index
 * their papers.
 */
import { Paper, familyName } from '../model/paper';
import { CompoundDictionary, ScanFlag, WordScan, collectCompounds, phrasePairs, scanWords, stemId, stemOfId } from '../text/tokenizer';
import { ChunkedInts } from './relatedChunks';
import { IntBuffer, fieldText, foldName, pairHash, rehash } from './relatedUtil';

/** The fields indexed, in posting order. */
export const FIELDS = ['title', 'abstract', 'keywords', 'venue'] as const;
export const FIELD_COUNT = FIELDS.length;

/** The texts of a paper's fields, in {@link FIELDS} order (markup stripped). */
export function paperFieldTexts(p: Paper): string[] {
  // keywords are separate phrases: a comma keeps a pair from spanning two of them
  return [fieldText(p.title), fieldText(p.abstract), fieldText(p.keywords?.join(', ')), fieldText(p.venue)];
}

export class RelatedIndex {
  readonly n: number;
  /** Process-wide stem id → this library's term id (-1: not in the library). */
  private sidToTerm = new Int32Array(1 << 16).fill(-1);
  /** Term id → process-wide stem id. */
  readonly termSids = new IntBuffer(1 << 14);
  df: Int32Array = new Int32Array(0);
  offsets: Int32Array = new Int32Array(1);
  postDocs: Int32Array = new Int32Array(0);
  /** Per posting, the term's frequency in each field, 8 bits each (title lowest). */
  postTfs: Uint32Array = new Uint32Array(0);
  /** Per field, each paper's length in words. */
  readonly fieldLen: Uint16Array[];
  readonly avgFieldLen: number[];
  /** Count-min sketch (two rows) of the document frequency of word pairs. */
  private readonly pairRow0: Uint16Array;
  private readonly pairRow1: Uint16Array;
  private readonly pairMask: number;
  /** Hyphenated compounds of the library, to split their closed spellings alike. */
  readonly compounds: CompoundDictionary = new Map();
  /** Folded family name → papers with an author of that name. */
  readonly authorDocs = new Map<string, number[]>();
  /** The library's stems sorted, for prefix expansion; built on first use. */
  private sortedStems: string[] | undefined;
  private keyDocs: Map<string, number> | undefined;

  constructor(readonly papers: readonly Paper[]) {
    this.n = papers.length;
    this.fieldLen = FIELDS.map(() => new Uint16Array(this.n));
    this.avgFieldLen = FIELDS.map(() => 1);
    const sketchBits = Math.min(22, Math.max(12, Math.ceil(Math.log2(this.n * 256 + 1))));
    this.pairRow0 = new Uint16Array(1 << sketchBits);
    this.pairRow1 = new Uint16Array(1 << sketchBits);
    this.pairMask = (1 << sketchBits) - 1;
    this.build();
  }

  /** This library's term id of a stem id, or -1. */
  termOf(sid: number): number {
    return sid < this.sidToTerm.length ? this.sidToTerm[sid] : -1;
  }

  /** Paper number of a key (built on first use). */
  docOfKey(key: string): number | undefined {
    if (!this.keyDocs) {
      this.keyDocs = new Map();
      this.papers.forEach((p, d) => this.keyDocs!.set(p.key, d));
    }
    return this.keyDocs.get(key);
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

  /** Words of a field text, compounds split as the library spells them. */
  scan(text: string, into?: WordScan): WordScan {
    return scanWords(text, this.compounds, into);
  }

  private build(): void {
    const texts = (p: Paper) => paperFieldTexts(p);
    for (const p of this.papers) {
      collectCompounds(p.title ?? '', this.compounds);
      collectCompounds(p.abstract ?? '', this.compounds);
    }
    // pass 1: per-paper term frequencies, field lengths, pair sketch, author index
    const docStart = new Int32Array(this.n + 1);
    const terms = new ChunkedInts();
    const tfs = new ChunkedInts(); // packed like postTfs
    const sums = FIELDS.map(() => 0);
    let tfScratch = new Int32Array(1 << 14); // per term id, packed like `tfs`
    const docTerms = new IntBuffer(256);
    // per-paper set of pair hashes: open addressing, stamped with the paper number
    let pairSlots = new Int32Array(1 << 12);
    let pairStamp = new Int32Array(1 << 12);
    const scan = new WordScan();
    const pairs: number[] = [];
    let ids = new Int32Array(1024);
    // a venue is shared by thousands of papers: analysed once
    const venueScans = new Map<string, { ids: Int32Array; len: number }>();
    for (let d = 0; d < this.n; d++) {
      docStart[d] = terms.length;
      docTerms.length = 0;
      const p = this.papers[d];
      const fields = texts(p);
      // a paper has fewer pairs than half its characters: size the pair set once per paper
      const maxPairs = (fields[0].length + fields[1].length + fields[2].length) >> 1;
      if (maxPairs * 2 > pairSlots.length) {
        let size = pairSlots.length;
        while (size < maxPairs * 2) size *= 2;
        pairSlots = new Int32Array(size);
        pairStamp = new Int32Array(size);
      }
      const mask = pairSlots.length - 1;
      const stamp = d + 1;
      const count = (t: number, f: number) => {
        if (t >= tfScratch.length) {
          const next = new Int32Array(tfScratch.length * 2);
          next.set(tfScratch);
          tfScratch = next;
        }
        const c = tfScratch[t];
        if (c === 0) docTerms.push(t);
        const shift = f * 8;
        if (((c >>> shift) & 0xff) < 0xff) tfScratch[t] = c + (1 << shift);
      };
      for (let f = 0; f < FIELD_COUNT; f++) {
        if (f === 3) {
          let v = venueScans.get(fields[3]);
          if (!v) {
            this.scan(fields[3], scan);
            const vids: number[] = [];
            let len = 0;
            for (let i = 0; i < scan.length; i++) {
              if (scan.words[i].stop) continue;
              vids.push(this.addTerm(scan.words[i].sid));
              if ((scan.flags[i] & ScanFlag.Compound) === 0) len++;
            }
            v = { ids: Int32Array.from(vids), len };
            if (venueScans.size < 100_000) venueScans.set(fields[3], v);
          }
          for (const t of v.ids) count(t, 3);
          this.fieldLen[3][d] = Math.min(v.len, 0xffff);
          sums[3] += v.len;
          continue;
        }
        this.scan(fields[f], scan);
        if (ids.length < scan.length) ids = new Int32Array(scan.length * 2);
        let len = 0;
        for (let i = 0; i < scan.length; i++) {
          const w = scan.words[i];
          if (w.stop) continue;
          const t = this.addTerm(w.sid);
          ids[i] = t;
          // a compound's joined form is an alias of its parts, not one more word
          if ((scan.flags[i] & ScanFlag.Compound) === 0) len++;
          count(t, f);
        }
        this.fieldLen[f][d] = Math.min(len, 0xffff);
        sums[f] += len;
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
        terms.push(t);
        tfs.push(tfScratch[t]);
        tfScratch[t] = 0;
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
    for (let f = 0; f < FIELD_COUNT; f++) this.avgFieldLen[f] = Math.max(1, sums[f] / Math.max(1, this.n));

    // pass 2: document frequencies, postings offsets
    const v = this.termSids.length;
    const df = new Int32Array(v);
    terms.forEach((t) => df[t]++);
    const offsets = new Int32Array(v + 1);
    for (let t = 0; t < v; t++) offsets[t + 1] = offsets[t] + df[t];
    const fill = offsets.slice(0, v);
    const postDocs = new Int32Array(terms.length);
    const postTfs = new Uint32Array(terms.length);
    // postings in paper order: paper d's entries are docStart[d] .. docStart[d + 1]
    let d = 0;
    terms.forEach((t, i) => {
      while (i >= docStart[d + 1]) d++;
      const at = fill[t]++;
      postDocs[at] = d;
      postTfs[at] = tfs.get(i);
    });
    this.df = df;
    this.offsets = offsets;
    this.postDocs = postDocs;
    this.postTfs = postTfs;
  }

  /** Counts one more paper containing the pair whose {@link pairHash} is `h`. */
  private bumpPair(h: number): void {
    const i0 = h & this.pairMask;
    const i1 = rehash(h) & this.pairMask;
    if (this.pairRow0[i0] < 0xffff) this.pairRow0[i0]++;
    if (this.pairRow1[i1] < 0xffff) this.pairRow1[i1]++;
  }

  /** Estimated number of papers containing the pair (a, b): never less than the truth. */
  pairDf(a: number, b: number): number {
    const h = pairHash(a, b);
    return Math.min(this.pairRow0[h & this.pairMask], this.pairRow1[rehash(h) & this.pairMask]);
  }

  /** Up to three terms whose stems start with `prefix`, shortest first. */
  prefixExpansions(prefix: string): number[] {
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

  /** Robertson–Spärck Jones idf as Lucene computes it. */
  idf(df: number): number {
    return Math.log(1 + (this.n - df + 0.5) / (df + 0.5));
  }
}
