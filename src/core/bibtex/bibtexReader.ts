/**
 * The BibTeX/BibLaTeX reader: a hand-written single-pass scanner over character codes.
 *
 * It reads what real files contain (`@string` macros, also from another file of the same library;
 * `#` concatenation; month macros; `{}` and `()` delimiters; `@comment`; `@preamble`; `%` comment
 * lines between fields; nested braces; quoted values; `crossref` inheritance; CRLF) and is tolerant:
 * a broken entry yields a {@link Diagnostic} and reading resumes at the next entry, so every other
 * entry still loads. It never throws, runs in time linear in its input and uses no recursion.
 */
import type { Diagnostic, Paper, SourceRange, SourceResult } from '../paper';
import { latexToUnicode } from './latexToUnicode';

/** One entry as written in the file. */
export interface BibtexEntry {
  /** Citation key as written (BibTeX compares keys case-insensitively; we keep the user's case). */
  key: string;
  /** Entry type in lower case ("article", "inproceedings"). */
  type: string;
  /** Field name (lower case) → raw value: delimiters removed, macros and `#` expanded, LaTeX kept. */
  fields: Record<string, string>;
  /** Where the entry sits, from its `@` to just after its closing delimiter (0-based). */
  range: SourceRange;
  /** The entry's source text, exactly as in the file. */
  raw: string;
}

/** The result of reading one BibTeX file. */
export interface BibtexResult extends SourceResult {
  /** The `@string` macros this file defines (lower-case name → expanded value), for the other files of its library. */
  macros: Map<string, string>;
  /** Every entry recovered, in file order, including later duplicates of a key (the papers keep the first). */
  entries: BibtexEntry[];
}

/** Options of {@link parseBibtex}. */
export interface BibtexOptions {
  /** `@string` macros defined elsewhere (another file of the same library); lower-case names. */
  macros?: Map<string, string>;
}

/** The month macros every BibTeX style defines. */
const MONTHS = new Map<string, string>([
  ['jan', 'January'], ['feb', 'February'], ['mar', 'March'], ['apr', 'April'], ['may', 'May'],
  ['jun', 'June'], ['jul', 'July'], ['aug', 'August'], ['sep', 'September'], ['oct', 'October'],
  ['nov', 'November'], ['dec', 'December'],
]);

/** Fields whose values are verbatim (never LaTeX-decoded). */
const VERBATIM_FIELDS = new Set([
  'url', 'doi', 'eprint', 'file', 'pdf', 'urlraw', 'verba', 'verbb', 'verbc', 'ids', 'crossref',
  'xdata', 'local-url', 'bdsk-url-1', 'bdsk-url-2', 'bdsk-url-3', 'bdsk-file-1', 'bdsk-file-2',
  'eprintclass', 'isbn', 'issn', 'pmid', 'arxivid', 'key', 'citation-key', 'langid',
]);

/** Parent entry types whose title becomes a child's booktitle through crossref (biblatex rule). */
const CONTAINER_TYPES = new Set([
  'proceedings', 'book', 'collection', 'mvbook', 'mvproceedings', 'mvcollection', 'reference',
  'mvreference', 'periodical',
]);

/** Most diagnostics reported for one file; the rest are counted in a final message. */
const MAX_DIAGNOSTICS = 1000;

// Character codes.
const AT = 64, LBRACE = 123, RBRACE = 125, LPAREN = 40, RPAREN = 41, QUOTE = 34, HASH = 35,
  COMMA = 44, EQUALS = 61, PERCENT = 37, NL = 10, CR = 13, SPACE = 32, TAB = 9;

/** 1 for ASCII white space. */
const WS = new Uint8Array(128);
for (const c of [SPACE, TAB, NL, CR, 11, 12]) WS[c] = 1;
/** 1 for ASCII characters that may appear in a type, field or macro name. */
const NAME = new Uint8Array(128);
for (let c = 33; c < 127; c++) NAME[c] = 1;
for (const ch of '{}()",=#%\'@') NAME[ch.charCodeAt(0)] = 0;

/**
 * Interning cache of lower-cased names (fields, types, macros): the same few dozen names repeat
 * in every entry, and reusing one string object per name makes property stores and map lookups
 * hit V8's caches instead of hashing a fresh string each time.
 */
const NAME_CACHE_SIZE = 2048;
const nameCacheRaw: (string | undefined)[] = new Array(NAME_CACHE_SIZE);
const nameCacheLower: string[] = new Array(NAME_CACHE_SIZE);

/** The lower-cased name written at `t[s..e)`, as a shared string. */
function internName(t: string, s: number, e: number): string {
  const len = e - s;
  if (len > 48) return t.slice(s, e).toLowerCase();
  const h = (len * 97 + t.charCodeAt(s) * 31 + t.charCodeAt(e - 1) * 7 + t.charCodeAt(s + (len >> 1))) & (NAME_CACHE_SIZE - 1);
  const raw = nameCacheRaw[h];
  if (raw !== undefined && raw.length === len && t.startsWith(raw, s)) return nameCacheLower[h];
  const r = t.slice(s, e);
  const lower = r.toLowerCase();
  nameCacheRaw[h] = r;
  nameCacheLower[h] = lower;
  return lower;
}

