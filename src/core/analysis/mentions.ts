/**
 * Mentions of library papers in a document: citation keys, full titles in prose, and system
 * names ("LongLoRA"). The cost of a scan is linear in the document length and does not grow with
 * the library: the text is read once into a token stream (with offsets back into the original
 * text), titles are found by walking a trie of title tokens built once per library, and names by
 * a hash lookup of each word. Pure TypeScript, no `vscode` import; never throws on odd input.
 */
import { Paper, systemName } from '../model/paper';
import { lexDocument } from '../citations/documentLexer';
import { CLASS_COMMENT, CLASS_IGNORED, CLASS_MATH, CLASS_PROSE, CLASS_TRANSPARENT } from '../citations/lexedDocument';
import { isWordCode } from '../citations/characters';
import { DocumentSyntax } from '../citations/languages';
import { DEFAULT_COMMON_NAMES, isCommonName } from './commonNames';
import { CHAR_KIND, COLLIDED, HASH_MASK, blankLineAfter, foldUnit, isAsciiAlnum } from './mentionsFold';
import { NameEntry, firstRunHash, isOrdinaryWordName, nameVariants, versionVariants, versionedName } from './mentionsNames';
import { isMarked, sentenceCites, writtenAsTitle } from './mentionsContext';
import { PairTable, TitleTrie } from './mentionsTrie';

export { titleWords } from './mentionsFold';
export { nameVariants } from './mentionsNames';

/** One recognised mention. `key` is the library key of the paper; offsets are UTF-16, end exclusive. */
export interface Mention {
  /** `key`: a citation key; `title`: the paper's full title in prose; `name`: its system name. */
  kind: 'key' | 'title' | 'name';
  key: string;
  /** The whole matched range in the original text (for a title, from its first word to its last). */
  start: number;
  end: number;
  /**
   * Other library entries with the same title or name (a preprint and its proceedings version,
   * two editions), by key; absent when there are none. `key` is the one the mention stands for.
   */
  others?: string[];
  /** For titles and names: the sentence holding the mention already cites (no "not cited" hint there). */
  sentenceCites?: boolean;
}

/** Options of one {@link MentionMatcher.scan}. */
export interface ScanOptions {
  /**
   * The keys the writer's project cites (any file of it), compared as BibTeX does (case-insensitively).
   * When several entries share a title or name, the mention goes to the cited one. Default: the
   * keys this document cites.
   */
  cited?: Iterable<string>;
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

/** A title or name found in prose, before the entry it stands for is chosen. */
interface ProseMention {
  kind: 'title' | 'name';
  /** The paper indexed for the title or name (the first of those sharing it). */
  paper: number;
  start: number;
  end: number;
}

/** Cited keys, compared exactly and, as BibTeX does, case-insensitively. */
class CitedKeys {
  private readonly exact: Set<string>;
  private lower: Set<string> | undefined;

  constructor(keys: Iterable<string>) {
    this.exact = new Set(keys);
  }

