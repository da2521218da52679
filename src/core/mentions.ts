/**
 * Mentions of library papers in a document: citation keys, full titles in prose, and system
 * names ("LongLoRA"). The cost of a scan is linear in the document length and does not grow with
 * the library: the text is read once into a token stream (with offsets back into the original
 * text), titles are found by walking a trie of title tokens built once per library, and names by
 * a hash lookup of each word. Pure TypeScript, no `vscode` import; never throws on odd input.
 */
import { Paper, foldAscii, systemName } from './paper';
import {
  CLASS_COMMAND, CLASS_COMMENT, CLASS_IGNORED, CLASS_PROSE, CLASS_TRANSPARENT, DocumentSyntax, isWordCode, lexDocument,
} from './citationSyntax';
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

/** Hashes are kept to 30 bits so that V8 stores them as small integers (fast Map keys). */
const HASH_MASK = 0x3fffffff;

function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) & HASH_MASK;
  return h;
}

// ---------------------------------------------------------------------------------------------
// The title trie
// ---------------------------------------------------------------------------------------------

/**
 * A trie over title word ids. Most nodes have one child (the rest of a title), so a child is
 * stored inline (`singleTok`/`singleNext`); nodes with several children use a Map. Node 0 is the
 * root, whose children are an array indexed by word id.
 */
class TitleTrie {
  readonly vocab = new Map<string, number>();
  readonly words: string[] = [];
  /** word hash → id, or -2 when two words share the hash (then `vocab` decides). */
  readonly byHash = new Map<number, number>();
  private rootChild: Int32Array = new Int32Array(0);
  private readonly rootMap = new Map<number, number>();
  private singleTok: number[] = [-1];
  private singleNext: number[] = [-1];
  private readonly multi: (Map<number, number> | undefined)[] = [undefined];
  terminal: number[] = [-1];
  /** Word ids of each stored title, flat, with per-paper offset and length (for verification). */
  private flat: number[] = [];
  readonly titleOffset = new Map<number, number>();
  readonly titleLength = new Map<number, number>();
  private flatIds: Int32Array = new Int32Array(0);
  private singleTokA: Int32Array = new Int32Array(0);
  private singleNextA: Int32Array = new Int32Array(0);
  private terminalA: Int32Array = new Int32Array(0);
  count = 0;

  wordId(w: string): number {
    let id = this.vocab.get(w);
    if (id === undefined) {
      id = this.words.length;
      this.vocab.set(w, id);
      this.words.push(w);
      const h = hashString(w);
      const prev = this.byHash.get(h);
      this.byHash.set(h, prev === undefined ? id : -2);
    }
    return id;
  }

  /** Adds a title; false when an identical title is already stored (the first paper keeps it). */
  add(words: string[], paper: number): boolean {
    let node = 0;
    const ids: number[] = [];
    for (const w of words) {
      const id = this.wordId(w);
      ids.push(id);
      let next: number | undefined;
      if (node === 0) next = this.rootMap.get(id);
      else if (this.singleTok[node] === id) next = this.singleNext[node];
      else if (this.singleTok[node] === -2) next = this.multi[node]?.get(id);
      if (next === undefined) {
        next = this.singleTok.length;
        this.singleTok.push(-1);
        this.singleNext.push(-1);
        this.multi.push(undefined);
        this.terminal.push(-1);
        if (node === 0) this.rootMap.set(id, next);
        else if (this.singleTok[node] === -1) { this.singleTok[node] = id; this.singleNext[node] = next; }
        else {
          let m = this.multi[node];
          if (!m) {
            m = new Map([[this.singleTok[node], this.singleNext[node]]]);
            this.multi[node] = m;
            this.singleTok[node] = -2;
          }
          m.set(id, next);
        }
      }
      node = next;
    }
    if (this.terminal[node] >= 0) return false;
    this.terminal[node] = paper;
    this.titleOffset.set(paper, this.flat.length);
    this.titleLength.set(paper, ids.length);
    for (const id of ids) this.flat.push(id);
    this.count++;
    return true;
  }

  /** Freezes the growable arrays into typed arrays for scanning. */
  seal(): void {
    this.rootChild = new Int32Array(this.words.length).fill(-1);
    for (const [id, node] of this.rootMap) this.rootChild[id] = node;
    this.singleTokA = Int32Array.from(this.singleTok);
    this.singleNextA = Int32Array.from(this.singleNext);
    this.terminalA = Int32Array.from(this.terminal);
    this.flatIds = Int32Array.from(this.flat);
    this.singleTok = [];
    this.singleNext = [];
    this.terminal = [];
    this.flat = [];
  }

  root(id: number): number {
    return id < this.rootChild.length ? this.rootChild[id] : -1;
  }

  child(node: number, id: number): number {
    const s = this.singleTokA[node];
    if (s === id) return this.singleNextA[node];
    if (s === -2) return this.multi[node]?.get(id) ?? -1;
    return -1;
  }

  terminalOf(node: number): number {
    return this.terminalA[node];
  }

  titleWordId(paper: number, k: number): number {
    return this.flatIds[(this.titleOffset.get(paper) ?? 0) + k];
  }

  get nodeCount(): number {
    return this.singleTokA.length;
  }
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
  private readonly keyLower = new Map<string, number>();
  private readonly trie = new TitleTrie();
  private readonly names = new Map<number, NameEntry[]>();
  private nameTotal = 0;
  private readonly minTitleWords: number;