function isWs(c: number): boolean {
  return c < 128 && WS[c] === 1;
}
function isNameChar(c: number): boolean {
  return c < 128 ? NAME[c] === 1 : c !== 0xa0 && c !== 0xfeff;
}

/** Internal per-result facts that {@link parseBibtexFiles} needs. */
interface ReaderInternals {
  undefinedMacros: Set<string>;
  /** Indexes into entries of papers whose crossref target was not found in the file. */
  unresolvedCrossrefs: Map<BibtexEntry, Diagnostic>;
  /** The entries that became papers, parallel to `papers`. */
  paperEntries: BibtexEntry[];
}
const internals = new WeakMap<BibtexResult, ReaderInternals>();

/**
 * Reads one BibTeX/BibLaTeX file's text. Never throws: every problem becomes a diagnostic
 * (1-based line and column) and the other entries still load.
 *
 * @param text the file's text (see `decodeText` for bytes)
 * @param source identifier of the file (its path), copied into papers and diagnostics
 * @param options macros defined by other files of the same library
 */
export function parseBibtex(text: string, source: string, options?: BibtexOptions): BibtexResult {
  const scan = new Scanner(text, source, options?.macros);
  try {
    scan.run();
  } catch (e) {
    // Defensive: the scanner is written not to throw; if it ever does, keep what was read.
    scan.error(0, `internal reader error: ${e instanceof Error ? e.message : String(e)}`);
  }
  return scan.finish();
}

/** A file of a library, for {@link parseBibtexFiles}. */
export interface BibtexFile {
  text: string;
  source: string;
}

/**
 * Reads the files of one library together: `@string` macros defined in any file are visible in
 * every other (files that used a macro defined only in a later file are read again), and
 * `crossref` targets are looked up across files. Returns one result per file, in order.
 */
export function parseBibtexFiles(files: BibtexFile[], options?: BibtexOptions): BibtexResult[] {
  const all = new Map<string, string>(options?.macros ?? []);
  const results: BibtexResult[] = [];
  for (const f of files) {
    const r = parseBibtex(f.text, f.source, { macros: all });
    for (const [k, v] of r.macros) if (!all.has(k)) all.set(k, v);
    results.push(r);
  }
  for (let i = 0; i < results.length; i++) {
    const info = internals.get(results[i])!;
    let again = false;
    for (const m of info.undefinedMacros) if (all.has(m)) again = true;
    if (again) results[i] = parseBibtex(files[i].text, files[i].source, { macros: all });
  }
  // crossref across files
  const byKey = new Map<string, BibtexEntry>();
  for (const r of results) for (const e of r.entries) {
    const k = e.key.toLowerCase();
    if (!byKey.has(k)) byKey.set(k, e);
  }
  for (const r of results) {
    const info = internals.get(r)!;
    if (info.unresolvedCrossrefs.size === 0) continue;
    const resolved = new Set<Diagnostic>();
    for (let p = 0; p < r.papers.length; p++) {
      const entry = info.paperEntries[p];
      const diag = info.unresolvedCrossrefs.get(entry);
      if (!diag) continue;
      const merged = inheritFields(entry, (k) => byKey.get(k));
      if (merged === entry.fields) continue;
      r.papers[p] = entryToPaper(entry, r.source, merged);
      resolved.add(diag);
    }
    if (resolved.size) r.diagnostics = r.diagnostics.filter((d) => !resolved.has(d));
  }
  return results;
}

/** The single-pass scanner behind {@link parseBibtex}. */
class Scanner {
  private readonly n: number;
  private readonly entries: BibtexEntry[] = [];
  private readonly diagnostics: Diagnostic[] = [];
  private dropped = 0;
  private readonly macros = new Map<string, string>();
  private readonly undefinedMacros = new Set<string>();
  /** The position at which the last value scan gave up, and why. */
  private failAt = 0;
  private failMessage = '';
  // Line cursor: converts increasing offsets to lines and columns in linear total time.
  private curLine = 0;
  private curLineStart = 0;
  private nextNl: number;
  /** Column of the last {@link lineOf} call (0-based). */
  private col = 0;

  constructor(
    private readonly text: string,
    private readonly source: string,
    private readonly external: Map<string, string> | undefined,
  ) {
    this.n = text.length;
    this.nextNl = text.indexOf('\n');
  }

  /** 0-based line of `offset`; sets {@link col}. Moves forward or backward in time linear in the distance. */
  private lineOf(offset: number): number {
    const t = this.text;
    while (offset < this.curLineStart) {
      // step back one line: the '\n' that ended the previous line is at curLineStart - 1
      const prevNl = this.curLineStart - 1;
      this.nextNl = prevNl;
      this.curLine--;
      this.curLineStart = prevNl > 0 ? t.lastIndexOf('\n', prevNl - 1) + 1 : 0;
    }
    while (this.nextNl !== -1 && this.nextNl < offset) {
      this.curLine++;
      this.curLineStart = this.nextNl + 1;
      this.nextNl = t.indexOf('\n', this.curLineStart);
    }
    this.col = offset - this.curLineStart;
    return this.curLine;
  }