  has(key: string): boolean {
    if (this.exact.has(key)) return true;
    this.lower ??= new Set([...this.exact].map((k) => k.toLowerCase()));
    return this.lower.has(key.toLowerCase());
  }
}

/** Venues of preprints: an entry there is the unpublished version of a paper. */
const PREPRINT_VENUE = /arxiv|preprint|\bcorr\b|biorxiv|medrxiv|ssrn|openreview|techrxiv|psyarxiv|research square/i;

/** Whether an entry is a published version: a venue that is not a preprint server, or a published entry type. */
function isPublished(p: Paper): boolean {
  const f = p.fields ?? {};
  const venue = p.venue ?? f.journal ?? f.booktitle ?? f.journaltitle ?? f.publisher ?? '';
  if (venue) return !PREPRINT_VENUE.test(venue);
  return !!p.entryType && ['article', 'inproceedings', 'conference', 'incollection', 'book', 'inbook'].includes(p.entryType) && !p.arxiv;
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
 *   `minTitleWords` words are not matched. The longest title wins where titles overlap. A title
 *   written all in lower case ("reinforcement learning in practice") is a mention only when
 *   quoted or emphasised: otherwise it is an ordinary phrase.
 * - Names: a paper's system name (`systemName(title)`), or the name with a size or version its
 *   title opens with ("Mistral 7B", "Llama 2", "GPT-4", also written "Llama-2"), case-sensitively,
 *   as a whole word ("LongLoRA" but not "preLongLoRA" or "LongLoRAx"), never in math, in or right
 *   after a LaTeX command (`\Sigma`), in a citation, comment, code or URL, nor inside a title
 *   mention; names on the common-names list are never matched, and a name that is an ordinary
 *   lower-case word ("tune", "corpus") only where marked (`*tune*`, `\pkg{tune}`, quotes). The
 *   longest name wins where names overlap.
 * When several papers share a title or a name, the mention goes to the one cited (see
 * {@link ScanOptions.cited}), else to a published one, else to the first passed; the others are
 * listed in {@link Mention.others}.
 */
export class MentionMatcher {
  private readonly papers: readonly Paper[];
  private readonly keyExact = new Map<string, number>();
  private keyLower: Map<string, number> | undefined;
  private readonly trie = new TitleTrie();
  /** hash of a name's first word run → index into `nameLists`. */
  private readonly nameIndex = new PairTable(1 << 10);
  private readonly nameLists: NameEntry[][] = [];
  /** Papers sharing the name of the paper indexed for it. */
  private readonly sameName = new Map<number, number[]>();
  private nameTotal = 0;
  private readonly minTitleWords: number;
  /** Token buffers reused from scan to scan (they only grow). */
  private buffers = { cap: 0, start: new Int32Array(0), end: new Int32Array(0), id: new Int32Array(0), brk: new Uint8Array(0) };

  constructor(papers: readonly Paper[], options: MentionMatcherOptions = {}) {
    this.papers = Array.isArray(papers) ? papers : [];
    this.minTitleWords = Math.max(1, options.minTitleWords ?? 4);
    const common = options.commonNames ?? DEFAULT_COMMON_NAMES;
    /** name → the first paper named so */
    const seenNames = new Map<string, number>();
    for (let p = 0; p < this.papers.length; p++) {
      const paper = this.papers[p];
      if (!paper || typeof paper.key !== 'string') continue;
      if (!this.keyExact.has(paper.key)) this.keyExact.set(paper.key, p);
      const title = typeof paper.title === 'string' ? paper.title : '';
      if (!title) continue;
      this.trie.addTitle(title, p, this.minTitleWords);
      const colon = title.indexOf(':');
      const name = (colon > 0 && colon <= 40 ? systemName(title) : undefined) ?? versionedName(title);
      // "Ames, Iowa: …": a place or a list before the colon, not a system name
      if (!name || name.includes(',') || isCommonName(name, common)) continue;
      const first = seenNames.get(name);
      if (first !== undefined) {
        // another entry with this name (a preprint and its published version, two editions)
        const list = this.sameName.get(first);
        if (list) list.push(p);
        else this.sameName.set(first, [p]);
        continue;
      }
      seenNames.set(name, p);
      const ordinary = isOrdinaryWordName(name);
      for (const v of nameVariants(name).flatMap(versionVariants)) {
        const h = firstRunHash(v);
        if (h === undefined) continue;
        let li = this.nameIndex.get(h, 0);
        if (li < 0) {
          li = this.nameLists.length;
          this.nameLists.push([]);
          this.nameIndex.set(h, 0, li);
        }
        if (!this.nameLists[li].some((e) => e.text === v)) this.nameLists[li].push({ text: v, paper: p, ordinary });
      }
      this.nameTotal++;
    }
    for (const list of this.nameLists) if (list.length > 1) list.sort((a, b) => b.text.length - a.text.length);
  }

  /**
   * The paper a mention of `first` (and the papers sharing its title or name) stands for: the
   * one the project cites, else a published one (not a preprint), else `first`.
   */
  private choose(first: number, same: readonly number[], cited: CitedKeys): { paper: number; others: string[] } {
    if (!same.length) return { paper: first, others: [] };
    const all = [first, ...same];
    const pick = all.find((p) => cited.has(this.papers[p].key)) ?? all.find((p) => isPublished(this.papers[p])) ?? first;
    return { paper: pick, others: all.filter((p) => p !== pick).map((p) => this.papers[p].key) };
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
  scan(text: string, syntax: DocumentSyntax, options: ScanOptions = {}): Mention[] {
    if (typeof text !== 'string' || !text) return [];
    try {
      const lexed = lexDocument(text, syntax);
      const out: Mention[] = [];
      const citedHere: string[] = [];
      for (const c of lexed.citations) {
        for (const k of c.keys) {
          if (!k.key) continue;
          citedHere.push(k.key);
          const p = this.keyExact.get(k.key) ?? this.lowerKeys().get(k.key.toLowerCase());
          if (p !== undefined) out.push({ kind: 'key', key: this.papers[p].key, start: k.start, end: k.end });
        }
      }
      if (this.trie.count || this.nameTotal) {
        const cited = new CitedKeys(options.cited ?? citedHere);
        const known = (key: string): boolean => this.keyExact.has(key) || this.lowerKeys().has(key.toLowerCase());
        for (const m of this.scanProse(text, lexed.mask)) {
          const same = m.kind === 'title' ? this.trie.sameTitle(m.paper) : this.sameName.get(m.paper) ?? [];
          const { paper, others } = this.choose(m.paper, same, cited);
          const mention: Mention = { kind: m.kind, key: this.papers[paper].key, start: m.start, end: m.end };
          if (others.length) mention.others = others;
          mention.sentenceCites = sentenceCites(text, lexed.mask, lexed.citations, m.start, m.end, known);
          out.push(mention);
        }
      }
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
  private scanProse(text: string, mask: Uint8Array): ProseMention[] {
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
    const titles: ProseMention[] = [];
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
      // a title made of everyday words ("reinforcement learning in practice") counts only when
      // written as one: capitalised, quoted or emphasised
      if (!writtenAsTitle(text, mask, tokStart[i], tokEnd[bestEnd])) continue;
      titles.push({ kind: 'title', paper: best, start: tokStart[i], end: tokEnd[bestEnd] });
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
        if (entry.ordinary && !isMarked(text, s, e)) continue; // "tune" the word, not the package
        out.push({ kind: 'name', paper: entry.paper, start: s, end: e });
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
