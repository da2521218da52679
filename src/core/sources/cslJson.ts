/**
 * The CSL-JSON reader (Zotero, Better CSL JSON, Pandoc): an array of items mapped to the
 * shared {@link Paper} model. Bad JSON gives one diagnostic with its line and column; a bad
 * item gives a diagnostic of its own and the other items are kept. Never throws.
 */
import type { Diagnostic, Paper, SourceRange, SourceResult } from '../model/paper';

/** CSL item types → the closest BibTeX entry type. */
const CSL_TO_BIBTEX: Record<string, string> = {
  'article-journal': 'article', 'article-magazine': 'article', 'article-newspaper': 'article',
  'paper-conference': 'inproceedings', book: 'book', chapter: 'incollection', thesis: 'phdthesis',
  report: 'techreport', manuscript: 'unpublished', article: 'misc', webpage: 'online',
  'post-weblog': 'online', post: 'online', dataset: 'dataset', software: 'software',
  patent: 'patent', standard: 'standard',
};

const ARXIV_URL = /arxiv\.org\/(?:abs|pdf)\/((?:\d{4}\.\d{4,5})|(?:[a-z-]+(?:\.[A-Za-z]{2})?\/\d{7}))/i;
const ARXIV_DOI = /10\.48550\/arxiv\.(\d{4}\.\d{4,5})/i;

/** 1-based line and column of a UTF-16 offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let p = text.indexOf('\n'); p !== -1 && p < offset; p = text.indexOf('\n', p + 1)) {
    line++;
    lineStart = p + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** A string field of a CSL item, or undefined (numbers are accepted and turned into strings). */