  private report(offset: number, message: string, severity: 'error' | 'warning'): void {
    if (this.diagnostics.length >= MAX_DIAGNOSTICS) {
      this.dropped++;
      return;
    }
    const line = this.lineOf(offset);
    this.diagnostics.push({ source: this.source, line: line + 1, column: this.col + 1, message, severity });
  }
  error(offset: number, message: string): void {
    this.report(offset, message, 'error');
  }
  private warn(offset: number, message: string): void {
    this.report(offset, message, 'warning');
  }

  private skipWs(j: number): number {
    const t = this.text, n = this.n;
    while (j < n && isWs(t.charCodeAt(j))) j++;
    return j;
  }

  /** Skips white space and `%` comment lines (where a field name is expected). */
  private skipWsAndComments(j: number): number {
    const t = this.text, n = this.n;
    for (;;) {
      while (j < n && isWs(t.charCodeAt(j))) j++;
      if (j < n && t.charCodeAt(j) === PERCENT) {
        const nl = t.indexOf('\n', j);
        j = nl < 0 ? n : nl + 1;
        continue;
      }
      return j;
    }
  }

  /** Whether `j` (after optional spaces and tabs) starts an entry: `@name` then `{` or `(`. */
  private entryStartsAt(j: number): boolean {
    const t = this.text, n = this.n;
    while (j < n) {
      const c = t.charCodeAt(j);
      if (c !== SPACE && c !== TAB) break;
      j++;
    }
    if (j >= n || t.charCodeAt(j) !== AT) return false;
    j++;
    while (j < n && isWs(t.charCodeAt(j))) j++;
    const s = j;
    while (j < n && isNameChar(t.charCodeAt(j))) j++;
    if (j === s) return false;
    while (j < n && isWs(t.charCodeAt(j))) j++;
    const c = t.charCodeAt(j);
    return c === LBRACE || c === LPAREN;
  }

  /** Offset of the next `@` that starts a line (after optional indentation), or of the end. */
  private nextLineStartEntry(j: number): number {
    const t = this.text, n = this.n;
    for (;;) {
      const nl = t.indexOf('\n', j);
      if (nl < 0) return n;
      let k = nl + 1;
      while (k < n) {
        const c = t.charCodeAt(k);
        if (c !== SPACE && c !== TAB) break;
        k++;
      }
      if (k < n && t.charCodeAt(k) === AT) return k;
      j = k;
    }
  }

  /** Where to resume after a broken entry: the next `@name{` or `@name(` after `j`. */
  private resumeAfter(j: number): number {
    const t = this.text, n = this.n;
    let k = j;
    for (;;) {
      const at = t.indexOf('@', k);
      if (at < 0) return n;
      if (this.entryStartsAt(at)) return at;
      k = at + 1;
    }
  }

  /** Reads the whole text. */
  run(): void {
    const t = this.text, n = this.n;
    let pos = 0;
    while (pos < n) {
      const at = t.indexOf('@', pos);
      if (at < 0) break;
      const next = this.atSign(at);
      pos = next > at ? next : at + 1;
    }
  }

  /** Whether only spaces and tabs stand between the start of its line and `at`. */
  private atLineStart(at: number): boolean {
    const t = this.text;
    let k = at - 1;
    while (k >= 0) {
      const c = t.charCodeAt(k);
      if (c === NL) return true;
      if (c !== SPACE && c !== TAB && c !== CR && c !== 0xfeff) return false;
      k--;
    }
    return true;
  }

  /** Handles the `@` at `at`; returns where to continue. */
  private atSign(at: number): number {
    const t = this.text, n = this.n;
    let j = this.skipWs(at + 1);
    const ts = j;
    while (j < n && isNameChar(t.charCodeAt(j))) j++;
    if (j === ts) return at + 1; // a lone '@' in comment text (an e-mail address, a mention)
    const rawType = t.slice(ts, j);
    j = this.skipWs(j);
    const open = t.charCodeAt(j);
    if (open !== LBRACE && open !== LPAREN) {
      if (this.atLineStart(at)) {
        this.warn(at, `'@${rawType}' is not followed by '{' or '(': ignored`);
      }
      return j;
    }
    const type = internName(t, ts, ts + rawType.length);
    const close = open === LBRACE ? RBRACE : RPAREN;
    if (type === 'comment' || type === 'preamble') return this.special(at, j, close, type);
    if (type === 'string') return this.stringDef(at, j + 1, close);
    return this.entry(at, j + 1, type, close);
  }

