/**
 * Papers from BibTeX entries: the lazily decoded {@link BibtexPaper} of the scanner, and
 * {@link entryToPaper} for entries read whole (crossref merges); identifiers cleaned, fields decoded.
 */
import type { Paper, SourceRange } from '../../model/paper';
import { plainPaper } from '../../model/paper';
import { latexToUnicode } from './latexToUnicode';
import type { BibtexEntry } from './reader';
import { trimWs } from './chars';
import { R_AUTHOR, R_EDITOR, R_JOURNAL, R_JOURNALTITLE, R_BOOKTITLE, R_ABSTRACT, R_DOI, R_URL, R_EPRINT, R_ARCHIVEPREFIX, R_EPRINTTYPE, R_ARXIVID, R_KEYWORDS, R_GROUPS, R_TITLE, entryField, fieldName, fieldValue, rangeOf } from './fieldTable';
import type { FileFields } from './fieldTable';
import { splitAuthors } from './names';

/** Fields whose values are verbatim (never LaTeX-decoded, only trimmed). */
const VERBATIM_FIELDS = new Set([
  'url', 'doi', 'eprint', 'file', 'pdf', 'urlraw', 'verba', 'verbb', 'verbc', 'ids', 'crossref',
  'xdata', 'local-url', 'bdsk-url-1', 'bdsk-url-2', 'bdsk-url-3', 'bdsk-file-1', 'bdsk-file-2',
  'eprintclass', 'isbn', 'issn', 'pmid', 'arxivid', 'key', 'citation-key', 'langid',
]);

/**
 * Symbol-keyed slots of a lazily decoded paper: the fields of its file and its entry's index.
 * JSON, structured clone, `Object.keys` and `for…in` ignore symbol keys.
 */
const FILE_FIELDS = Symbol('citelens.fileFields');
const ENTRY_INDEX = Symbol('citelens.entryIndex');
type LazyPaper = Paper & { [FILE_FIELDS]: FileFields; [ENTRY_INDEX]: number };

function lazyTitle(this: LazyPaper): string {
  const ff = this[FILE_FIELDS], i = this[ENTRY_INDEX];
  let v = ff.titles[i];
  if (v === undefined) {
    const raw = entryField(ff, i, R_TITLE);
    ff.titles[i] = v = raw === undefined ? '' : latexToUnicode(raw);
  }
  return v;
}
function lazyAuthors(this: LazyPaper): string[] {
  const ff = this[FILE_FIELDS], i = this[ENTRY_INDEX];
  let v = ff.authors[i];
  if (v === undefined) {
    const raw = entryField(ff, i, R_AUTHOR) ?? entryField(ff, i, R_EDITOR);
    ff.authors[i] = v = raw === undefined ? [] : splitAuthors(raw);
  }
  return v;
}
function lazyFields(this: LazyPaper): Record<string, string> {
  const ff = this[FILE_FIELDS], i = this[ENTRY_INDEX];
  let v = ff.fields[i];
  if (v === undefined) {
    v = {};
    for (let k = ff.bounds[2 * i], e = ff.bounds[2 * i + 1]; k < e; k += 4) {
      const name = fieldName(ff, k);
      if (v[name] !== undefined && Object.prototype.hasOwnProperty.call(v, name)) continue;
      const d = name === 'title' ? lazyTitle.call(this) : decodeField(name, fieldValue(ff, k));
      if (name === '__proto__') Object.defineProperty(v, name, { value: d, enumerable: true, writable: true, configurable: true });
      else v[name] = d;
    }
    ff.fields[i] = v;
  }
  return v;
}

/** The values of a paper read on first demand (see {@link BibtexPaper}). */
interface LazyValues {
  venue: string | undefined;
  abstract: string | undefined;
  doi: string | undefined;
  arxiv: string | undefined;
  url: string | undefined;
  keywords: string[] | undefined;
}

