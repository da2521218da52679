/**
 * Mentions of library papers in a document: citation keys, full titles in prose, and system
 * names ("LongLoRA"). The cost of a scan is linear in the document length and does not grow with
 * the library: the text is read once into a token stream (with offsets back into the original
 * text), titles are found by walking a trie of title tokens built once per library, and names by
 * a hash lookup of each word. Pure TypeScript, no `vscode` import; never throws on odd input.
 */
import { Paper, foldAscii, systemName } from '../model/paper';
import { lexDocument } from '../citations/documentLexer';
import { CLASS_COMMENT, CLASS_IGNORED, CLASS_MATH, CLASS_PROSE, CLASS_TRANSPARENT } from '../citations/lexedDocument';
import { isWordCode } from '../citations/characters';
import { DocumentSyntax } from '../citations/languages';
import { DEFAULT_COMMON_NAMES, isCommonName } from './commonNames';

/** One recognised mention. `key` is the library key of the paper; offsets are UTF-16, end exclusive. */
export interface Mention {
  /** `key`: a citation key; `title`: the paper's full title in prose; `name`: its system name. */
  kind: 'key' | 'title' | 'name';
  key: string;
  /** The whole matched range in the original text (for a title, from its first word to its last). */
  start: number;
  end: number;
}

/** Options of a {@link MentionMatcher}. */
export interface MentionMatcherOptions {
  /**
   * Names never matched (compared case-insensitively). Replaces {@link DEFAULT_COMMON_NAMES};
   * pass `new Set([...DEFAULT_COMMON_NAMES, 'extra'])` to extend it. Names made only of generic
   * title words are skipped whatever the list (see `isCommonName`).
   */
  commonNames?: ReadonlySet<string>;
  /** Titles with fewer words than this are not matched in prose (too likely an ordinary phrase). Default 4. */
  minTitleWords?: number;
}

// ---------------------------------------------------------------------------------------------
// Folding: the same per-character normalisation for titles and for document text
// ---------------------------------------------------------------------------------------------

/** Folded form of a non-ASCII code unit: lower-case ASCII letters/digits, '' (separator) or null (invisible mark). */
const foldCache = new Map<number, string | null>();
const MARK_RE = /^\p{M}$/u;

function foldUnit(c: number): string | null {
  let f = foldCache.get(c);
  if (f === undefined) {
    const ch = String.fromCharCode(c);
    if (MARK_RE.test(ch)) f = null;
    else {
      let s = '';
      try { s = foldAscii(ch).toLowerCase(); } catch { s = ''; }
      f = s.replace(/[^a-z0-9]/g, '');
    }
    foldCache.set(c, f);
  }
  return f;
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

const ASCII_RE = /^[\x00-\x7f]*$/;

/** ASCII character kinds for the tokenizer: 0 separator, 1 lower-case letter or digit, 2 upper-case letter. */
const CHAR_KIND = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CHAR_KIND[c] = 1;
for (let c = 97; c <= 122; c++) CHAR_KIND[c] = 1;
for (let c = 65; c <= 90; c++) CHAR_KIND[c] = 2;

/** Whether the line after the newline at `i` is blank (a paragraph break). */
function blankLineAfter(text: string, i: number, n: number): boolean {
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === 10) return true;
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return false;
}

/**
 * The normalised words of a title: accent-folded, lower case, split at anything that is not a
 * letter or digit ("Few-Shot" → "few", "shot"). Exported for tests.
 */
export function titleWords(title: string): string[] {
  if (ASCII_RE.test(title)) return title.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < title.length; i++) {
    const c = title.charCodeAt(i);
    if (c < 128) {
      if (isAsciiAlnum(c)) cur += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
      else if (cur) { out.push(cur); cur = ''; }
      continue;
    }
    const f = foldUnit(c);
    if (f === null) continue;
    if (f) cur += f;
    else if (cur) { out.push(cur); cur = ''; }
  }
  if (cur) out.push(cur);
  return out;
}

/** Marker stored in the word table for a hash shared by two words. */
const COLLIDED = -2;

/** Hashes are kept to 30 bits so that V8 stores them as small integers (fast Map keys). */
const HASH_MASK = 0x3fffffff;

function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) & HASH_MASK;
  return h;
}

// ---------------------------------------------------------------------------------------------
// An integer hash table (open addressing) for the hot lookups
// ---------------------------------------------------------------------------------------------