  /** Skips `@comment{...}` / `@preamble{...}` (balanced); an unclosed one ends at the next entry line. */
  private special(at: number, open: number, close: number, type: string): number {
    const t = this.text, n = this.n;
    let depth = 0;
    for (let k = open; k < n; k++) {
      const c = t.charCodeAt(k);
      if (c === LBRACE || (c === LPAREN && close === RPAREN && depth === 0 && k === open)) depth++;
      else if (c === RBRACE) {
        depth--;
        if (depth === 0 && close === RBRACE) return k + 1;
      } else if (c === RPAREN && close === RPAREN && depth === 1) return k + 1;
    }
    const resume = this.nextLineStartEntry(open);
    this.warn(at, `@${type} is not closed (missing '${String.fromCharCode(close)}'); skipped to the next line that starts with '@'`);
    return resume;
  }

  private lookupMacro(name: string): string | undefined {
    return this.macros.get(name) ?? this.external?.get(name) ?? MONTHS.get(name);
  }

  /**
   * Reads a value (`{...}`, `"..."`, a number or a macro, joined by `#`) starting at `j` for the
   * field `field`. Returns the raw value and leaves the scanner's end in {@link valueEnd}, or
   * undefined with {@link failAt}/{@link failMessage} set.
   */
  private valueEnd = 0;
  private value(j: number, field: string, close: number): string | undefined {
    const t = this.text, n = this.n;
    let result = '';
    let parts = 0;
    for (;;) {
      j = this.skipWs(j);
      if (j >= n) {
        this.failAt = j;
        this.failMessage = `unexpected end of file in the value of field '${field}'`;
        return undefined;
      }
      const c = t.charCodeAt(j);
      let part: string;
      if (c === LBRACE) {
        const end = this.braced(j);
        if (end < 0) {
          this.failMessage = `unbalanced braces in field '${field}' (missing '}')`;
          return undefined;
        }
        part = t.slice(j + 1, end - 1);
        j = end;
      } else if (c === QUOTE) {
        const end = this.quoted(j);
        if (end < 0) {
          if (!this.failMessage) this.failMessage = `unterminated quoted value in field '${field}' (missing '"')`;
          return undefined;
        }
        part = t.slice(j + 1, end - 1);
        j = end;
      } else if (isNameChar(c)) {
        const s = j;
        let digits = true;
        while (j < n) {
          const d = t.charCodeAt(j);
          if (!isNameChar(d)) break;
          if (d < 48 || d > 57) digits = false;
          j++;
        }
        if (digits) part = t.slice(s, j);
        else {
          const raw = t.slice(s, j);
          const name = internName(t, s, j);
          const m = this.lookupMacro(name);
          if (m !== undefined) part = m;
          else {
            part = raw;
            if (!this.undefinedMacros.has(name)) {
              this.undefinedMacros.add(name);
              this.warn(s, `undefined macro '${raw}' (kept as text)`);
            }
          }
        }
      } else if ((c === COMMA || c === close) && parts === 0) {
        this.warn(j, `field '${field}' has no value`);
        this.valueEnd = j;
        return '';
      } else {
        this.failAt = j;
        this.failMessage = parts === 0
          ? `expected a value for field '${field}', found '${t[j]}'`
          : `expected a value after '#' in field '${field}', found '${t[j]}'`;
        return undefined;
      }
      result = parts === 0 ? part : result + part;
      parts++;
      j = this.skipWs(j);
      if (j < n && t.charCodeAt(j) === HASH) {
        j++;
        continue;
      }
      this.valueEnd = j;
      return result;
    }
  }

  // Cursors of the next '{', '}' and newline at or after some earlier position: each is
  // recomputed with a native indexOf only once the scan passes it, so scanning a brace group
  // costs one call per brace or newline instead of JavaScript work per character.
  private nextOpen = -1;
  private nextClose = -1;
  private nextLine = -1;

  /**
   * End (exclusive) of the brace group opening at `j`, or -1 when it is not closed before the end
   * of the file or before a line that starts a new entry (then {@link failAt} is set).
   */
  private braced(j: number): number {
    const t = this.text, n = this.n;
    let o = this.nextOpen, c = this.nextClose, l = this.nextLine;
    let depth = 0;
    let k = j;
    let result = -1;
    for (;;) {
      if (o < k) {
        o = t.indexOf('{', k);
        if (o < 0) o = n;
      }
      if (c < k) {
        c = t.indexOf('}', k);
        if (c < 0) c = n;
      }
      if (l < k) {
        l = t.indexOf('\n', k);
        if (l < 0) l = n;
      }
      if (o < c && o < l) {
        depth++;
        k = o + 1;
      } else if (c < l) {
        k = c + 1;
        if (--depth === 0) {
          result = k;
          break;
        }
      } else if (l < n) {
        if (this.entryStartsAt(l + 1)) {
          this.failAt = l;
          break;
        }
        k = l + 1;
      } else {
        this.failAt = n;
        break;
      }
    }
    this.nextOpen = o;
    this.nextClose = c;
    this.nextLine = l;
    return result;
  }