/** Reads the lazily made values of entry `i` from its fields (LaTeX decoded, identifiers cleaned). */
function lazyValues(ff: FileFields, i: number): LazyValues {
  let venue: string | undefined, venueRole = 99, abstract: string | undefined, doi: string | undefined,
    url: string | undefined, eprint: string | undefined, prefix: string | undefined, arxivid: string | undefined,
    keywords: string | undefined;
  const roles = ff.roles;
  for (let k = ff.bounds[2 * i], e = ff.bounds[2 * i + 1]; k < e; k += 4) {
    const role = roles[k >> 2];
    if (role < R_JOURNAL) continue;
    const v = fieldValue(ff, k);
    switch (role) {
      case R_JOURNAL: case R_JOURNALTITLE: case R_BOOKTITLE:
        if (role < venueRole) { venue = v; venueRole = role; }
        break;
      case R_ABSTRACT: abstract = v; break;
      case R_DOI: doi = v; break;
      case R_URL: url = v; break;
      case R_EPRINT: eprint = v; break;
      case R_ARCHIVEPREFIX: prefix = v; break;
      case R_EPRINTTYPE: if (prefix === undefined) prefix = v; break;
      case R_ARXIVID: arxivid = v; break;
      case R_KEYWORDS: keywords = v; break;
      case R_GROUPS: if (keywords === undefined) keywords = v; break;
    }
  }
  const out: LazyValues = { venue: undefined, abstract: undefined, doi: undefined, arxiv: undefined, url: undefined, keywords: undefined };
  if (venue !== undefined) out.venue = latexToUnicode(venue) || undefined;
  if (abstract !== undefined) out.abstract = latexToUnicode(abstract) || undefined;
  if (doi !== undefined) out.doi = cleanDoi(doi) || undefined;
  out.arxiv = arxivFrom(eprint, prefix, arxivid, url, out.doi) || undefined;
  if (url !== undefined) out.url = trimWs(url) || undefined;
  if (keywords !== undefined) {
    const list = splitKeywords(latexToUnicode(keywords));
    if (list.length) out.keywords = list;
  }
  return out;
}

/**
 * A paper read from a BibTeX file. Its key, year and entry type are read at parse time; every
 * other value is read from the file's field lists on first demand: `title`, `authors` and
 * `fields` (getters that decode and keep the result in the file's field lists), and venue,
 * abstract, DOI, arXiv id, URL and keywords (read together on the first read of any of them).
 * So making 100k papers costs neither property definitions nor strings per value. Assigning
 * replaces a value. JSON sees every value (`toJSON`); for a plain copy (spreading, structured
 * clone, `postMessage`) use `plainPaper` from `paper.ts`.
 */
export class BibtexPaper {
  declare year?: number;
  declare entryType?: string;
  declare [FILE_FIELDS]: FileFields;
  declare [ENTRY_INDEX]: number;
  #values: LazyValues | undefined = undefined;

  constructor(readonly key: string, readonly source: string, ff: FileFields, index: number) {
    this[FILE_FIELDS] = ff;
    this[ENTRY_INDEX] = index;
  }

  private values(): LazyValues {
    return (this.#values ??= lazyValues(this[FILE_FIELDS], this[ENTRY_INDEX]));
  }

  get title(): string {
    return lazyTitle.call(this as unknown as LazyPaper);
  }
  set title(v: string) {
    this[FILE_FIELDS].titles[this[ENTRY_INDEX]] = v;
  }
  get authors(): string[] {
    return lazyAuthors.call(this as unknown as LazyPaper);
  }
  set authors(v: string[]) {
    this[FILE_FIELDS].authors[this[ENTRY_INDEX]] = v;
  }
  get fields(): Record<string, string> {
    return lazyFields.call(this as unknown as LazyPaper);
  }
  set fields(v: Record<string, string>) {
    this[FILE_FIELDS].fields[this[ENTRY_INDEX]] = v;
  }
  get venue(): string | undefined { return this.values().venue; }
  set venue(v: string | undefined) { this.values().venue = v; }
  get abstract(): string | undefined { return this.values().abstract; }
  set abstract(v: string | undefined) { this.values().abstract = v; }
  get doi(): string | undefined { return this.values().doi; }
  set doi(v: string | undefined) { this.values().doi = v; }
  get arxiv(): string | undefined { return this.values().arxiv; }
  set arxiv(v: string | undefined) { this.values().arxiv = v; }
  get url(): string | undefined { return this.values().url; }
  set url(v: string | undefined) { this.values().url = v; }
  get keywords(): string[] | undefined { return this.values().keywords; }
  set keywords(v: string[] | undefined) { this.values().keywords = v; }

  get range(): SourceRange {
    return rangeOf(this[FILE_FIELDS], this[ENTRY_INDEX]);
  }
  set range(v: SourceRange) {
    Object.defineProperty(this, 'range', { value: v, writable: true, enumerable: true, configurable: true });
  }

  /** Every value, decoded, as plain data (values that are absent are left out), with the fields record. */
  toJSON(): Paper {
    return { ...plainPaper(this as unknown as Paper), fields: this.fields };
  }
}

/** Decodes one field value (verbatim fields are only trimmed). */
function decodeField(name: string, raw: string): string {
  if (VERBATIM_FIELDS.has(name)) return trimWs(raw);
  return latexToUnicode(raw);
}

/** Every field of a raw record decoded (LaTeX → Unicode; verbatim fields such as url/doi only trimmed). */
export function decodeFields(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in raw) {
    if (k === '__proto__') Object.defineProperty(out, k, { value: decodeField(k, raw[k]), enumerable: true, writable: true, configurable: true });
    else out[k] = decodeField(k, raw[k]);
  }
  return out;
}

