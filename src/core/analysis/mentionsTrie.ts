/**
 * The title index of the mention matcher: a trie over title word ids, with integer hash tables
 * in typed arrays so that a scan does not allocate per word.
 */
import { ASCII_RE, CHAR_KIND, COLLIDED, HASH_MASK, hashString, titleWords } from './mentionsFold';

// ---------------------------------------------------------------------------------------------
// An integer hash table (open addressing) for the hot lookups
// ---------------------------------------------------------------------------------------------

/**
 * Maps a pair of 30-bit integers to an integer (-1 meaning absent), in typed arrays: no
 * per-entry objects and no key boxing, which makes scans several times faster than with `Map`.
 */
export class PairTable {
  private ka: Int32Array;
  private kb: Int32Array;
  private vals: Int32Array;
  private bits: number;
  size = 0;

  constructor(expected = 1024) {
    this.bits = 4;
    while (1 << this.bits < expected * 2) this.bits++;
    const cap = 1 << this.bits;
    this.ka = new Int32Array(cap);
    this.kb = new Int32Array(cap);
    this.vals = new Int32Array(cap).fill(-1);
  }

  private slot(a: number, b: number): number {
    return (Math.imul(a ^ Math.imul(b, 0x27d4eb2d), 0x9e3779b1) >>> (32 - this.bits));
  }

  /** The value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const m = (1 << this.bits) - 1;
    let i = this.slot(a, b);
    for (;;) {
      const v = this.vals[i];
      if (v === -1) return -1;
      if (this.ka[i] === a && this.kb[i] === b) return v;
      i = (i + 1) & m;
    }
  }

  /** Stores a value (anything but -1) for (a, b), replacing any previous one. */
  set(a: number, b: number, v: number): void {
    if ((this.size + 1) * 2 > 1 << this.bits) this.grow();
    const m = (1 << this.bits) - 1;
    let i = this.slot(a, b);
    for (;;) {
      if (this.vals[i] === -1) { this.ka[i] = a; this.kb[i] = b; this.vals[i] = v; this.size++; return; }
      if (this.ka[i] === a && this.kb[i] === b) { this.vals[i] = v; return; }
      i = (i + 1) & m;
    }
  }

  private grow(): void {
    const { ka, kb, vals } = this;
    this.bits++;
    const cap = 1 << this.bits;
    this.ka = new Int32Array(cap);
    this.kb = new Int32Array(cap);
    this.vals = new Int32Array(cap).fill(-1);
    this.size = 0;
    for (let i = 0; i < vals.length; i++) if (vals[i] !== -1) this.set(ka[i], kb[i], vals[i]);
  }
}

// ---------------------------------------------------------------------------------------------
// The title trie
// ---------------------------------------------------------------------------------------------

/**
 * A trie over title word ids. Most nodes have one child (the rest of a title), stored inline
 * (`singleTok`/`singleNext`); the children of branching nodes (and of the root) live in one
 * {@link PairTable} keyed by (node, word id).
 */
export class TitleTrie {
  /** Word strings by id. */
  readonly words: string[] = [];
  /** word hash → id ({@link COLLIDED} when two words share the hash; then `collided` decides). */
  private readonly byHash = new PairTable(1 << 14);
  private readonly collided = new Map<string, number>();
  /** Children of the root, by word id. */
  private rootChild: Int32Array = new Int32Array(1 << 12).fill(-1);
  /** Children of branching nodes, by (node, word id). */
  private readonly edges = new PairTable(1 << 14);
  private singleTok: Int32Array = new Int32Array(1 << 16).fill(-1);
  private singleNext: Int32Array = new Int32Array(1 << 16);
  private terminal: Int32Array = new Int32Array(1 << 16).fill(-1);
  private nodes = 1;
  /** Word ids of each stored title, flat, with per-paper offsets (for verification). */
  private flat: Int32Array = new Int32Array(1 << 16);
  private flatLength = 0;
  private readonly titleOffset: number[] = [];
  /** Scratch word boundaries and hashes of the title being added. */
  private scratch: { start: Int32Array; end: Int32Array; hash: Int32Array } = { start: new Int32Array(64), end: new Int32Array(64), hash: new Int32Array(64) };
  count = 0;
  /** Papers whose title equals that of the paper stored at the node, by that paper. */
  private readonly same = new Map<number, number[]>();

  /** The other papers with the same title as `paper` (the one stored for it), in library order. */
  sameTitle(paper: number): readonly number[] {
    return this.same.get(paper) ?? [];
  }

  /** The id of a word given its hash: -1 when no title has it, {@link COLLIDED} when {@link idOfWord} must decide. */
  idOfHash(hash: number): number {
    return this.byHash.get(hash, 0);
  }

  /** The id of a word, or -1. */
  idOfWord(word: string): number {
    return this.collided.get(word) ?? -1;
  }

  /** The id of the lower-cased word title[s, e) (hash `h`), created when new. */
  private wordIdAt(title: string, s: number, e: number, h: number): number {
    const id = this.byHash.get(h, 0);
    if (id >= 0 && equalsLowered(this.words[id], title, s, e)) return id;
    return this.wordId(title.slice(s, e).toLowerCase(), h);
  }