/**
 * Maps a pair of 30-bit integers to an integer (-1 meaning absent), in typed arrays: no
 * per-entry objects and no key boxing, which makes scans several times faster than with `Map`.
 */
class PairTable {
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
class TitleTrie {
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

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

interface NameEntry {
  text: string;
  paper: number;
}

const SUPERSCRIPTS: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '+': '⁺', '-': '⁻', n: 'ⁿ', i: 'ⁱ',
};

/**
 * The ways a name is written in a document: as is, and for a superscript (`E^2-LLM`) also
 * `E$^2$-LLM`, `E$^{2}$-LLM`, `E\textsuperscript{2}-LLM`, `E^2^-LLM` (Pandoc) and `E²-LLM`.
 */
export function nameVariants(name: string): string[] {
  const out = new Set([name]);
  const sup = /\^(?:\{([^{}]+)\}|([0-9]+|[A-Za-z+-]))/g;
  if (name.includes('^')) {
    const rep = (f: (x: string) => string): string => name.replace(sup, (_m, a: string | undefined, b: string | undefined) => f(a ?? b ?? ''));
    out.add(rep((x) => '$^' + x + '$'));
    out.add(rep((x) => '$^{' + x + '}$'));
    out.add(rep((x) => '\\textsuperscript{' + x + '}'));
    out.add(rep((x) => '^' + x + '^'));
    out.add(rep((x) => '^{' + x + '}'));
    out.add(rep((x) => '^' + x));
    const uni = rep((x) => ([...x].every((ch) => SUPERSCRIPTS[ch]) ? [...x].map((ch) => SUPERSCRIPTS[ch]).join('') : '\u0000'));
    if (!uni.includes('\u0000')) out.add(uni);
  }
  return [...out];
}

/** Hash of the first word run of `s` (case-sensitive), or undefined when `s` does not start with a word character. */
function firstRunHash(s: string): number | undefined {
  let h = 0;
  let i = 0;
  while (i < s.length && isWordCode(s.charCodeAt(i))) { h = (Math.imul(h, 31) + s.charCodeAt(i)) & HASH_MASK; i++; }
  return i === 0 ? undefined : h;
}

// ---------------------------------------------------------------------------------------------
// The matcher
// ---------------------------------------------------------------------------------------------

/**
 * Finds mentions of library papers in a document. Build one per library (construction indexes
 * every title and name: about a few hundred ms for 100k papers) and call {@link scan} per
 * document version.
 *
 * - Keys: every citation key of the document that the library knows (exact, else
 *   case-insensitive as BibTeX compares keys). Use `findCitations` for unknown keys.
 * - Titles: a paper's full title in prose, case- and accent-insensitively, across line breaks,
 *   repeated spaces, LaTeX markup (`\emph{…}`, `\textit{…}`, braces, `~`, `--`, `\"u`) and
 *   Markdown emphasis; never across a blank line, a citation, code or a URL. Titles of fewer than
 *   `minTitleWords` words are not matched. The longest title wins where titles overlap.
 * - Names: a paper's system name (`systemName(title)`), case-sensitively, as a whole word
 *   ("LongLoRA" but not "preLongLoRA" or "LongLoRAx"), never in math, in or right after a LaTeX
 *   command (`\Sigma`), in a citation, comment, code or URL, nor inside a title mention; names on
 *   the common-names list are never matched. The longest name wins where names overlap.
 * When two papers share a title or a name, the first one passed wins.
 */
export class MentionMatcher {
  private readonly papers: readonly Paper[];
  private readonly keyExact = new Map<string, number>();
  private keyLower: Map<string, number> | undefined;
  private readonly trie = new TitleTrie();
  /** hash of a name's first word run → index into `nameLists`. */
  private readonly nameIndex = new PairTable(1 << 10);
  private readonly nameLists: NameEntry[][] = [];
  private nameTotal = 0;
  private readonly minTitleWords: number;
  /** Token buffers reused from scan to scan (they only grow). */
  private buffers = { cap: 0, start: new Int32Array(0), end: new Int32Array(0), id: new Int32Array(0), brk: new Uint8Array(0) };