  /** End (exclusive) of the quoted value opening at `j`, or -1 (see {@link braced}). */
  private quoted(j: number): number {
    const t = this.text, n = this.n;
    let depth = 0;
    this.failMessage = '';
    for (let k = j + 1; k < n; k++) {
      const c = t.charCodeAt(k);
      if (c === QUOTE) {
        if (depth === 0) return k + 1;
      } else if (c === LBRACE) depth++;
      else if (c === RBRACE) {
        if (--depth < 0) {
          this.failAt = k;
          this.failMessage = `unbalanced '}' inside a quoted value`;
          return -1;
        }
      } else if (c === NL && this.entryStartsAt(k + 1)) {
        this.failAt = k;
        return -1;
      }
    }
    this.failAt = n;
    return -1;
  }

  /** Reads a name at `j`; returns its end (== j when there is none). */
  private nameEnd(j: number): number {
    const t = this.text, n = this.n;
    while (j < n && isNameChar(t.charCodeAt(j))) j++;
    return j;
  }

  /** Whether a `name =` starts at `j` (used to accept a missing comma between fields). */
  private fieldStartsAt(j: number): boolean {
    const e = this.nameEnd(j);
    if (e === j) return false;
    const k = this.skipWs(e);
    return k < this.n && this.text.charCodeAt(k) === EQUALS;
  }

  /** `@string{name = value}` (several `name = value` pairs separated by commas are accepted). */
  private stringDef(at: number, j: number, close: number): number {
    const t = this.text, n = this.n;
    for (;;) {
      j = this.skipWsAndComments(j);
      if (j >= n) {
        this.error(at, `@string is not closed (missing '${String.fromCharCode(close)}')`);
        return n;
      }
      const c = t.charCodeAt(j);
      if (c === close) return j + 1;
      if (c === COMMA) {
        j++;
        continue;
      }
      const ns = j;
      const ne = this.nameEnd(j);
      if (ne === ns) {
        this.error(j, `expected a macro name in @string, found '${t[j]}'`);
        return this.resumeAfter(j);
      }
      const raw = t.slice(ns, ne);
      const name = internName(t, ns, ne);
      j = this.skipWs(ne);
      if (t.charCodeAt(j) !== EQUALS) {
        this.error(j, `expected '=' after macro name '${raw}' in @string`);
        return this.resumeAfter(j);
      }
      const v = this.value(j + 1, raw, close);
      if (v === undefined) {
        this.error(this.failAt, this.failMessage);
        return this.resumeAfter(this.failAt);
      }
      this.macros.set(name, v);
      j = this.valueEnd;
    }
  }

  /** Reads an entry whose body starts at `j` (after the opening delimiter). */
  private entry(at: number, j: number, type: string, close: number): number {
    const t = this.text, n = this.n;
    const startLine = this.lineOf(at);
    const startColumn = this.col;
    j = this.skipWs(j);
    const ks = j;
    while (j < n) {
      const c = t.charCodeAt(j);
      if (isWs(c) || c === COMMA || c === LBRACE || c === RBRACE || c === EQUALS || c === close) break;
      j++;
    }
    let key = t.slice(ks, j);
    j = this.skipWs(j);
    const fields: Record<string, string> = {};
    let c = j < n ? t.charCodeAt(j) : -1;
    let failPos = -1;
    let failMsg = '';
    let end = -1;
    if (c === EQUALS || key.length === 0) {
      this.error(ks, `@${type} entry has no citation key`);
      return this.resumeAfter(ks);
    }
    if (c === COMMA) j++;
    else if (c === close) end = j + 1;
    else if (c === -1) {
      failPos = n;
      failMsg = `entry '${key}' is not closed (missing '${String.fromCharCode(close)}' at the end of the file)`;
    } else if (this.fieldStartsAt(j)) {
      this.warn(j, `missing ',' after the citation key '${key}'`);
    } else {
      failPos = j;
      failMsg = `expected ',' after the citation key '${key}', found '${t[j]}'`;
    }
    while (end < 0 && failPos < 0) {
      j = this.skipWsAndComments(j);
      if (j >= n) {
        failPos = n;
        failMsg = `entry '${key}' is not closed (missing '${String.fromCharCode(close)}' at the end of the file)`;
        break;
      }
      c = t.charCodeAt(j);
      if (c === close) {
        end = j + 1;
        break;
      }
      if (c === COMMA) {
        j++;
        continue;
      }
      if (c === AT && this.entryStartsAt(j)) {
        failPos = j;
        failMsg = `entry '${key}' is not closed (missing '${String.fromCharCode(close)}' before the next entry)`;
        break;
      }
      const ns = j;
      const ne = this.nameEnd(j);
      if (ne === ns) {
        failPos = j;
        failMsg = `unexpected '${t[j]}' in entry '${key}' where a field name was expected`;
        break;
      }
      const name = internName(t, ns, ne);
      j = this.skipWs(ne);
      if (j >= n || t.charCodeAt(j) !== EQUALS) {
        failPos = j;
        failMsg = `expected '=' after field name '${name}' in entry '${key}'`;
        break;
      }
      const v = this.value(j + 1, name, close);
      if (v === undefined) {
        failPos = this.failAt;
        failMsg = `${this.failMessage} in entry '${key}'`;
        break;
      }
      if (fields[name] === undefined || !Object.prototype.hasOwnProperty.call(fields, name)) {
        if (name === '__proto__') Object.defineProperty(fields, name, { value: v, enumerable: true, writable: true, configurable: true });
        else fields[name] = v;
      } else {
        this.warn(ns, `duplicate field '${name}' in entry '${key}': the first value is kept`);
      }
      j = this.skipWsAndComments(this.valueEnd);
      if (j >= n) continue; // reported as not closed at the loop head
      c = t.charCodeAt(j);
      if (c === COMMA) j++;
      else if (c === close) end = j + 1;
      else if (c === AT && this.entryStartsAt(j)) continue; // reported at the loop head
      else if (this.fieldStartsAt(j)) this.warn(j, `missing ',' after field '${name}' in entry '${key}'`);
      else {
        failPos = j;
        failMsg = `expected ',' or '${String.fromCharCode(close)}' after the value of field '${name}' in entry '${key}', found '${t[j]}'`;
      }
    }
    if (failPos >= 0) this.error(failPos, failMsg);
    if (key.charCodeAt(0) === QUOTE && key.length > 1 && key.charCodeAt(key.length - 1) === QUOTE) key = key.slice(1, -1);
    const stop = end >= 0 ? end : failPos;
    const endLine = this.lineOf(stop);
    this.entries.push({
      key,
      type,
      fields,
      range: { startLine, startColumn, endLine, endColumn: this.col },
      raw: t.slice(at, stop),
    });
    if (end >= 0) return end;
    // Resume at the next entry; a fail at an entry start resumes exactly there.
    if (failPos < n && t.charCodeAt(failPos) === AT) return failPos;
    return this.resumeAfter(failPos);
  }