  private wordId(w: string, h = hashString(w)): number {
    const id = this.byHash.get(h, 0);
    if (id >= 0 && this.words[id] === w) return id;
    if (id === COLLIDED) {
      const c = this.collided.get(w);
      if (c !== undefined) return c;
    }
    const nid = this.words.length;
    this.words.push(w);
    if (nid >= this.rootChild.length) this.rootChild = grow(this.rootChild, -1);
    if (id === -1) this.byHash.set(h, 0, nid);
    else {
      // two words share this hash: remember both by string
      if (id >= 0) this.collided.set(this.words[id], id);
      this.byHash.set(h, 0, COLLIDED);
      this.collided.set(w, nid);
    }
    return nid;
  }

  private newNode(): number {
    const n = this.nodes++;
    if (n >= this.singleTok.length) {
      this.singleTok = grow(this.singleTok, -1);
      this.singleNext = grow(this.singleNext, 0);
      this.terminal = grow(this.terminal, -1);
    }
    return n;
  }

  /**
   * Adds a title of at least `minWords` words (normalised as {@link titleWords} does); false when
   * it is too short or an identical title is already stored (the first paper keeps it).
   */
  addTitle(title: string, paper: number, minWords: number): boolean {
    if (!ASCII_RE.test(title)) {
      const words = titleWords(title);
      return words.length >= minWords && this.addIds(words.map((w) => this.wordId(w)), paper);
    }
    // ASCII: find the words and their hashes without allocating them
    let sc = this.scratch;
    let count = 0;
    let inTok = false;
    let h = 0;
    for (let i = 0; i <= title.length; i++) {
      const c = i < title.length ? title.charCodeAt(i) : 32;
      const kind = CHAR_KIND[c];
      if (kind !== 0) {
        if (!inTok) {
          inTok = true;
          h = 0;
          if (count >= sc.start.length) {
            sc = this.scratch = { start: grow(sc.start, 0), end: grow(sc.end, 0), hash: grow(sc.hash, 0) };
          }
          sc.start[count] = i;
        }
        h = (Math.imul(h, 31) + (kind === 2 ? c + 32 : c)) & HASH_MASK;
      } else if (inTok) {
        inTok = false;
        sc.end[count] = i;
        sc.hash[count] = h;
        count++;
      }
    }
    if (count < minWords) return false;
    const ids: number[] = new Array(count);
    for (let k = 0; k < count; k++) ids[k] = this.wordIdAt(title, sc.start[k], sc.end[k], sc.hash[k]);
    return this.addIds(ids, paper);
  }

  private addIds(ids: readonly number[], paper: number): boolean {
    let node = 0;
    const start = this.flatLength;
    while (start + ids.length > this.flat.length) this.flat = grow(this.flat, 0);
    for (const id of ids) {
      this.flat[this.flatLength++] = id;
      let next = this.child(node, id);
      if (next < 0) {
        next = this.newNode();
        if (node === 0) this.rootChild[id] = next;
        else if (this.singleTok[node] === -1) { this.singleTok[node] = id; this.singleNext[node] = next; }
        else {
          if (this.singleTok[node] >= 0) {
            this.edges.set(node, this.singleTok[node], this.singleNext[node]);
            this.singleTok[node] = -2;
          }
          this.edges.set(node, id, next);
        }
      }
      node = next;
    }
    if (this.terminal[node] >= 0) {
      // the same title again (a preprint and its proceedings version): the first paper keeps the
      // node, the others are remembered as its alternatives
      const first = this.terminal[node];
      const list = this.same.get(first);
      if (list) list.push(paper);
      else this.same.set(first, [paper]);
      this.flatLength = start;
      return false;
    }
    this.terminal[node] = paper;
    this.titleOffset[paper] = start;
    this.count++;
    return true;
  }

  /** The child of `node` by word `id`, or -1. */
  child(node: number, id: number): number {
    if (node === 0) return this.rootChild[id];
    const s = this.singleTok[node];
    if (s === id) return this.singleNext[node];
    if (s === -2) return this.edges.get(node, id);
    return -1;
  }

  /** The paper whose title ends at `node`, or -1. */
  terminalOf(node: number): number {
    return this.terminal[node];
  }

  /** The id of the k-th word of `paper`'s title. */
  titleWordId(paper: number, k: number): number {
    return this.flat[(this.titleOffset[paper] ?? 0) + k];
  }

  get nodeCount(): number {
    return this.nodes;
  }
}

/** A typed array twice as long, the new half filled with `fill`. */
function grow(a: Int32Array, fill: number): Int32Array {
  const b = new Int32Array(a.length * 2);
  if (fill !== 0) b.fill(fill, a.length);
  b.set(a);
  return b;
}

/** Whether `word` equals title[s, e) lower-cased (ASCII). */
function equalsLowered(word: string, title: string, s: number, e: number): boolean {
  if (word.length !== e - s) return false;
  for (let i = 0; i < word.length; i++) {
    let c = title.charCodeAt(s + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== word.charCodeAt(i)) return false;
  }
  return true;
}