function str(v: unknown): string | undefined {
  if (typeof v === 'string') {
    const s = v.trim();
    return s.length ? s : undefined;
  }
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

interface CslName {
  family?: unknown;
  given?: unknown;
  literal?: unknown;
  'non-dropping-particle'?: unknown;
  'dropping-particle'?: unknown;
  suffix?: unknown;
}

/** Display name ("Given von Family Jr.") and BibTeX form ("von Family, Jr., Given") of a CSL name. */
function cslName(n: unknown): { display: string; bibtex: string } | undefined {
  if (typeof n === 'string') return n.trim() ? { display: n.trim(), bibtex: `{${n.trim()}}` } : undefined;
  if (!n || typeof n !== 'object') return undefined;
  const o = n as CslName;
  const literal = str(o.literal);
  if (literal) return { display: literal, bibtex: `{${literal}}` };
  const family = str(o.family);
  const given = str(o.given);
  const particle = [str(o['dropping-particle']), str(o['non-dropping-particle'])].filter(Boolean).join(' ');
  const suffix = str(o.suffix);
  if (!family && !given) return undefined;
  const last = [particle, family].filter(Boolean).join(' ');
  const display = [given, last, suffix].filter(Boolean).join(' ');
  const bibtex = [last, suffix, given].filter(Boolean).join(', ');
  return { display, bibtex };
}

/** The year of a CSL date (`date-parts`, `raw` or `literal`). */
function cslYear(d: unknown): number | undefined {
  if (!d || typeof d !== 'object') return undefined;
  const o = d as { 'date-parts'?: unknown; raw?: unknown; literal?: unknown; season?: unknown };
  const parts = o['date-parts'];
  if (Array.isArray(parts) && Array.isArray(parts[0]) && parts[0].length > 0) {
    const y = parseInt(String(parts[0][0]), 10);
    if (Number.isFinite(y) && y !== 0) return y;
  }
  for (const s of [o.raw, o.literal]) {
    if (typeof s === 'string') {
      const m = /(-?\d{4})/.exec(s);
      if (m) return parseInt(m[1], 10);
    }
  }
  return undefined;
}

/**
 * Finds where the item with id `id` is written, searching forward from `from`
 * (items are in file order, so the whole file is searched once).
 */
function locateItem(text: string, id: string, from: number): number {
  const needle = JSON.stringify(id);
  let p = from;
  for (;;) {
    const i = text.indexOf(needle, p);
    if (i < 0) return -1;
    // preceded by `"id" :`
    let k = i - 1;
    while (k >= 0 && /\s/.test(text[k])) k--;
    if (text[k] === ':') {
      k--;
      while (k >= 0 && /\s/.test(text[k])) k--;
      if (text.slice(k - 3, k + 1) === '"id"') return i;
    }
    p = i + needle.length;
  }
}

/**
 * Reads a CSL-JSON file (an array of items, or an object with an `items` array): `id` → key,
 * `title`, `author` (`family`/`given`/`literal`; `editor` when there are no authors),
 * `issued` (`date-parts` or `raw`), `container-title` → venue, `abstract`, `DOI`, `URL`,
 * `type` (mapped to a BibTeX entry type), `keyword` (split on `,`/`;`). `fields` holds the
 * BibTeX equivalents (title, author, year, journal/booktitle, …) for writing BibTeX back.
 */
export function parseCslJson(text: string, source: string): SourceResult {
  const diagnostics: Diagnostic[] = [];
  const papers: Paper[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const shift = body.length === text.length ? 0 : 1;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(msg);
    const offset = m ? parseInt(m[1], 10) + shift : /end of JSON input/i.test(msg) ? text.length : 0;
    const { line, column } = lineColumn(text, offset);
    diagnostics.push({ source, line, column, message: `invalid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, severity: 'error' });
    return { source, papers, diagnostics };
  }
  let items: unknown[];
  if (Array.isArray(data)) items = data;
  else if (data && typeof data === 'object' && Array.isArray((data as { items?: unknown }).items)) items = (data as { items: unknown[] }).items;
  else {
    diagnostics.push({ source, line: 1, column: 1, message: 'CSL-JSON must be an array of items', severity: 'error' });
    return { source, papers, diagnostics };
  }
  let cursor = 0;
  // forward-only line counter (items are located in increasing order)
  let lcOff = 0, lcLine = 1, lcStart = 0;
  const forward = (offset: number): { line: number; column: number } => {
    for (let p = text.indexOf('\n', lcOff); p !== -1 && p < offset; p = text.indexOf('\n', p + 1)) {
      lcLine++;
      lcStart = p + 1;
    }
    lcOff = Math.max(lcOff, offset);
    return { line: lcLine, column: offset - lcStart + 1 };
  };
  const seen = new Set<string>();
  for (let idx = 0; idx < items.length; idx++) {
    const item = items[idx];
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      diagnostics.push({ source, line: 1, column: 1, message: `item ${idx + 1} is not an object: skipped`, severity: 'error' });
      continue;
    }
    const it = item as Record<string, unknown>;
    const key = str(it.id) ?? str(it['citation-key']);
    if (!key) {
      diagnostics.push({ source, line: 1, column: 1, message: `item ${idx + 1} has no id: skipped`, severity: 'error' });
      continue;
    }
    let range: SourceRange | undefined;
    let line = 1, column = 1;
    const at = typeof it.id === 'string' ? locateItem(text, it.id, cursor) : -1;
    if (at >= 0) {
      cursor = at + 1;
      const lc = forward(at);
      line = lc.line;
      column = lc.column;
      const len = JSON.stringify(it.id).length;
      range = { startLine: line - 1, startColumn: column - 1, endLine: line - 1, endColumn: column - 1 + len };
    }
    if (seen.has(key)) {
      diagnostics.push({ source, line, column, message: `duplicate id '${key}': this item is ignored`, severity: 'warning' });
      continue;
    }
    seen.add(key);
    const title = str(it.title) ?? '';
    if (!title) diagnostics.push({ source, line, column, message: `item '${key}' has no title`, severity: 'warning' });
    const names = (v: unknown, role: string): { display: string; bibtex: string }[] => {
      if (v === undefined) return [];
      if (!Array.isArray(v)) {
        diagnostics.push({ source, line, column, message: `item '${key}': '${role}' is not a list of names`, severity: 'warning' });
        return [];
      }
      return v.map(cslName).filter((x): x is { display: string; bibtex: string } => x !== undefined);
    };
    let people = names(it.author, 'author');
    const editors = names(it.editor, 'editor');
    const authorField = people.length ? 'author' : 'editor';
    if (!people.length) people = editors;
    const year = cslYear(it.issued);
    const cslType = str(it.type);
    const entryType = cslType ? (Object.hasOwn(CSL_TO_BIBTEX, cslType) ? CSL_TO_BIBTEX[cslType] : 'misc') : undefined;
    const venue = str(it['container-title']);
    const doi = str(it.DOI)?.replace(/^(https?:\/\/(dx\.)?doi\.org\/|doi:\s*)/i, '');
    const url = str(it.URL);
    const abstract = str(it.abstract);
    const kw = str(it.keyword);
    const fields: Record<string, string> = {};
    if (title) fields.title = title;
    if (people.length) fields[authorField] = people.map((p) => p.bibtex).join(' and ');
    if (year !== undefined) fields.year = String(year);
    if (venue) fields[entryType === 'inproceedings' || entryType === 'incollection' ? 'booktitle' : 'journal'] = venue;
    const extra: [string, string][] = [
      ['volume', 'volume'], ['issue', 'number'], ['page', 'pages'], ['publisher', 'publisher'],
      ['publisher-place', 'address'], ['ISBN', 'isbn'], ['ISSN', 'issn'], ['note', 'note'],
      ['language', 'language'],
    ];
    for (const [from, to] of extra) {
      const v = str(it[from]);
      if (v) fields[to] = v;
    }
    if (abstract) fields.abstract = abstract;
    if (doi) fields.doi = doi;
    if (url) fields.url = url;
    if (kw) fields.keywords = kw;
    const paper: Paper = { key, title, authors: people.map((p) => p.display), source };
    if (year !== undefined) paper.year = year;
    if (venue) paper.venue = venue;
    if (abstract) paper.abstract = abstract;
    let arxiv: string | undefined;
    if (url) arxiv = ARXIV_URL.exec(url)?.[1];
    if (!arxiv && doi) arxiv = ARXIV_DOI.exec(doi)?.[1];
    if (arxiv) paper.arxiv = arxiv;
    if (doi) paper.doi = doi;
    if (url) paper.url = url;
    if (entryType) paper.entryType = entryType;
    if (kw) {
      const list = kw.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
      if (list.length) paper.keywords = list;
    }
    paper.fields = fields;
    if (range) paper.range = range;
    papers.push(paper);
  }
  return { source, papers, diagnostics };
}