  /** Builds the result: duplicate-key warnings, crossref inheritance, decoded papers. */
  finish(): BibtexResult {
    const entries = this.entries;
    const byExact = new Map<string, BibtexEntry>();
    const byLower = new Map<string, BibtexEntry>();
    const paperEntries: BibtexEntry[] = [];
    const dupDiags: { entry: BibtexEntry; message: string }[] = [];
    let hasCrossref = false;
    for (const e of entries) {
      const first = byExact.get(e.key);
      if (first) {
        dupDiags.push({ entry: e, message: `duplicate key '${e.key}' (first defined on line ${first.range.startLine + 1}): this entry is ignored` });
        continue;
      }
      byExact.set(e.key, e);
      const lower = e.key.toLowerCase();
      const other = byLower.get(lower);
      if (other) {
        dupDiags.push({ entry: e, message: `key '${e.key}' differs only in case from '${other.key}' (line ${other.range.startLine + 1}); BibTeX treats them as the same key` });
      } else byLower.set(lower, e);
      paperEntries.push(e);
      if (e.fields.crossref !== undefined) hasCrossref = true;
    }
    const diagnostics = this.diagnostics;
    for (const d of dupDiags) {
      if (diagnostics.length >= MAX_DIAGNOSTICS) {
        this.dropped++;
        continue;
      }
      diagnostics.push({ source: this.source, line: d.entry.range.startLine + 1, column: d.entry.range.startColumn + 1, message: d.message, severity: 'warning' });
    }
    const unresolved = new Map<BibtexEntry, Diagnostic>();
    const papers: Paper[] = new Array(paperEntries.length);
    for (let i = 0; i < paperEntries.length; i++) {
      const e = paperEntries[i];
      let fields = e.fields;
      if (hasCrossref && e.fields.crossref !== undefined) {
        fields = inheritFields(e, (k) => byLower.get(k));
        if (fields === e.fields) {
          const d: Diagnostic = {
            source: this.source, line: e.range.startLine + 1, column: e.range.startColumn + 1,
            message: `crossref '${e.fields.crossref}' of entry '${e.key}' not found`, severity: 'warning',
          };
          unresolved.set(e, d);
          if (diagnostics.length < MAX_DIAGNOSTICS) diagnostics.push(d);
          else this.dropped++;
        }
      }
      papers[i] = entryToPaper(e, this.source, fields);
    }
    diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    if (this.dropped > 0) {
      diagnostics.push({ source: this.source, line: 1, column: 1, message: `${this.dropped} more problems not shown`, severity: 'warning' });
    }
    const result: BibtexResult = { source: this.source, papers, diagnostics, macros: this.macros, entries };
    internals.set(result, { undefinedMacros: this.undefinedMacros, unresolvedCrossrefs: unresolved, paperEntries });
    return result;
  }
}

/**
 * The entry's fields with the fields it inherits through `crossref` (nearest parent first, chains
 * followed, cycles stopped). Returns `entry.fields` itself when no parent is found.
 */