const ARXIV_URL = /arxiv\.org\/(?:abs|pdf)\/((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[A-Za-z]{2})?\/\d{7}))/i;
const ARXIV_DOI = /10\.48550\/arxiv\.(\d{4}\.\d{4,5})/i;

/** "arXiv:1909.08053v2" → "1909.08053". */
function cleanArxiv(id: string): string {
  let s = id.trim();
  if (/^arxiv:/i.test(s)) s = s.slice(6).trim();
  return s.replace(/v\d+$/, '');
}

/** "https://doi.org/10.1/x" or "doi:10.1/x" → "10.1/x". */
function cleanDoi(doi: string): string {
  const s = trimWs(doi);
  // the usual case: the DOI itself ("10.…")
  if (s.charCodeAt(0) === 49 && s.charCodeAt(1) === 48 && s.charCodeAt(2) === 46) return s;
  const i = s.indexOf('10.');
  if (i > 0 && /^(https?:\/\/(dx\.)?doi\.org\/|doi:\s*)/i.test(s)) return s.slice(i);
  return s;
}

/** First plausible year (1000–2999) in a year or date field. */
export function yearOf(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (s.length === 4) {
    const y = +s;
    if (y >= 1000 && y < 3000) return y;
  }
  const m = /(?:^|[^0-9])([12][0-9]{3})(?![0-9])/.exec(s);
  return m ? +m[1] : undefined;
}

/** "a, b; c" → ["a", "b", "c"]. */
function splitKeywords(s: string): string[] {
  if (s.indexOf(',') < 0 && s.indexOf(';') < 0) {
    const k = s.trim();
    return k ? [k] : [];
  }
  return s.split(/[,;]/).map((x) => x.trim()).filter((x) => x.length > 0);
}

/** The arXiv id of an entry: eprint with archivePrefix/eprinttype arXiv, arxivid, or an arXiv URL/DOI. */
function arxivFrom(eprint: string | undefined, prefix: string | undefined, arxivid: string | undefined, url: string | undefined, doi: string | undefined): string | undefined {
  if (eprint !== undefined && prefix !== undefined && prefix.trim().toLowerCase() === 'arxiv') return cleanArxiv(eprint);
  if (arxivid !== undefined) return cleanArxiv(arxivid);
  if (eprint !== undefined && /^\s*arxiv:/i.test(eprint)) return cleanArxiv(eprint);
  if (url !== undefined && url.length < 2000 && (url.indexOf('arxiv') >= 0 || url.indexOf('arXiv') >= 0)) {
    const m = ARXIV_URL.exec(url);
    if (m) return m[1];
  }
  // arXiv DOIs are 10.48550/arXiv.<id> (doi is already cleaned by cleanDoi)
  if (doi !== undefined && doi.length < 2000 && doi.charCodeAt(3) === 52 && doi.charCodeAt(4) === 56 && doi.startsWith('10.48550/')) {
    const m = ARXIV_DOI.exec(doi);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Builds the decoded {@link Paper} of an entry. `fields` are the raw fields to use (the entry's
 * own, or those merged through crossref).
 */
export function entryToPaper(entry: BibtexEntry, source: string, fields: Record<string, string> = entry.fields): Paper {
  const decoded = decodeFields(fields);
  const author = fields.author ?? fields.editor;
  const paper: Paper = {
    key: entry.key,
    title: decoded.title ?? '',
    authors: author === undefined ? [] : splitAuthors(author),
    source,
  };
  const year = yearOf(fields.year) ?? yearOf(fields.date);
  if (year !== undefined) paper.year = year;
  const venue = decoded.journal ?? decoded.journaltitle ?? decoded.booktitle;
  if (venue) paper.venue = venue;
  if (decoded.abstract) paper.abstract = decoded.abstract;
  if (decoded.doi) paper.doi = cleanDoi(decoded.doi);
  const arxiv = arxivFrom(fields.eprint, fields.archiveprefix ?? fields.eprinttype, fields.arxivid, fields.url, fields.doi === undefined ? undefined : cleanDoi(fields.doi));
  if (arxiv) paper.arxiv = arxiv;
  if (decoded.url) paper.url = decoded.url;
  paper.entryType = entry.type;
  const kw = decoded.keywords ?? decoded.groups;
  if (kw !== undefined) {
    const list = splitKeywords(kw);
    if (list.length) paper.keywords = list;
  }
  paper.fields = decoded;
  paper.range = entry.range;
  return paper;
}
