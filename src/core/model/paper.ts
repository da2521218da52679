/**
 * The paper model shared by every source (built-in corpus, BibTeX/BibLaTeX, CSL-JSON,
 * page listings) and every feature (search, hover, topics, related papers).
 * Pure data: no `vscode` import anywhere under `src/core`.
 */

/** Where in a source file an entry was read from (0-based lines and columns, end exclusive). */
export interface SourceRange {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** One paper, whatever it was read from. Text fields are plain Unicode (LaTeX already decoded). */
export interface Paper {
  /** Citation key, unique within a library. */
  key: string;
  title: string;
  /** Authors as display names ("Mohammad Shoeybi"), in order. */
  authors: string[];
  year?: number;
  venue?: string;
  abstract?: string;
  /** arXiv identifier without prefix, e.g. "1909.08053". */
  arxiv?: string;
  doi?: string;
  url?: string;
  /** BibTeX entry type in lower case ("article", "inproceedings", "misc"), when known. */
  entryType?: string;
  /** Keywords, groups or collections the source assigns. */
  keywords?: string[];
  /** All decoded fields as read (BibTeX field name → value), for writing BibTeX back. */
  fields?: Record<string, string>;
  /** Identifier of the source the paper came from (a file path, or "builtin"). */
  source: string;
  /**
   * Every source that knows this paper, `source` first, when others filled what its entry lacked
   * (see the library's merge); absent when only `source` has it.
   */
  sources?: string[];
  /** Where the entry sits in its source file, for go-to-definition. */
  range?: SourceRange;
}

/** A problem found while reading a source: reported, never thrown. 1-based line and column. */
export interface Diagnostic {
  source: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning';
}

/** The result of reading one source. */
export interface SourceResult {
  source: string;
  papers: Paper[];
  diagnostics: Diagnostic[];
}

/** The source id of the built-in corpus. */
export const BUILTIN_SOURCE = 'builtin';

/**
 * The "system name" of a paper: the part of its title before the first colon, when that part
 * is short enough to be a name ("LongLoRA", "Megatron-LM", "MMTEB"). Undefined otherwise.
 */
export function systemName(title: string): string | undefined {
  const i = title.indexOf(':');
  if (i <= 0) return undefined;
  const head = title.slice(0, i).trim();
  if (!head || head.split(/\s+/).length > 2 || head.length > 30) return undefined;
  return head;
}

/** "Mohammad Shoeybi" → "Shoeybi"; "Shoeybi, Mohammad" → "Shoeybi"; "van der Berg, J." → "van der Berg". */
export function familyName(author: string): string {
  const a = author.trim();
  if (a.includes(',')) return a.split(',')[0].trim();
  const parts = a.split(/\s+/);
  if (parts.length === 1) return parts[0];
  // keep lower-case particles ("van", "de", "von") with the family name
  let i = parts.length - 1;
  while (i > 0 && /^(van|von|de|der|den|del|della|di|da|du|le|la|dos|das|ten|ter|bin|al)$/.test(parts[i - 1])) i--;
  return parts.slice(i).join(' ');
}

/** Lower-cased, accent-folded, punctuation-free form of a title, for identity comparisons. */
export function normalizeTitle(title: string): string {
  return foldAscii(title).toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/**
 * A 53-bit hash of a paper's normalised title (as {@link normalizeTitle}: folded, lower-cased,
 * runs of other characters as one space) together with its year, or NaN when the normalised title
 * is too short (10 characters or fewer) to tell papers apart. One pass, no strings made: the
 * library compares 100k papers by it. Two different titles share a hash with a probability of
 * about n²/2⁵⁴ (5·10⁻⁷ for 100k papers).
 */
export function titleHash(title: string, year: number | undefined): number {
  const t = foldAscii(title);
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  let len = 0;
  let space = false;
  for (let i = 0; i < t.length; i++) {
    let c = t.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) {
      if (len > 0) space = true;
      continue;
    }
    if (space) {
      h1 = Math.imul(h1 ^ 32, 0x01000193);
      h2 = Math.imul(h2 ^ 32, 0x5bd1e995);
      h2 ^= h2 >>> 13;
      len++;
      space = false;
    }
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 13;
    len++;
  }
  if (len <= 10) return NaN;
  const y = year ?? 0;
  h1 = Math.imul(h1 ^ (y & 0xffff), 0x01000193);
  h2 = Math.imul(h2 ^ (y + 7), 0x5bd1e995);
  h2 ^= h2 >>> 15;
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

/**
 * A paper as plain data with what the cache keeps (no `fields` record), cheap to send to another
 * thread: the library worker sends these first, so the library is searchable before its index is.
 */
export function plainPaper(p: Paper): Paper {
  const out: Paper = { key: p.key, title: p.title, authors: p.authors, source: p.source };
  if (p.year !== undefined) out.year = p.year;
  if (p.venue !== undefined) out.venue = p.venue;
  if (p.abstract !== undefined) out.abstract = p.abstract;
  if (p.arxiv !== undefined) out.arxiv = p.arxiv;
  if (p.doi !== undefined) out.doi = p.doi;
  if (p.url !== undefined) out.url = p.url;
  if (p.entryType !== undefined) out.entryType = p.entryType;
  if (p.keywords !== undefined) out.keywords = p.keywords;
  if (p.range !== undefined) out.range = p.range;
  if (p.sources !== undefined) out.sources = p.sources;
  return out;
}

/**
 * 53-bit hash of `s[from..to)` with ASCII letters lower-cased; NaN for an empty span. Two
 * different identifiers share a hash with a probability of about n²/2⁵⁴, as for {@link titleHash}.
 */
function idHash(s: string, from: number, to: number): number {
  if (to <= from) return NaN;
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = from; i < to; i++) {
    let c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);
}

/** The identity hash of a DOI (case-insensitive), or NaN without one: the library merges papers by it. */
export function doiHash(doi: string | undefined): number {
  return doi ? idHash(doi, 0, doi.length) : NaN;
}

/** The identity hash of an arXiv id (case-insensitive, version dropped: "2101.00001v2" = "2101.00001"), or NaN without one. */
export function arxivHash(arxiv: string | undefined): number {
  if (!arxiv) return NaN;
  let end = arxiv.length;
  let k = end;
  while (k > 0 && arxiv.charCodeAt(k - 1) >= 48 && arxiv.charCodeAt(k - 1) <= 57) k--;
  if (k < end && k > 0 && (arxiv.charCodeAt(k - 1) | 32) === 118 /* v or V */) end = k - 1;
  return idHash(arxiv, 0, end);
}

/** Each paper's `doiHash` and `arxivHash`, at 2i and 2i + 1. */
export function idHashesOf(papers: readonly Pick<Paper, 'doi' | 'arxiv'>[]): Float64Array {
  const out = new Float64Array(2 * papers.length);
  for (let i = 0; i < papers.length; i++) {
    out[2 * i] = doiHash(papers[i].doi);
    out[2 * i + 1] = arxivHash(papers[i].arxiv);
  }
  return out;
}

/** ASCII-fold: "Günther Ødegård" → "Gunther Odegard". */
export function foldAscii(s: string): string {
  if (!/[^\x00-\x7f]/.test(s)) return s;
  // Latin letters with accents (the common case: names, titles) from a table made by the general
  // fold below, one character at a time; anything else folds the whole string the general way
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    const f = c < LATIN_END ? LATIN_FOLD[c - 0x80] : undefined;
    if (f === undefined) return foldGeneral(s);
    out += s.slice(from, i) + f;
    from = i + 1;
  }
  return out + s.slice(from);
}

function foldGeneral(s: string): string {
  const d = s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  if (!/[øØßæÆœŒłŁđĐıİþÞ]/.test(d)) return d;
  return d
    .replace(/[øØ]/g, (c) => (c === 'ø' ? 'o' : 'O'))
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, (c) => (c === 'æ' ? 'ae' : 'AE'))
    .replace(/[œŒ]/g, (c) => (c === 'œ' ? 'oe' : 'OE'))
    .replace(/[łŁ]/g, (c) => (c === 'ł' ? 'l' : 'L'))
    .replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'))
    .replace(/[ıİ]/g, (c) => (c === 'ı' ? 'i' : 'I'))
    .replace(/[þÞ]/g, (c) => (c === 'þ' ? 'th' : 'TH'));
}

/** U+0080 up to here: each character folded alone (undefined where that would differ from folding in context). */
const LATIN_END = 0x250;
const LATIN_FOLD: (string | undefined)[] = [];
for (let c = 0x80; c < LATIN_END; c++) {
  const f = foldGeneral(String.fromCharCode(c));
  // only letters that fold to plain ASCII letters; others (symbols, spaces) take the general path
  LATIN_FOLD.push(/^[A-Za-z]+$/.test(f) ? f : undefined);
}
