/**
 * Adding entries to a `.bib` file without damaging it: the new entries are appended as bytes in
 * the file's own encoding (UTF-8 with or without a byte-order mark, or Latin-1), so every byte
 * before them stays as it was (BOM, CRLF, mixed line ends, no final newline, accented Latin-1
 * letters). Nothing is decoded and encoded again: a lossy decode can never reach the disk.
 *
 * Keys are made valid: a paper whose key BibTeX cannot read (a CSL-JSON id such as
 * `http://zotero.org/users/1/items/AB CD`) is written under a key made by Better BibTeX's formula
 * (see `baseKey`), with a, b, c… on a clash. The library still finds the paper by its original id
 * (it merges the written entry with the paper it came from by DOI, arXiv id or title and year).
 */
import { baseKey, suffix } from '../../model/citationKey';
import { Paper, normalizeTitle } from '../../model/paper';
import { decodeText } from '../decodeText';
import { parseBibtex } from './reader';
import { toBibtex } from './writer';

/** Characters a citation key must not hold: BibTeX and biber end or split a key at them. */
const UNSAFE_KEY = /[\s,{}%#~"'()=\\@]|[\u0000-\u001f\u007f]/u;

/** Whether BibTeX, biber and our reader read `key` as written. */
export function isValidBibtexKey(key: string): boolean {
  return key.length > 0 && key.length <= 256 && !UNSAFE_KEY.test(key);
}

/**
 * The key a paper is cited and written under: its own when BibTeX can read it, else one made by
 * Better BibTeX's formula (see `baseKey`) with a, b, c… while `isTaken` says it is taken.
 */
export function citableKey(paper: Paper, isTaken: (key: string) => boolean = () => false): string {
  return isValidBibtexKey(paper.key) ? paper.key : madeKey(paper, isTaken);
}

function madeKey(paper: Paper, isTaken: (key: string) => boolean): string {
  const base = baseKey(paper);
  let key = base;
  for (let n = 0; isTaken(key); n++) key = base + suffix(n);
  return key;
}

/** The encodings a `.bib` file is appended to in. */
export type BibEncoding = 'utf-8' | 'latin1';

/** What {@link planAppend} found and will write. */
export interface AppendPlan {
  encoding: BibEncoding;
  /** The file starts with a UTF-8 byte-order mark (kept: it is before the append). */
  bom: boolean;
  /** The line ending the new entries use: the file's most common one. */
  eol: string;
  /** The text appended after the file's text (what an editor holding the file losslessly inserts at its end). */
  text: string;
  /** The bytes appended after the file's bytes, in its encoding. */
  bytes: Uint8Array;
  /** The papers written, each with the key it was written under. */
  written: { paper: Paper; key: string }[];
  /** The papers the file holds already (by key, DOI, arXiv id or title), with their key there. */
  present: { paper: Paper; key: string }[];
}

/** Options of {@link planAppend}. */
export interface AppendOptions {
  /**
   * Whether a key is taken by another paper (say, in the library) and must not be made for a new
   * entry. The file's own keys are always taken.
   */
  isTaken?: (key: string, paper: Paper) => boolean;
}

/** Latin-1 as {@link decodeText} reads it (the WHATWG `windows-1252` superset): character → byte. */
let latin1Bytes: Map<string, number> | undefined;
function latin1Table(): Map<string, number> {
  if (!latin1Bytes) {
    latin1Bytes = new Map();
    const all = new TextDecoder('latin1').decode(Uint8Array.from({ length: 256 }, (_, i) => i));
    for (let i = 0; i < 256; i++) latin1Bytes.set(all[i], i);
  }
  return latin1Bytes;
}

/** Whether `ch` can be written in `encoding`. */
export function encodableIn(encoding: BibEncoding): (ch: string) => boolean {
  if (encoding === 'utf-8') return (ch) => !/^[\ud800-\udfff]$/.test(ch);
  const table = latin1Table();
  return (ch) => table.has(ch);
}

/** `text` as bytes in `encoding` (every character of it must be encodable, see {@link encodableIn}). */
export function encodeIn(text: string, encoding: BibEncoding): Uint8Array {
  if (encoding === 'utf-8') return new TextEncoder().encode(text);
  const table = latin1Table();
  const out = new Uint8Array(text.length);
  let n = 0;
  for (const ch of text) out[n++] = table.get(ch) ?? 0x3f;
  return out.subarray(0, n);
}

/**
 * The line ending a text uses most (`\n` when it has none). A file of classic Mac line ends (CR
 * alone) gets CRLF: BibTeX readers, ours included, find the next entry after a broken one by its
 * line feed, so an entry after a lone CR could be swallowed by a broken entry before it.
 */
export function dominantEol(text: string): string {
  let crlf = 0, lf = 0, cr = 0;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
    if (text.charCodeAt(i + 1) === 10) crlf++;
    else cr++;
  }
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lf++;
  lf -= crlf;
  if (crlf > lf && crlf >= cr) return '\r\n';
  if (cr > lf && cr > crlf) return '\r\n';
  return '\n';
}

/**
 * A paper's identity by title and year, as the library has it (see `titleHash`): a title of ten
 * characters or fewer ("Introduction") tells nothing.
 */
function titleId(p: Paper): string | undefined {
  const t = normalizeTitle(p.title);
  return t.length > 10 ? `title:${p.year ?? ''}:${t}` : undefined;
}