  constructor(papers: readonly Paper[], options: MentionMatcherOptions = {}) {
    this.papers = Array.isArray(papers) ? papers : [];
    this.minTitleWords = Math.max(1, options.minTitleWords ?? 4);
    const common = options.commonNames ?? DEFAULT_COMMON_NAMES;
    const seenNames = new Set<string>();
    for (let p = 0; p < this.papers.length; p++) {
      const paper = this.papers[p];
      if (!paper || typeof paper.key !== 'string') continue;
      if (!this.keyExact.has(paper.key)) this.keyExact.set(paper.key, p);
      const title = typeof paper.title === 'string' ? paper.title : '';
      if (!title) continue;
      this.trie.addTitle(title, p, this.minTitleWords);
      const colon = title.indexOf(':');
      if (colon <= 0 || colon > 40) continue;
      const name = systemName(title);
      if (name && !seenNames.has(name) && !isCommonName(name, common)) {
        seenNames.add(name);
        for (const v of nameVariants(name)) {
          const h = firstRunHash(v);
          if (h === undefined) continue;
          let li = this.nameIndex.get(h, 0);
          if (li < 0) {
            li = this.nameLists.length;
            this.nameLists.push([]);
            this.nameIndex.set(h, 0, li);
          }
          this.nameLists[li].push({ text: v, paper: p });
        }
        this.nameTotal++;
      }
    }
    for (const list of this.nameLists) if (list.length > 1) list.sort((a, b) => b.text.length - a.text.length);
  }

  /** Keys by lower case, built on the first lookup that needs it. */
  private lowerKeys(): Map<string, number> {
    if (!this.keyLower) {
      this.keyLower = new Map();
      for (const [k, p] of this.keyExact) {
        const lk = k.toLowerCase();
        if (!this.keyLower.has(lk)) this.keyLower.set(lk, p);
      }
    }
    return this.keyLower;
  }

  /** Number of titles indexed (distinct, long enough). */
  get titleCount(): number {
    return this.trie.count;
  }

  /** Number of system names indexed (distinct, not common). */
  get nameCount(): number {
    return this.nameTotal;
  }

  /**
   * The mentions in `text`, sorted by start offset: known citation keys, titles in prose and
   * system names (see the class description). Linear in the length of `text`.
   */
  scan(text: string, syntax: DocumentSyntax): Mention[] {
    if (typeof text !== 'string' || !text) return [];
    try {
      const lexed = lexDocument(text, syntax);
      const out: Mention[] = [];
      for (const c of lexed.citations) {
        for (const k of c.keys) {
          if (!k.key) continue;
          const p = this.keyExact.get(k.key) ?? this.lowerKeys().get(k.key.toLowerCase());
          if (p !== undefined) out.push({ kind: 'key', key: this.papers[p].key, start: k.start, end: k.end });
        }
      }
      if (this.trie.count || this.nameTotal) out.push(...this.scanProse(text, lexed.mask));
      out.sort((a, b) => a.start - b.start || b.end - a.end);
      return out;
    } catch {
      return [];
    }
  }