  constructor(papers: readonly Paper[], options: MentionMatcherOptions = {}) {
    this.papers = Array.isArray(papers) ? papers : [];
    this.minTitleWords = Math.max(1, options.minTitleWords ?? 4);
    const common = options.commonNames ?? DEFAULT_COMMON_NAMES;
    const seenNames = new Set<string>();
    for (let p = 0; p < this.papers.length; p++) {
      const paper = this.papers[p];
      if (!paper || typeof paper.key !== 'string') continue;
      if (!this.keyExact.has(paper.key)) this.keyExact.set(paper.key, p);
      const lk = paper.key.toLowerCase();
      if (!this.keyLower.has(lk)) this.keyLower.set(lk, p);
      const title = typeof paper.title === 'string' ? paper.title : '';
      if (!title) continue;
      const words = titleWords(title);
      if (words.length >= this.minTitleWords) this.trie.add(words, p);
      const name = systemName(title);
      if (name && !seenNames.has(name) && !isCommonName(name, common)) {
        seenNames.add(name);
        for (const v of nameVariants(name)) {
          const h = firstRunHash(v);
          if (h === undefined) continue;
          let list = this.names.get(h);
          if (!list) this.names.set(h, (list = []));
          list.push({ text: v, paper: p });
        }
        this.nameTotal++;
      }
    }
    for (const list of this.names.values()) if (list.length > 1) list.sort((a, b) => b.text.length - a.text.length);
    this.trie.seal();
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
          const p = this.keyExact.get(k.key) ?? this.keyLower.get(k.key.toLowerCase());
          if (p !== undefined) out.push({ kind: 'key', key: this.papers[p].key, start: k.start, end: k.end });
        }
      }
      const titles = this.trie.count ? this.scanTitles(text, lexed.mask) : [];
      const names = this.names.size ? this.scanNames(text, lexed.mask, titles) : [];
      out.push(...titles, ...names);
      out.sort((a, b) => a.start - b.start || b.end - a.end);
      return out;
    } catch {
      return [];
    }
  }

  /** Tokenises the prose (with offsets) and walks the title trie from every word. */
  private scanTitles(text: string, mask: Uint8Array): Mention[] {
    const n = text.length;
    const cap = (n >> 1) + 2;
    const tokStart = new Int32Array(cap);
    const tokEnd = new Int32Array(cap);
    const tokId = new Int32Array(cap);
    const tokBreak = new Uint8Array(cap);
    const trie = this.trie;
    const byHash = trie.byHash;
    let count = 0;
    let inTok = false;
    let start = 0;
    let last = 0;
    let h = 0;
    let pendingBreak = true;
    let lineBlank = false;
    // i runs one past the end so that the last word is flushed
    for (let i = 0; i <= n; i++) {
      let word = false;
      let brk = false;
      let c = 0;
      if (i < n) {
        c = text.charCodeAt(i);
        const m = mask[i];
        if (c === 10) {
          if (lineBlank) pendingBreak = true;
          lineBlank = true;
        } else if (c !== 32 && c !== 9 && c !== 13) lineBlank = false;
        if (m === CLASS_TRANSPARENT) continue;
        if (m === CLASS_IGNORED) brk = true;
        else if (m !== CLASS_COMMAND && m !== CLASS_COMMENT) {
          if (c < 128) {
            if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) word = true;
            else if (c >= 65 && c <= 90) { word = true; c += 32; }
          } else {
            const f = foldUnit(c);
            if (f === null) continue;
            if (f) {
              if (!inTok) { inTok = true; start = i; h = 0; }
              for (let k = 0; k < f.length; k++) h = (Math.imul(h, 31) + f.charCodeAt(k)) & HASH_MASK;
              last = i + 1;
              continue;
            }
          }
        }
      }
      if (word) {
        if (!inTok) { inTok = true; start = i; h = 0; }
        h = (Math.imul(h, 31) + c) & HASH_MASK;
        last = i + 1;
        continue;
      }
      if (inTok) {
        inTok = false;
        let id = byHash.get(h);
        if (id === -2) id = trie.vocab.get(this.tokenText(text, mask, start, last));
        tokStart[count] = start;
        tokEnd[count] = last;
        tokId[count] = id === undefined ? -1 : id;
        tokBreak[count] = pendingBreak ? 1 : 0;
        pendingBreak = false;
        count++;
      }
      if (brk) pendingBreak = true;
    }

    const out: Mention[] = [];
    for (let i = 0; i < count; i++) {
      const id0 = tokId[i];
      if (id0 < 0) continue;
      let node = trie.root(id0);
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
      out.push({ kind: 'title', key: this.papers[best].key, start: tokStart[i], end: tokEnd[bestEnd] });
      i = bestEnd;
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

  /** Looks every prose word start up in the name index (hash of its first word run). */
  private scanNames(text: string, mask: Uint8Array, titles: readonly Mention[]): Mention[] {
    const n = text.length;
    const names = this.names;
    const out: Mention[] = [];
    let t = 0;
    let skipUntil = 0;
    let i = 0;
    while (i < n) {
      let c = text.charCodeAt(i);
      if (c < 128 ? !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) : !isWordCode(c)) { i++; continue; }
      const s = i;
      let h = 0;
      for (;;) {
        h = (Math.imul(h, 31) + c) & HASH_MASK;
        if (++i >= n) break;
        c = text.charCodeAt(i);
        if (c < 128 ? !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) : !isWordCode(c)) break;
      }
      const list = names.get(h);
      if (list === undefined || s < skipUntil || mask[s] !== CLASS_PROSE) continue;
      if (s > 0) {
        const p = text.charCodeAt(s - 1);
        if (p === 92 || p === 64 || p === 35) continue; // \Sigma, @name, #name
      }
      for (const entry of list) {
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
}