function inheritFields(entry: BibtexEntry, find: (lowerKey: string) => BibtexEntry | undefined): Record<string, string> {
  let merged: Record<string, string> | undefined;
  const seen = new Set<BibtexEntry>([entry]);
  let cur = entry;
  for (let depth = 0; depth < 16; depth++) {
    const ref = cur.fields.crossref;
    if (ref === undefined) break;
    const parent = find(ref.trim().toLowerCase());
    if (!parent || seen.has(parent)) break;
    seen.add(parent);
    if (!merged) merged = { ...entry.fields };
    for (const k in parent.fields) {
      if (k === 'crossref' || k === 'ids' || k === 'key') continue;
      if (merged[k] === undefined) merged[k] = parent.fields[k];
    }
    if (CONTAINER_TYPES.has(parent.type) && parent.fields.title !== undefined && entry.fields.booktitle === undefined && merged.booktitle === undefined) {
      merged.booktitle = parent.fields.title;
    }
    cur = parent;
  }
  return merged ?? entry.fields;
}

/** Decodes one field value (verbatim fields are only trimmed). */
function decodeField(name: string, raw: string): string {
  if (VERBATIM_FIELDS.has(name)) return trimWs(raw);
  return latexToUnicode(raw);
}

/** `s` without surrounding white space (the same string when there is none). */
function trimWs(s: string): string {
  return s.length > 0 && (isWs(s.charCodeAt(0)) || isWs(s.charCodeAt(s.length - 1))) ? s.trim() : s;
}

/** Every field decoded (see {@link decodeField}). */
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
  const i = s.indexOf('10.');
  if (i > 0 && /^(https?:\/\/(dx\.)?doi\.org\/|doi:\s*)/i.test(s)) return s.slice(i);
  return s;
}

/** First plausible year (1000–2999, or a negative year) in a year or date field. */
function yearOf(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  if (s.length === 4) {
    const y = +s;
    if (y >= 1000 && y < 3000) return y;
  }
  const m = /(?:^|[^0-9])(-?[12][0-9]{3})(?![0-9])/.exec(s);
  return m ? Math.abs(+m[1]) : undefined;
}

/** Hidden (non-enumerable, symbol-keyed) slot of a paper holding its raw fields until `fields` is read. */
const RAW_FIELDS = Symbol('citelens.rawFields');

/** Setter of a paper's lazily decoded `fields`: turns the accessor into a plain data property. */
function setFields(this: Paper, v: Record<string, string> | undefined): void {
  Object.defineProperty(this, 'fields', { value: v, writable: true, enumerable: true, configurable: true });
}

/** Getter of a paper's lazily decoded `fields`: decodes once, then stores the result as data. */
function getFields(this: Paper): Record<string, string> {
  const raw = (this as unknown as Record<symbol, Record<string, string> | undefined>)[RAW_FIELDS];
  const decoded = raw ? decodeFields(raw) : {};
  if (raw && raw.title !== undefined) decoded.title = this.title;
  setFields.call(this, decoded);
  return decoded;
}

/** One shared accessor for every paper, so that all papers keep the same hidden class. */
const LAZY_FIELDS: PropertyDescriptor = { get: getFields, set: setFields, enumerable: true, configurable: true };
const RAW_SLOT: PropertyDescriptor = { value: undefined, writable: false, enumerable: false, configurable: true };

/**
 * Builds the decoded {@link Paper} of an entry. `fields` are the raw fields to use (the entry's
 * own, or those merged through crossref). Title, authors, venue, abstract and keywords are
 * decoded now; `paper.fields` (every field decoded) is an enumerable property computed on first
 * read and then stored, so JSON, structured clone and spreading all see plain decoded values.
 */
export function entryToPaper(entry: BibtexEntry, source: string, fields: Record<string, string> = entry.fields): Paper {
  const title = fields.title;
  const author = fields.author ?? fields.editor;
  const paper: Paper = {
    key: entry.key,
    title: title === undefined ? '' : latexToUnicode(title),
    authors: author === undefined ? [] : splitAuthors(author),
    source,
  };
  const year = yearOf(fields.year) ?? yearOf(fields.date);
  if (year !== undefined) paper.year = year;
  const venue = fields.journal ?? fields.journaltitle ?? fields.booktitle;
  if (venue !== undefined) {
    const v = latexToUnicode(venue);
    if (v) paper.venue = v;
  }
  if (fields.abstract !== undefined) {
    const a = latexToUnicode(fields.abstract);
    if (a) paper.abstract = a;
  }
  if (fields.doi !== undefined) {
    const d = cleanDoi(fields.doi);
    if (d) paper.doi = d;
  }
  const arxiv = arxivOf(fields);
  if (arxiv) paper.arxiv = arxiv;
  if (fields.url !== undefined) {
    const u = trimWs(fields.url);
    if (u) paper.url = u;
  }
  paper.entryType = entry.type;
  const kw = fields.keywords ?? fields.groups;
  if (kw !== undefined) {
    const list = latexToUnicode(kw).split(/[,;]/).map((s) => s.trim()).filter((s) => s.length > 0);
    if (list.length) paper.keywords = list;
  }
  RAW_SLOT.value = fields;
  Object.defineProperty(paper, RAW_FIELDS, RAW_SLOT);
  RAW_SLOT.value = undefined;
  Object.defineProperty(paper, 'fields', LAZY_FIELDS);
  paper.range = entry.range;
  return paper;
}