  /**
   * One pass over the prose: tokenises it (with offsets; folded words for titles, raw words for
   * names), then walks the title trie from every word and checks the name candidates.
   */
  private scanProse(text: string, mask: Uint8Array): Mention[] {
    const n = text.length;
    const cap = (n >> 1) + 2;
    if (this.buffers.cap < cap) {
      this.buffers = { cap, start: new Int32Array(cap), end: new Int32Array(cap), id: new Int32Array(cap), brk: new Uint8Array(cap) };
    }
    const { start: tokStart, end: tokEnd, id: tokId, brk: tokBreak } = this.buffers;
    const trie = this.trie;
    const nameIndex = this.nameIndex;
    const checkNames = this.nameTotal > 0;
    /** name candidates: token index, name list index */
    const candidates: number[] = [];
    let count = 0;
    let inTok = false;
    let start = 0;
    let last = 0;
    let h = 0;
    let raw = 0;
    let pendingBreak = true;
    // i runs one past the end so that the last word is flushed
    for (let i = 0; i <= n; i++) {
      let brk = false;
      if (i < n) {
        const c = text.charCodeAt(i);
        const m = mask[i];
        if (m === CLASS_PROSE || m === CLASS_MATH) {
          if (c < 128) {
            const kind = CHAR_KIND[c];
            if (kind !== 0) {
              if (!inTok) { inTok = true; start = i; h = 0; raw = 0; }
              h = (Math.imul(h, 31) + (kind === 2 ? c + 32 : c)) & HASH_MASK;
              raw = (Math.imul(raw, 31) + c) & HASH_MASK;
              last = i + 1;
              continue;
            }
            if (c === 10 && blankLineAfter(text, i, n)) brk = true;
          } else {
            const f = foldUnit(c);
            if (f === null) { if (inTok) raw = (Math.imul(raw, 31) + c) & HASH_MASK; continue; }
            if (f) {
              if (!inTok) { inTok = true; start = i; h = 0; raw = 0; }
              for (let k = 0; k < f.length; k++) h = (Math.imul(h, 31) + f.charCodeAt(k)) & HASH_MASK;
              raw = (Math.imul(raw, 31) + c) & HASH_MASK;
              last = i + 1;
              continue;
            }
          }
        } else if (m === CLASS_TRANSPARENT) continue;
        else if (m === CLASS_IGNORED) brk = true;
        // commands and comments separate words without breaking a title
      }
      if (inTok) {
        inTok = false;
        let id = trie.idOfHash(h);
        if (id === COLLIDED) id = trie.idOfWord(this.tokenText(text, mask, start, last));
        tokStart[count] = start;
        tokEnd[count] = last;
        tokId[count] = id;
        tokBreak[count] = pendingBreak ? 1 : 0;
        pendingBreak = false;
        if (checkNames) {
          const li = nameIndex.get(raw, 0);
          if (li >= 0 && mask[start] === CLASS_PROSE) candidates.push(count, li);
        }
        count++;
      }
      if (brk) pendingBreak = true;
    }

    // titles: the longest title starting at each word, left to right
    const titles: Mention[] = [];
    for (let i = 0; i < count && trie.count; i++) {
      const id0 = tokId[i];
      if (id0 < 0) continue;
      let node = trie.child(0, id0);
      if (node < 0) continue;
      let best = trie.terminalOf(node);
      let bestEnd = best >= 0 ? i : -1;
      for (let j = i + 1; j < count; j++) {
        if (tokBreak[j]) break;
        const id = tokId[j];
        if (id < 0) break;
        node = trie.child(node, id);
        if (node < 0) break;
        const t = trie.terminalOf(node);
        if (t >= 0) { best = t; bestEnd = j; }
      }
      if (best < 0) continue;
      // guard against hash collisions: the words must really be the title's words
      let ok = true;
      for (let j = i; j <= bestEnd && ok; j++) {
        ok = this.tokenText(text, mask, tokStart[j], tokEnd[j]) === trie.words[trie.titleWordId(best, j - i)];
      }
      if (!ok) continue;
      titles.push({ kind: 'title', key: this.papers[best].key, start: tokStart[i], end: tokEnd[bestEnd] });
      i = bestEnd;
    }

    // names: the candidates whose text really is a name, as a whole word, outside titles
    const out = titles.slice();
    let t = 0;
    let skipUntil = 0;
    for (let c = 0; c < candidates.length; c += 2) {
      const s = tokStart[candidates[c]];
      if (s < skipUntil) continue;
      if (s > 0) {
        const p = text.charCodeAt(s - 1);
        if (p === 92 || p === 64 || p === 35 || isWordCode(p)) continue; // \Sigma, @name, #name, xName
      }
      for (const entry of this.nameLists[candidates[c + 1]]) {
        const e = s + entry.text.length;
        if (e > n || !text.startsWith(entry.text, s)) continue;
        if (e < n && isWordCode(text.charCodeAt(e))) continue;
        if (mask[e - 1] !== CLASS_PROSE) continue;
        let clean = true;
        for (let q = s; q < e; q++) if (mask[q] === CLASS_IGNORED || mask[q] === CLASS_COMMENT) { clean = false; break; }
        if (!clean) continue;
        while (t < titles.length && titles[t].end <= s) t++;
        if (t < titles.length && titles[t].start < e) break; // inside a title mention
        out.push({ kind: 'name', key: this.papers[entry.paper].key, start: s, end: e });
        skipUntil = e;
        break;
      }
    }
    return out;
  }

  /** The normalised word of the text range [s, e) (the same folding as titles). */
  private tokenText(text: string, mask: Uint8Array, s: number, e: number): string {
    let w = '';
    for (let i = s; i < e; i++) {
      if (mask[i] === CLASS_TRANSPARENT) continue;
      const c = text.charCodeAt(i);
      if (c < 128) {
        if (isAsciiAlnum(c)) w += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
        continue;
      }
      const f = foldUnit(c);
      if (f) w += f;
    }
    return w;
  }
}
