/**
 * Reading Pandoc, Quarto and R Markdown metadata with a YAML parser (not line patterns): a
 * document's front matter, `_quarto.yml`, `_bookdown.yml`, metadata and defaults files. Finds the
 * bibliographies named, wherever these tools allow: `bibliography:` as a string or a list (flow or
 * block, quoted or not), under `metadata:` (defaults files), under a format (`format: html:`,
 * `output: bookdown::pdf_book:`), and in `pandoc_args: [--bibliography=x.bib]`.
 */
import { parseDocument } from 'yaml';

/** A YAML text's data, or why it could not be read. */
export interface YamlRead {
  data?: unknown;
  /** The parser's first complaint (one line) and its 1-based line in the file. */
  error?: { message: string; line: number };
  /** 1-based line in the file of the YAML's first line (front matter starts after its `---`). */
  firstLine: number;
}

/** Parses YAML text; `firstLine` is the line of the file the text starts at. */
export function readYaml(text: string, firstLine = 1): YamlRead {
  try {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    const err = doc.errors[0];
    if (err) {
      const line = (err.linePos?.[0]?.line ?? 1) + firstLine - 1;
      return { error: { message: err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), line }, firstLine };
    }
    // unknown tags (R Markdown's `!expr`, `!r`) are kept as their text
    return { data: doc.toJS({ maxAliasCount: 100 }), firstLine };
  } catch (e) {
    return { error: { message: e instanceof Error ? e.message.split('\n')[0] : String(e), line: firstLine }, firstLine };
  }
}

/** The front matter of a Markdown document (the YAML between the first `---` and `---`/`...`), else undefined. */
export function frontMatter(text: string): YamlRead | undefined {
  const m = /^(?:\uFEFF)?---[ \t]*\r?\n([\s\S]*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  if (!m) return undefined;
  return readYaml(m[1] ?? '', 2);
}

/** One bibliography a YAML metadata names, as written. */
export interface NamedBibliography {
  file: string;
}

/** Something in the metadata that is not a bibliography name (`bibliography: 3`, `bibliography: {a: b}`). */
export interface MetadataTrouble {
  message: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** Names from a `bibliography` value: a string or a list of strings. */
function namesOf(value: unknown, where: string, out: NamedBibliography[], trouble: MetadataTrouble[]): void {
  if (value === null || value === undefined || value === '') return;
  const items = Array.isArray(value) ? value : [value];
  for (const v of items) {
    if (typeof v !== 'string') {
      trouble.push({ message: `${where} is not a file name or a list of file names` });
      continue;
    }
    const file = v.trim();
    // inline R (`r …`) and URLs are not files Citelens can read
    if (!file || /^`r\s/.test(file) || /^[a-z][a-z0-9+.-]*:\/\//i.test(file)) continue;
    out.push({ file });
  }
}

/** `--bibliography=x.bib` / `--bibliography x.bib` in a list of Pandoc arguments. */
function fromPandocArgs(args: unknown, out: NamedBibliography[]): void {
  if (!Array.isArray(args)) return;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a !== 'string') continue;
    const m = /^--bibliography(?:=(.+))?$/.exec(a.trim());
    if (m && m[1]) out.push({ file: m[1].replace(/^["']|["']$/g, '') });
    else if (m && typeof args[i + 1] === 'string') out.push({ file: (args[++i] as string).trim() });
  }
}

/** Every bibliography the metadata `data` names, and what is wrong in how it names them. */
export function metadataBibliographies(data: unknown): { names: NamedBibliography[]; trouble: MetadataTrouble[] } {
  const names: NamedBibliography[] = [];
  const trouble: MetadataTrouble[] = [];
  if (!isObject(data)) return { names, trouble };
  namesOf(data.bibliography, 'bibliography', names, trouble);
  if (isObject(data.metadata)) namesOf(data.metadata.bibliography, 'metadata: bibliography', names, trouble);
  for (const key of ['format', 'output']) {
    const formats = data[key];
    if (!isObject(formats)) continue;
    for (const [name, options] of Object.entries(formats)) {
      if (!isObject(options)) continue;
      namesOf(options.bibliography, `${key}: ${name}: bibliography`, names, trouble);
      if (isObject(options.metadata)) namesOf(options.metadata.bibliography, `${key}: ${name}: metadata: bibliography`, names, trouble);
      fromPandocArgs(options.pandoc_args, names);
    }
  }
  return { names, trouble };
}

/** The metadata files a metadata or defaults file names (`metadata-files:`, `metadata-file:`). */
export function metadataFiles(data: unknown): string[] {
  if (!isObject(data)) return [];
  const out: string[] = [];
  for (const key of ['metadata-files', 'metadata-file']) {
    const v = data[key];
    for (const f of Array.isArray(v) ? v : [v]) if (typeof f === 'string' && f.trim()) out.push(f.trim());
  }
  return out;
}

/** The input files a Pandoc defaults file names (`input-files:`, `input-file:`). */
export function defaultsInputs(data: unknown): string[] | undefined {
  if (!isObject(data)) return undefined;
  const v = data['input-files'] ?? data['input-file'];
  if (v === undefined) return undefined;
  return (Array.isArray(v) ? v : [v]).filter((f): f is string => typeof f === 'string');
}

/** Whether YAML data looks like a Pandoc defaults file (it has options only defaults files have). */
export function looksLikeDefaults(data: unknown): boolean {
  if (!isObject(data)) return false;
  return ['input-files', 'input-file', 'metadata', 'metadata-files', 'metadata-file', 'citeproc', 'cite-method', 'filters', 'reader', 'writer', 'from', 'to', 'output-file', 'bibliography'].some((k) => k in data);
}

/** The Quarto book's chapters and appendices (`book: chapters:` with parts), as written. */
export function quartoChapters(data: unknown): string[] | undefined {
  if (!isObject(data) || !isObject(data.book)) return undefined;
  const out: string[] = [];
  const add = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(add);
    else if (isObject(v)) {
      if (typeof v.part === 'string' && /\.(q?md|rmd|ipynb)$/i.test(v.part)) out.push(v.part);
      if (typeof v.href === 'string') out.push(v.href);
      add(v.chapters);
    }
  };
  add(data.book.chapters);
  add(data.book.appendices);
  return out.length ? out : undefined;
}

/** The chapters `_bookdown.yml` lists (`rmd_files:` as a list, or per output format), as written. */
export function bookdownFiles(data: unknown): string[] | undefined {
  if (!isObject(data)) return undefined;
  const v = data.rmd_files;
  if (Array.isArray(v)) return v.filter((f): f is string => typeof f === 'string');
  if (isObject(v)) return [...new Set(Object.values(v).flatMap((l) => (Array.isArray(l) ? l.filter((f): f is string => typeof f === 'string') : [])))];
  return undefined;
}

/** Whether an `index.Rmd`'s metadata makes its folder a bookdown book (`site: bookdown::bookdown_site`). */
export function isBookdownSite(data: unknown): boolean {
  return isObject(data) && typeof data.site === 'string' && /bookdown/.test(data.site);
}