/** The papers of `papers` the bibliography text holds already (by key, DOI, arXiv id or title), each with its key there. */
export function presentPapers(bibText: string, papers: readonly Paper[], have: readonly Paper[] = bibText.trim() ? parseBibtex(bibText, 'bibliography').papers : []): Map<Paper, string> {
  const out = new Map<Paper, string>();
  if (!have.length) return out;
  const keys = new Map<string, string>();
  const ids = new Map<string, string>();
  // a title is compared only within the same year: the titles of other years are never decoded
  const years = new Set(papers.map((p) => p.year));
  for (const p of have) {
    keys.set(p.key.toLowerCase(), p.key);
    if (p.doi) ids.set('doi:' + p.doi.toLowerCase(), p.key);
    if (p.arxiv) ids.set('arxiv:' + p.arxiv, p.key);
    const t = years.has(p.year) ? titleId(p) : undefined;
    if (t) ids.set(t, p.key);
  }
  for (const p of papers) {
    const t = titleId(p);
    const k = keys.get(p.key.toLowerCase()) ?? (p.doi ? ids.get('doi:' + p.doi.toLowerCase()) : undefined) ??
      (p.arxiv ? ids.get('arxiv:' + p.arxiv) : undefined) ?? (t ? ids.get(t) : undefined);
    if (k !== undefined) out.set(p, k);
  }
  return out;
}

/** The papers of `papers` that the bibliography text does not hold yet (by key, DOI, arXiv id or title), each once. */
export function missingPapers(bibText: string, papers: readonly Paper[]): Paper[] {
  const present = presentPapers(bibText, papers);
  const seen = new Set<string>();
  return papers.filter((p) => {
    if (present.has(p) || seen.has(p.key)) return false;
    seen.add(p.key);
    return true;
  });
}

/**
 * Plans appending the entries `papers` lack to a `.bib` file whose bytes are `existing` (undefined
 * or empty: a new file, written as UTF-8). Pure: the caller writes `existing` followed by
 * `plan.bytes` (or appends `plan.bytes`), or inserts `plan.text` at the end of an editor that
 * holds the file without loss.
 */
export function planAppend(existing: Uint8Array | undefined, papers: readonly Paper[], options: AppendOptions = {}): AppendPlan {
  const bytes = existing ?? new Uint8Array(0);
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const decoded = bytes.length ? decodeText(bytes) : { text: '', encoding: 'utf-8' as const };
  return { ...planAppendText(decoded.text, decoded.encoding, papers, options), bom };
}

/**
 * {@link planAppend} for a file's text as an editor holds it, to be saved in `encoding`: the text
 * to insert at its end (characters `encoding` cannot hold written as LaTeX).
 */
export function planAppendText(text: string, encoding: BibEncoding, papers: readonly Paper[], options: AppendOptions = {}): AppendPlan {
  const eol = dominantEol(text);
  // one read of the file: its papers, what it holds and the keys taken (a later duplicate of a key
  // makes no paper, but its key is the first's)
  const read = text.trim() ? parseBibtex(text, 'bibliography') : undefined;
  const present = presentPapers(text, papers, read?.papers ?? []);
  const taken = new Set<string>();
  if (read) for (const p of read.papers) taken.add(p.key.toLowerCase());
  const encodable = encodableIn(encoding);
  const written: { paper: Paper; key: string }[] = [];
  const seen = new Set<string>();
  for (const p of papers) {
    if (present.has(p) || seen.has(p.key)) continue;
    seen.add(p.key);
    const key = [...p.key].every(encodable) && !taken.has(p.key.toLowerCase())
      ? citableKey(p, (k) => taken.has(k.toLowerCase()) || (options.isTaken?.(k, p) ?? false))
      : madeKey(p, (k) => taken.has(k.toLowerCase()) || (options.isTaken?.(k, p) ?? false));
    taken.add(key.toLowerCase());
    written.push({ paper: p, key });
  }
  const entries = written.map(({ paper, key }) => toBibtex(paper, eol, { key, encodable: encoding === 'utf-8' ? undefined : encodable })).join(eol);
  const appended = entries ? separator(text, eol) + entries : '';
  return {
    encoding, bom: text.charCodeAt(0) === 0xfeff, eol, text: appended, bytes: encodeIn(appended, encoding),
    written, present: [...present].map(([paper, key]) => ({ paper, key })),
  };
}

/** Whether a text mixes line endings (CRLF and LF, or CR): an editor would make them one on saving. */
export function mixesLineEnds(text: string): boolean {
  const crlf = text.includes('\r\n');
  const lf = /(^|[^\r])\n/.test(text);
  const cr = /\r(?!\n)/.test(text);
  return (crlf ? 1 : 0) + (lf ? 1 : 0) + (cr ? 1 : 0) > 1;
}

/** What goes between a file's text and a new entry: a blank line, without removing anything. */
function separator(text: string, eol: string): string {
  if (!text.length) return '';
  const ends = (s: string) => text.endsWith(s);
  // a lone CR does not end a line for BibTeX readers (see dominantEol)
  if (ends('\n\n') || ends('\n\r\n')) return '';
  if (ends('\n')) return eol;
  return eol + eol;
}

/** `existing` followed by `plan.bytes`: the file after the append. */
export function appendedBytes(existing: Uint8Array | undefined, plan: AppendPlan): Uint8Array {
  const before = existing ?? new Uint8Array(0);
  const out = new Uint8Array(before.length + plan.bytes.length);
  out.set(before, 0);
  out.set(plan.bytes, before.length);
  return out;
}