function arxivOf(f: Record<string, string>): string | undefined {
  const eprint = f.eprint;
  if (eprint !== undefined) {
    const prefix = f.archiveprefix ?? f.eprinttype;
    if (prefix !== undefined && prefix.trim().toLowerCase() === 'arxiv') return cleanArxiv(eprint);
  }
  if (f.arxivid !== undefined) return cleanArxiv(f.arxivid);
  if (eprint !== undefined && /^\s*arxiv:/i.test(eprint)) return cleanArxiv(eprint);
  const url = f.url;
  if (url !== undefined && url.length < 2000 && /arxiv/i.test(url)) {
    const m = ARXIV_URL.exec(url);
    if (m) return m[1];
  }
  const doi = f.doi;
  if (doi !== undefined && doi.length < 2000 && /arxiv/i.test(doi)) {
    const m = ARXIV_DOI.exec(doi);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Splits a raw BibTeX name list into display names: split on "and" at brace depth 0,
 * "Last, First" and "Last, Jr, First" → "First Last Jr", biblatex's `family=…, given=…`
 * understood, LaTeX decoded, braces removed, "others" dropped.
 */
export function splitAuthors(raw: string): string[] {
  const out: string[] = [];
  if (raw.indexOf('{') < 0 && raw.indexOf('\n') < 0 && raw.indexOf('\t') < 0 && raw.indexOf('\r') < 0 &&
      raw.indexOf(' AND ') < 0 && raw.indexOf(' And ') < 0) {
    // Common case: no braces and only spaces, so " and " can be found natively.
    let start = 0;
    for (let i = raw.indexOf(' and '); i >= 0; i = raw.indexOf(' and ', start)) {
      pushName(out, raw.slice(start, i));
      start = i + 5;
    }
    pushName(out, start === 0 ? raw : raw.slice(start));
    return out;
  }
  const n = raw.length;
  let depth = 0;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === LBRACE) depth++;
    else if (c === RBRACE) {
      if (depth > 0) depth--;
    } else if (depth === 0 && isWs(c)) {
      // " and " (any case, any white space around it)
      const a = raw.charCodeAt(i + 1) | 0x20, b = raw.charCodeAt(i + 2) | 0x20, d = raw.charCodeAt(i + 3) | 0x20;
      if (a === 97 && b === 110 && d === 100 && i + 4 < n && isWs(raw.charCodeAt(i + 4))) {
        pushName(out, raw.slice(start, i));
        i += 4;
        start = i;
      }
    }
  }
  pushName(out, raw.slice(start));
  return out;
}

const NAME_PART_KEY = /^\s*(family|given|prefix|suffix|giveni|familyi|useprefix)\s*=/i;

/** Index of the first comma at brace depth 0 in `s` from `from`, or -1. */
function topLevelComma(s: string, from: number): number {
  const c0 = s.indexOf(',', from);
  if (c0 < 0) return -1;
  const b = s.indexOf('{', from);
  if (b < 0 || b > c0) return c0;
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LBRACE) depth++;
    else if (c === RBRACE) {
      if (depth > 0) depth--;
    } else if (c === COMMA && depth === 0) return i;
  }
  return -1;
}

function pushName(out: string[], name: string): void {
  const s = trimWs(name);
  if (s.length === 0 || (s.length === 6 && s.toLowerCase() === 'others')) return;
  const c1 = topLevelComma(s, 0);
  let display: string;
  if (c1 < 0) display = latexToUnicode(s);
  else if (s.indexOf('=') >= 0 && NAME_PART_KEY.test(s)) {
    const named: Record<string, string> = {};
    let from = 0;
    for (;;) {
      const c = topLevelComma(s, from);
      const part = s.slice(from, c < 0 ? s.length : c);
      const eq = part.indexOf('=');
      if (eq > 0) named[part.slice(0, eq).trim().toLowerCase()] = latexToUnicode(part.slice(eq + 1));
      if (c < 0) break;
      from = c + 1;
    }
    display = [named.given, named.prefix, named.family, named.suffix].filter(Boolean).join(' ');
  } else {
    const last = latexToUnicode(s.slice(0, c1));
    const c2 = topLevelComma(s, c1 + 1);
    const first = latexToUnicode(c2 < 0 ? s.slice(c1 + 1) : s.slice(c2 + 1));
    const jr = c2 < 0 ? '' : latexToUnicode(s.slice(c1 + 1, c2));
    display = first ? (last ? first + ' ' + last : first) : last;
    if (jr) display = display ? display + ' ' + jr : jr;
  }
  if (display.length > 0) out.push(display);
}
