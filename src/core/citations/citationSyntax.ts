/**
 * Citations in documents: where they are (LaTeX cite commands, Pandoc citations, Typst references),
 * whether the cursor is inside one, how to write a new one, and how to merge keys into an existing
 * one. Pure functions over the document text, no `vscode` import. Nothing here throws on odd input:
 * an unterminated citation (the writer is typing) is read as far as it goes.
 *
 * The lexers below also classify every character of the document (prose, math, comment, code,
 * command …) for the mention matcher in `mentions.ts`; that part is exported as {@link lexDocument}.
 */

/** The citation syntax of a document, chosen from its VS Code language id. */
export type DocumentSyntax = 'latex' | 'markdown' | 'typst' | 'plain';

const LATEX_LANGUAGES = new Set(['latex', 'tex', 'context', 'doctex', 'latex-expl3', 'rsweave', 'jlweave', 'pweave']);
const MARKDOWN_LANGUAGES = new Set(['markdown', 'quarto', 'rmd', 'rmarkdown', 'pandoc', 'mdx', 'pweave_md', 'markdown-math']);

/**
 * The citation syntax for a VS Code language id: `latex`/`tex` (and LaTeX dialects) → `latex`;
 * `markdown`, `quarto`, `rmd`, `rmarkdown` → `markdown`; `typst` → `typst`; anything else
 * (including `bibtex` and `plaintext`) → `plain`. Case-insensitive.
 */
export function syntaxForLanguage(languageId: string): DocumentSyntax {
  const id = (languageId ?? '').toLowerCase();
  if (LATEX_LANGUAGES.has(id)) return 'latex';
  if (MARKDOWN_LANGUAGES.has(id)) return 'markdown';
  if (id === 'typst') return 'typst';
  return 'plain';
}

/** One key of one citation in a document. Offsets are UTF-16 indices into the text, end exclusive. */
export interface CitationOccurrence {
  /** The citation key as written (without `@`, braces or surrounding spaces). */
  key: string;
  /** Offset of the key's first character. */
  start: number;
  /** Offset just after the key's last character. */
  end: number;
  /**
   * The whole citation the key belongs to: `\citep[p.~3]{a,b}`, `[@a; @b]`, a bare `@a`, or Typst
   * `#cite(<a>)`. `command` is the LaTeX command name without backslash (`citep`, `citet*`) or
   * `cite` for Typst `#cite`; undefined for Pandoc and Typst `@` references.
   */
  citation: { start: number; end: number; command?: string };
}

/**
 * All citation keys of a document, in document order: every key of every citation.
 * - LaTeX (`latex`): any `\…cite…` command (`\cite`, `\citep`, `\citet*`, `\autocite`,
 *   `\parencite`, `\textcite`, `\footcite`, `\citeauthor`, `\nocite`, `\Citet` …) with optional
 *   `[…]` arguments; multi-cite commands (`\cites{a}{b}`, `\parencites(pre)(post)[p]{a}[q]{b}`)
 *   read every group; keys split at commas with surrounding whitespace; `%` comments, verbatim
 *   environments and `\verb` are skipped; `\nocite{*}` yields no key.
 * - Markdown (`markdown`): Pandoc `[@a; @b, p. 3]`, `[-@a]`, `[see @a]`, bare `@a` in text and
 *   `@{key with odd chars}`, following Pandoc's key rules (letters, digits, `_` and internal
 *   `:.#$%&-+?<>~/`; trailing punctuation is not part of the key). Not in e-mail addresses
 *   (`@` after a letter or digit), code spans, fenced or indented code blocks, HTML comments,
 *   math, URLs or YAML front matter. Raw LaTeX cite commands are read too.
 * - Typst (`typst`): `@key` references and `#cite(<key>)` / `#cite(label("key"))`; not in comments,
 *   raw text or math.
 * - `plain`: LaTeX cite commands and bracketed Pandoc citations only (no bare `@`).
 */
export function findCitations(text: string, syntax: DocumentSyntax): CitationOccurrence[] {
  const out: CitationOccurrence[] = [];
  if (typeof text !== 'string' || !text) return out;
  for (const c of lexDocument(text, syntax).citations) {
    const citation = c.command !== undefined ? { start: c.start, end: c.end, command: c.command } : { start: c.start, end: c.end };
    for (const k of c.keys) {
      if (k.key) out.push({ key: k.key, start: k.start, end: k.end, citation });
    }
  }
  return out;
}

// =============================================================================================
// Character classes and the lexed document
// =============================================================================================

/** Prose: words here may be titles or system names. */
export const CLASS_PROSE = 0;
/** Not prose and a hard break between words: code, citations, URLs, labels, front matter, tags. */
export const CLASS_IGNORED = 1;
/** A command name (`\emph`, `#emph`) or escape: separates words, does not break a title. */
export const CLASS_COMMAND = 2;
/** Invisible inside a word: braces, accent commands (`\"`), `\-`. */
export const CLASS_TRANSPARENT = 3;
/** Inside math: may be part of a title, never a system name. */
export const CLASS_MATH = 4;
/** A comment (`% …`, `// …`): separates words, does not break a title. */
export const CLASS_COMMENT = 5;

/**
 * One citation as the lexer read it (internal detail, exported for `mentions.ts` and tests).
 * `groups` are the key lists: LaTeX brace groups, the inside of `[…]` or `#cite(…)`; `items` are
 * the `;`-separated parts of a bracketed Pandoc citation (trimmed).
 */
export interface ParsedCitation {
  start: number;
  end: number;
  command?: string;
  kind: 'latex' | 'pandoc' | 'pandoc-bare' | 'typst-ref' | 'typst-cite';
  /** False when the closing `}`/`]`/`)` is missing (the writer is still typing). */
  terminated: boolean;
  keys: ParsedKey[];
  groups: { contentStart: number; contentEnd: number; closed: boolean }[];
  items?: { start: number; end: number }[];
}

/** One key slot of a {@link ParsedCitation}; `key` is empty for a bare `@` not yet followed by a key. */
export interface ParsedKey {
  key: string;
  start: number;
  end: number;
  /** Offset of the `@` marker (Pandoc, Typst), or -1. */
  marker: number;
  group: number;
  item: number;
}

/** The result of {@link lexDocument}. */
export interface LexedDocument {
  /** One {@link CLASS_PROSE}… class per UTF-16 unit of the text. */
  mask: Uint8Array;
  /** Citations in document order. */
  citations: ParsedCitation[];
}

/**
 * Reads a document once: classifies every character (prose, math, comment, code, command …) and
 * finds its citations. Linear in the text length. Used by {@link findCitations} and the mention
 * matcher.
 */
export function lexDocument(text: string, syntax: DocumentSyntax): LexedDocument {
  const n = text.length;
  const mask = new Uint8Array(n);
  const citations: ParsedCitation[] = [];
  try {
    if (syntax === 'latex') lexLatex(text, mask, citations, 0, n);
    else if (syntax === 'markdown') lexMarkdown(text, mask, citations, n, false);
    else if (syntax === 'typst') lexTypst(text, mask, citations, n);
    else lexMarkdown(text, mask, citations, n, true);
  } catch {
    // a lexer bug must not take the editor down: return what was found so far
  }
  citations.sort((a, b) => a.start - b.start);
  return { mask, citations };
}

// =============================================================================================
// Character helpers
// =============================================================================================

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** 0 = unknown, 1 = letter/digit, 2 = not. For code units ≥ 128. */
const wordCache = new Uint8Array(65536);
const WORD_RE = /^[\p{L}\p{N}\p{M}]$/u;

/** Whether a UTF-16 code unit is a letter, digit or combining mark (Unicode-aware). */
export function isWordCode(c: number): boolean {
  if (c < 128) return isAsciiAlnum(c);
  if (c >= 0xd800 && c <= 0xdfff) return true; // astral letters: treat as word characters
  let v = wordCache[c];
  if (v === 0) {
    v = WORD_RE.test(String.fromCharCode(c)) ? 1 : 2;
    wordCache[c] = v;
  }
  return v === 1;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 0xa0;
}

/** Pandoc's "regular" key character: a letter, digit or `_`. */
function isPandocRegChar(c: number): boolean {
  return c === 95 || (c < 128 ? isAsciiAlnum(c) : c < 0xd800 || c > 0xdfff ? isWordCode(c) : false);
}

/** Pandoc's internal key punctuation `:.#$%&-+?<>~/`. */
function isPandocInternal(c: number): boolean {
  switch (c) {
    case 58: case 46: case 35: case 36: case 37: case 38: case 45: case 43: case 63: case 60: case 62: case 126: case 47:
      return true;
  }
  return false;
}

/** Reads a Pandoc citation key starting at `i`; returns its end (== i when there is none). */
function readPandocKey(text: string, i: number, n: number): number {
  if (i >= n || !isPandocRegChar(text.charCodeAt(i))) return i;
  let j = i + 1;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (isPandocRegChar(c)) { j++; continue; }
    const d = j + 1 < n ? text.charCodeAt(j + 1) : -1;
    if (isPandocInternal(c) && d >= 0 && isPandocRegChar(d)) { j += 2; continue; }
    if ((c === 58 || c === 47) && d === 47) { j++; continue; }
    break;
  }
  return j;
}

/** Whether `key` can be written `@key` in Pandoc Markdown (else it needs `@{key}`). */
function isPlainPandocKey(key: string): boolean {
  return key.length > 0 && readPandocKey(key, 0, key.length) === key.length;
}

/** Typst label character: letter, digit, `_`, `-`, `.`, `:`. */
function isTypstLabelChar(c: number): boolean {
  return c === 95 || c === 45 || c === 46 || c === 58 || (c < 128 ? isAsciiAlnum(c) : isWordCode(c));
}

/** Reads a Typst reference label at `i` (trailing `.`/`:` excluded); returns its end. */
function readTypstLabel(text: string, i: number, n: number): number {
  let j = i;
  while (j < n && isTypstLabelChar(text.charCodeAt(j))) j++;
  while (j > i && (text.charCodeAt(j - 1) === 46 || text.charCodeAt(j - 1) === 58)) j--;
  return j;
}

function isPlainTypstLabel(key: string): boolean {
  return key.length > 0 && readTypstLabel(key, 0, key.length) === key.length && isPandocRegChar(key.charCodeAt(0));
}

/** A LaTeX key character: anything but whitespace, `,`, braces, `%` and backslash. */
function isLatexKeyChar(c: number): boolean {
  return !(isSpace(c) || c === 44 || c === 123 || c === 125 || c === 37 || c === 92);
}

/** Whether a blank line starts at the newline at `i` (the next line holds only whitespace). */
function blankLineAt(text: string, i: number, n: number): boolean {
  let j = i + 1;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 10) return true;
    if (c !== 32 && c !== 9 && c !== 13) return false;
    j++;
  }
  return true;
}

/** Skips spaces and tabs and at most one line break (never a blank line). */
function skipInlineSpace(text: string, i: number, n: number): number {
  let newlines = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) { i++; continue; }
    if (c === 10 && newlines === 0 && !blankLineAt(text, i, n)) { newlines++; i++; continue; }
    break;
  }
  return i;
}

/**
 * Where each `[` and `{` of a document closes, computed in one pass the first time it is asked
 * (escaped brackets skipped; in LaTeX also `%` comments; pairs never span a blank line), so that
 * reading arguments stays linear even in a document full of unclosed brackets.
 */
class BracketIndex {
  private closeOf: Int32Array | undefined;

  constructor(private readonly text: string, private readonly n: number, private readonly latex: boolean) {}

  /** The offset of the `]`/`}` closing the bracket at `i`, or -1. */
  close(i: number): number {
    if (!this.closeOf) this.build();
    return (this.closeOf as Int32Array)[i];
  }

  private build(): void {
    const { text, n } = this;
    const closeOf = new Int32Array(n + 1).fill(-1);
    const squares: number[] = [];
    const braces: number[] = [];
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      switch (c) {
        case 92: i++; break;
        case 37:
          if (this.latex) { const e = text.indexOf('\n', i); i = e < 0 ? n : e - 1; }
          break;
        case 10:
          if (blankLineAt(text, i, n)) { squares.length = 0; braces.length = 0; }
          break;
        case 91: squares.push(i); break;
        case 93: if (squares.length) closeOf[squares.pop() as number] = i; break;
        case 123: braces.push(i); break;
        case 125: if (braces.length) closeOf[braces.pop() as number] = i; break;
      }
    }
    this.closeOf = closeOf;
  }
}

/**
 * Finds the bracket closing the one at `i` (same kind, nested pairs counted, backslash escapes
 * skipped), giving up at a blank line or after `limit` characters. Returns -1 when not found.
 */
function findClosing(text: string, i: number, n: number, open: number, close: number, limit = 4000): number {
  let depth = 0;
  const stop = Math.min(n, i + limit);
  for (let j = i; j < stop; j++) {
    const c = text.charCodeAt(j);
    if (c === 92) { j++; continue; }
    if (c === open) depth++;
    else if (c === close) { if (--depth === 0) return j; }
    else if (c === 10 && blankLineAt(text, j, n)) return -1;
  }
  return -1;
}

// =============================================================================================
// LaTeX
// =============================================================================================

/** Commands with "cite" in their name that take no keys. */
const CITE_DENY = new Set(['citestyle', 'citesetup', 'citeindextrue', 'citeindexfalse', 'citetrackertrue', 'citetrackerfalse', 'citereset', 'citeresetchapter', 'citeresetsection', 'citedash', 'citepunct', 'citeform']);

function isCiteCommandName(name: string): boolean {
  return (name.includes('cite') || name.includes('Cite')) && !CITE_DENY.has(name);
}

const MATH_ENVS = new Set(['equation', 'align', 'gather', 'multline', 'eqnarray', 'math', 'displaymath', 'flalign', 'alignat', 'dmath', 'dgroup', 'darray', 'xalignat', 'xxalignat', 'subequations'].flatMap((e) => [e, e + '*']));
const VERBATIM_ENVS = new Set(['verbatim', 'verbatim*', 'Verbatim', 'Verbatim*', 'BVerbatim', 'LVerbatim', 'lstlisting', 'minted', 'comment', 'filecontents', 'filecontents*', 'alltt', 'code']);
/** Commands whose next `n` brace arguments are not prose (labels, references, URLs, files …). */
const NONPROSE_ARGS = new Map<string, number>([
  ...['label', 'ref', 'eqref', 'autoref', 'cref', 'Cref', 'crefrange', 'Crefrange', 'pageref', 'nameref', 'vref', 'Vref', 'url', 'nolinkurl',
    'input', 'include', 'includeonly', 'includegraphics', 'bibliography', 'bibliographystyle', 'addbibresource', 'usepackage',
    'RequirePackage', 'documentclass', 'graphicspath', 'lstinputlisting', 'inputminted', 'hypertarget', 'hyperlink', 'href',
    'textcolor', 'color', 'colorbox', 'pagecolor', 'hypersetup', 'setlength', 'setcounter', 'addtocounter', 'hspace', 'vspace',
    'pagestyle', 'thispagestyle', 'bibitem', 'newcounter', 'tag', 'DeclareMathOperator', 'newcommand', 'renewcommand',
    'providecommand', 'newenvironment', 'renewenvironment', 'addcontentsline', 'fontsize', 'selectfont', 'linespread', 'citestyle'].map((c) => [c, 1] as [string, number]),
  ['definecolor', 3],
  ['fcolorbox', 2],
  ['hyperref', 0],
]);
/** One-letter accent commands (`\c{c}`, `\v s`): invisible inside a word. */
const LETTER_ACCENTS = new Set(['c', 'v', 'u', 'H', 'k', 'r', 'd', 'b', 't']);
/** Letter commands that stand for letters (`\o` → o, `\ss` → ss): the backslash is invisible. */
const LETTER_SYMBOLS = new Set(['o', 'O', 'l', 'L', 'i', 'j', 'ss', 'SS', 'ae', 'AE', 'oe', 'OE', 'aa', 'AA']);

/**
 * Reads a LaTeX cite command at `i` (the backslash); `j` is the end of its name. Undefined when no
 * key group follows. Tolerant: an unterminated group ends where a key list cannot go on.
 */
function parseLatexCitation(text: string, i: number, name: string, j: number, n: number, brackets: BracketIndex): ParsedCitation | undefined {
  let k = j;
  let command = name;
  if (text.charCodeAt(k) === 42) { command += '*'; k++; }
  const multi = name.endsWith('cites');
  k = skipInlineSpace(text, k, n);
  for (;;) {
    const ch = text.charCodeAt(k);
    if (ch === 91 || (multi && ch === 40)) {
      const close = ch === 91 ? brackets.close(k) : findClosing(text, k, n, 40, 41, 300);
      if (close < 0 || close >= n) return undefined;
      k = skipInlineSpace(text, close + 1, n);
    } else break;
  }
  if (k >= n || text.charCodeAt(k) !== 123) return undefined;
  const cit: ParsedCitation = { start: i, end: k, command, kind: 'latex', terminated: true, keys: [], groups: [] };
  for (;;) {
    const g = parseLatexKeyGroup(text, k, n, cit.groups.length, cit.keys);
    cit.groups.push({ contentStart: k + 1, contentEnd: g.contentEnd, closed: g.closed });
    cit.end = g.end;
    if (!g.closed) { cit.terminated = false; break; }
    if (!multi) break;
    let m = g.end;
    while (m < n && (text.charCodeAt(m) === 32 || text.charCodeAt(m) === 9)) m++;
    while (m < n && text.charCodeAt(m) === 91) {
      const close = brackets.close(m);
      if (close < 0 || close >= n) break;
      m = close + 1;
      while (m < n && (text.charCodeAt(m) === 32 || text.charCodeAt(m) === 9)) m++;
    }
    if (m < n && text.charCodeAt(m) === 123) k = m;
    else break;
  }
  return cit;
}

/** Reads `{a, b,c}` at `open`, pushing keys; tolerant of a missing `}` and of `%` comments. */
function parseLatexKeyGroup(text: string, open: number, n: number, group: number, keys: ParsedKey[]): { contentEnd: number; end: number; closed: boolean } {
  let k = open + 1;
  let lastEnd = k;
  let expectKey = true;
  for (;;) {
    // whitespace (a blank line ends an unterminated group)
    let blank = false;
    while (k < n) {
      const c = text.charCodeAt(k);
      if (c === 10) { if (blankLineAt(text, k, n)) { blank = true; break; } k++; continue; }
      if (c === 32 || c === 9 || c === 13) { k++; continue; }
      break;
    }
    if (blank || k >= n) break;
    const c = text.charCodeAt(k);
    if (c === 37) { // % comment inside the group
      const e = text.indexOf('\n', k);
      k = e < 0 ? n : e;
      continue;
    }
    if (c === 125) return { contentEnd: k, end: k + 1, closed: true };
    if (c === 44) { k++; lastEnd = k; expectKey = true; continue; }
    if (isLatexKeyChar(c)) {
      if (!expectKey) break; // "a b": not a key list any more
      const s = k;
      while (k < n && isLatexKeyChar(text.charCodeAt(k))) k++;
      const key = text.slice(s, k);
      if (key !== '*') keys.push({ key, start: s, end: k, marker: -1, group, item: -1 });
      lastEnd = k;
      expectKey = false;
      continue;
    }
    break; // `{`, `\` …: the group was not closed
  }
  let end = lastEnd;
  while (end < n && (text.charCodeAt(end) === 32 || text.charCodeAt(end) === 9)) end++;
  return { contentEnd: end, end, closed: false };
}

/** Reads `{name}` right after `\begin`/`\end`; the name holds letters and `*` only. */
function readEnvName(text: string, j: number, n: number): { name: string; end: number } | undefined {
  if (text.charCodeAt(j) !== 123) return undefined;
  let k = j + 1;
  while (k < n && k - j < 40) {
    const c = text.charCodeAt(k);
    if (c === 125) return k > j + 1 ? { name: text.slice(j + 1, k), end: k + 1 } : undefined;
    if (!isAsciiLetter(c) && c !== 42) return undefined;
    k++;
  }
  return undefined;
}

/** Lexer state shared by the LaTeX main loop and its command reader. */
interface LatexState {
  text: string;
  mask: Uint8Array;
  cites: ParsedCitation[];
  n: number;
  maths: number[];
  brackets: BracketIndex;
  /** '' outside math, else what closes it: '$', '$$', ')', ']' or 'env:NAME'. */
  mathMode: string;
  mathStart: number;
}

function closeMath(st: LatexState, end: number): void {
  st.maths.push(st.mathStart, end);
  st.mathMode = '';
}

/** Reads the command at `i` (a backslash); returns where lexing goes on. */
function latexCommand(st: LatexState, i: number): number {
  const { text, mask, n } = st;
  if (i + 1 >= n) { mask[i] = CLASS_COMMAND; return n; }
  const c1 = text.charCodeAt(i + 1);
  if (!isAsciiLetter(c1)) {
    switch (c1) {
      case 40: if (!st.mathMode) { st.mathMode = ')'; st.mathStart = i; } break; // \(
      case 41: if (st.mathMode === ')') closeMath(st, i + 2); break;
      case 91: if (!st.mathMode) { st.mathMode = ']'; st.mathStart = i; } break; // \[
      case 93: if (st.mathMode === ']') closeMath(st, i + 2); break;
      case 39: case 96: case 94: case 34: case 126: case 61: case 46: case 45: case 47:
        // accents \' \` \^ \" \~ \= \. and \- \/ are invisible inside words
        mask[i] = CLASS_TRANSPARENT;
        mask[i + 1] = CLASS_TRANSPARENT;
        return i + 2;
      case 10:
        mask[i] = CLASS_COMMAND;
        return i + 1;
    }
    mask[i] = CLASS_COMMAND;
    mask[i + 1] = CLASS_COMMAND;
    return i + 2;
  }
  let j = i + 1;
  while (j < n && isAsciiLetter(text.charCodeAt(j))) j++;
  const name = text.slice(i + 1, j);
  if (isCiteCommandName(name)) {
    const cit = parseLatexCitation(text, i, name, j, n, st.brackets);
    if (cit) {
      st.cites.push(cit);
      mask.fill(CLASS_IGNORED, i, cit.end);
      return Math.max(cit.end, i + 1);
    }
  }
  if (name === 'begin' || name === 'end') {
    const env = readEnvName(text, j, n);
    if (env) {
      mask.fill(CLASS_IGNORED, i, env.end);
      if (name === 'begin') {
        if (VERBATIM_ENVS.has(env.name)) {
          const tag = '\\end{' + env.name + '}';
          let k = text.indexOf(tag, env.end);
          k = k < 0 || k >= n ? n : k + tag.length;
          mask.fill(CLASS_IGNORED, env.end, k);
          return k;
        }
        if (MATH_ENVS.has(env.name) && !st.mathMode) { st.mathMode = 'env:' + env.name; st.mathStart = i; }
      } else if (st.mathMode === 'env:' + env.name) {
        closeMath(st, env.end);
      }
      return env.end;
    }
  }
  if (name === 'verb' || name === 'lstinline' || name === 'mintinline') {
    let k = j;
    if (text.charCodeAt(k) === 42) k++;
    if (name === 'mintinline' && text.charCodeAt(k) === 123) {
      const close = findClosing(text, k, n, 123, 125, 200);
      if (close > 0) k = close + 1;
    }
    const d = text.charCodeAt(k);
    if (k < n && !isAsciiLetter(d) && !isSpace(d)) {
      // up to the closing delimiter, or the end of the line when it is missing
      const closer = d === 123 ? 125 : d;
      let e = k + 1;
      while (e < n && text.charCodeAt(e) !== closer && text.charCodeAt(e) !== 10) e++;
      const end = e < n && text.charCodeAt(e) === closer ? e + 1 : e;
      mask.fill(CLASS_IGNORED, i, end);
      return end;
    }
  }
  const args = NONPROSE_ARGS.get(name);
  if (args !== undefined) {
    let k = j;
    if (text.charCodeAt(k) === 42) k++;
    mask.fill(CLASS_COMMAND, i, k);
    let done = 0;
    for (;;) {
      const m = skipInlineSpace(text, k, n);
      const ch = text.charCodeAt(m);
      if (ch === 91) {
        const close = st.brackets.close(m);
        if (close < 0) break;
        mask.fill(CLASS_IGNORED, m, close + 1);
        k = close + 1;
      } else if (ch === 123 && done < args) {
        let close = st.brackets.close(m);
        if (close < 0) { close = m; while (close + 1 < n && text.charCodeAt(close + 1) !== 10) close++; } // unclosed: to the end of the line
        mask.fill(CLASS_IGNORED, m, close + 1);
        k = close + 1;
        done++;
      } else break;
    }
    return Math.max(k, j);
  }
  if (name.length === 1 && LETTER_ACCENTS.has(name)) {
    mask.fill(CLASS_TRANSPARENT, i, j);
    return j;
  }
  if (LETTER_SYMBOLS.has(name)) {
    mask[i] = CLASS_TRANSPARENT; // the letters stay prose: \o → "o", \ss → "ss"
    return j;
  }
  if (text.charCodeAt(j) === 42) j++;
  mask.fill(CLASS_COMMAND, i, j);
  return j;
}

/**
 * The LaTeX lexer: comments, math (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`, math environments),
 * verbatim, cite commands, commands with non-prose arguments, and command names.
 */
function lexLatex(text: string, mask: Uint8Array, cites: ParsedCitation[], from: number, n: number): void {
  const st: LatexState = { text, mask, cites, n, maths: [], brackets: new BracketIndex(text, n, true), mathMode: '', mathStart: -1 };
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c > 37 && c !== 92 && c !== 123 && c !== 125) { i++; continue; }
    switch (c) {
      case 37: { // %
        let j = text.indexOf('\n', i);
        if (j < 0 || j > n) j = n;
        mask.fill(CLASS_COMMENT, i, j);
        i = j;
        continue;
      }
      case 92: // backslash
        i = latexCommand(st, i);
        continue;
      case 36: // $
        if (!st.mathMode) {
          st.mathStart = i;
          if (text.charCodeAt(i + 1) === 36) { st.mathMode = '$$'; i += 2; } else { st.mathMode = '$'; i++; }
          continue;
        }
        if (st.mathMode === '$$') {
          if (text.charCodeAt(i + 1) === 36) { closeMath(st, i + 2); i += 2; continue; }
        } else if (st.mathMode === '$') {
          closeMath(st, i + 1);
        }
        i++;
        continue;
      case 123: case 125:
        mask[i] = CLASS_TRANSPARENT;
        i++;
        continue;
      case 10:
        if ((st.mathMode === '$' || st.mathMode === ')') && blankLineAt(text, i, n)) closeMath(st, i);
        i++;
        continue;
      default:
        i++;
    }
  }
  if (st.mathMode) closeMath(st, n);
  const maths = st.maths;
  for (let k = 0; k < maths.length; k += 2) {
    for (let p = maths[k], e = maths[k + 1]; p < e; p++) if (mask[p] === CLASS_PROSE) mask[p] = CLASS_MATH;
  }
}

// =============================================================================================
// Markdown (and plain text)
// =============================================================================================

/**
 * The Markdown lexer, line by line for blocks (front matter, fenced and indented code, HTML
 * comments), then paragraph by paragraph for inline code, links, URLs, math and citations.
 * `plain` runs only the URL, LaTeX-cite and bracketed-citation steps.
 */
function lexMarkdown(text: string, mask: Uint8Array, cites: ParsedCitation[], n: number, plain: boolean): void {
  const blocks: number[] = [];
  if (plain) splitParagraphs(text, n, blocks);
  else {
    markdownBlocks(text, mask, n, blocks);
    markHtmlComments(text, mask, n);
  }
  const scan = { next: -1 };
  for (let b = 0; b < blocks.length; b += 2) {
    const bs = blocks[b];
    const be = blocks[b + 1];
    if (!plain) markdownCodeSpans(text, mask, bs, be);
    markdownLinksAndUrls(text, mask, bs, be, plain);
    if (!plain) markdownMath(text, mask, bs, be);
    markdownCitations(text, mask, cites, bs, be, plain, scan);
  }
}

/** Paragraph ranges of plain text: runs of non-blank lines. */
function splitParagraphs(text: string, n: number, blocks: number[]): void {
  let pos = 0;
  let start = -1;
  let lastEnd = 0;
  while (pos <= n) {
    let le = text.indexOf('\n', pos);
    if (le < 0 || le > n) le = n;
    let blank = true;
    for (let k = pos; k < le; k++) { const c = text.charCodeAt(k); if (c !== 32 && c !== 9 && c !== 13) { blank = false; break; } }
    if (blank) { if (start >= 0) { blocks.push(start, lastEnd); start = -1; } }
    else { if (start < 0) start = pos; lastEnd = le; }
    pos = le + 1;
  }
  if (start >= 0) blocks.push(start, lastEnd);
}

/** Marks front matter and code blocks; collects paragraph ranges (headings are their own). */
function markdownBlocks(text: string, mask: Uint8Array, n: number, blocks: number[]): void {
  let pos = 0;
  // YAML front matter: '---' on the first line, closed by '---' or '...'
  if (text.startsWith('---')) {
    const first = text.indexOf('\n');
    if (first > 0 && /^---\s*$/.test(text.slice(0, first))) {
      const m = /^(?:---|\.\.\.)[ \t\r]*$/m.exec(text.slice(first + 1));
      if (m) {
        let end = first + 1 + m.index + m[0].length;
        mask.fill(CLASS_IGNORED, 0, end);
        if (end < n) end++;
        pos = end;
      }
    }
  }
  let fenceChar = 0;
  let fenceLen = 0;
  let fenceStart = 0;
  let blockStart = -1;
  let blockEnd = 0;
  let prevBlank = true;
  let prevCode = false;
  let inList = false;
  const closeBlock = (): void => {
    if (blockStart >= 0) { blocks.push(blockStart, blockEnd); blockStart = -1; }
  };
  while (pos <= n) {
    let le = text.indexOf('\n', pos);
    if (le < 0 || le > n) le = n;
    // indentation
    let k = pos;
    let indent = 0;
    while (k < le) {
      const c = text.charCodeAt(k);
      if (c === 32) indent++;
      else if (c === 9) indent += 4 - (indent % 4);
      else break;
      k++;
    }
    let blank = true;
    for (let q = k; q < le; q++) if (text.charCodeAt(q) !== 13 && text.charCodeAt(q) !== 32 && text.charCodeAt(q) !== 9) { blank = false; break; }
    const c0 = k < le ? text.charCodeAt(k) : -1;
    if (fenceChar) {
      if (indent <= 3 && c0 === fenceChar) {
        let r = k;
        while (r < le && text.charCodeAt(r) === fenceChar) r++;
        let rest = r;
        while (rest < le && (text.charCodeAt(rest) === 32 || text.charCodeAt(rest) === 9 || text.charCodeAt(rest) === 13)) rest++;
        if (r - k >= fenceLen && rest === le) {
          mask.fill(CLASS_IGNORED, fenceStart, le);
          fenceChar = 0;
        }
      }
      pos = le + 1;
      continue;
    }
    if (!blank && indent <= 3 && (c0 === 96 || c0 === 126)) {
      let r = k;
      while (r < le && text.charCodeAt(r) === c0) r++;
      if (r - k >= 3 && !(c0 === 96 && text.slice(r, le).includes('`'))) {
        closeBlock();
        fenceChar = c0;
        fenceLen = r - k;
        fenceStart = pos;
        prevBlank = false;
        prevCode = false;
        pos = le + 1;
        continue;
      }
    }
    if (!blank && indent >= 4 && (prevBlank || prevCode) && !inList && blockStart < 0) {
      mask.fill(CLASS_IGNORED, pos, le);
      prevCode = true;
      prevBlank = false;
      pos = le + 1;
      continue;
    }
    prevCode = false;
    if (blank) {
      closeBlock();
      prevBlank = true;
      pos = le + 1;
      continue;
    }
    const listItem = indent <= 3 && /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/.test(text.slice(k, Math.min(le, k + 12)));
    if (listItem) inList = true;
    else if (prevBlank && indent === 0) inList = false;
    const heading = indent <= 3 && c0 === 35 && /^#{1,6}(?:[ \t]|$)/.test(text.slice(k, Math.min(le, k + 8)));
    if (heading || listItem) closeBlock();
    if (blockStart < 0) blockStart = pos;
    blockEnd = le;
    if (heading) closeBlock();
    prevBlank = false;
    pos = le + 1;
  }
  if (fenceChar) mask.fill(CLASS_IGNORED, fenceStart, n);
  closeBlock();
}

function markHtmlComments(text: string, mask: Uint8Array, n: number): void {
  let p = 0;
  for (;;) {
    const s = text.indexOf('<!--', p);
    if (s < 0 || s >= n) return;
    if (mask[s] !== CLASS_PROSE) { p = s + 4; continue; }
    let e = text.indexOf('-->', s + 4);
    e = e < 0 ? n : e + 3;
    for (let q = s; q < e; q++) if (mask[q] === CLASS_PROSE) mask[q] = CLASS_IGNORED;
    p = e;
  }
}

/** Backslash escapes and code spans (a run of N backticks closed by the next run of exactly N). */
function markdownCodeSpans(text: string, mask: Uint8Array, bs: number, be: number): void {
  const runStart: number[] = [];
  const runLen: number[] = [];
  for (let i = bs; i < be; i++) {
    if (mask[i] !== CLASS_PROSE) continue;
    const c = text.charCodeAt(i);
    if (c === 92) {
      const d = text.charCodeAt(i + 1);
      if (i + 1 < be && d > 32 && d < 127 && !isAsciiAlnum(d)) {
        mask[i] = CLASS_COMMAND;
        mask[i + 1] = CLASS_COMMAND;
        i++;
      }
      continue;
    }
    if (c === 96) {
      let j = i;
      while (j < be && text.charCodeAt(j) === 96) j++;
      runStart.push(i);
      runLen.push(j - i);
      i = j - 1;
    }
  }
  if (runStart.length < 2) return;
  // next run of the same length, in O(runs)
  const nextSame = new Int32Array(runStart.length).fill(-1);
  const lastOfLen = new Map<number, number>();
  for (let r = runStart.length - 1; r >= 0; r--) {
    nextSame[r] = lastOfLen.get(runLen[r]) ?? -1;
    lastOfLen.set(runLen[r], r);
  }
  let spanEnd = -1;
  for (let r = 0; r < runStart.length; r++) {
    if (runStart[r] < spanEnd) continue;
    const q = nextSame[r];
    if (q < 0) continue;
    spanEnd = runStart[q] + runLen[q];
    mask.fill(CLASS_IGNORED, runStart[r], spanEnd);
  }
}

function isUrlStart(text: string, i: number): number {
  // returns the length of the scheme prefix when a URL starts at i, else 0
  const c = text.charCodeAt(i) | 32;
  if (c === 104) { // h
    if (text.startsWith('https://', i) || text.startsWith('HTTPS://', i)) return 8;
    if (text.startsWith('http://', i) || text.startsWith('HTTP://', i)) return 7;
  } else if (c === 119) {
    if (text.startsWith('www.', i)) return 4;
  } else if (c === 102) {
    if (text.startsWith('ftp://', i)) return 6;
  } else if (c === 100) {
    if (text.startsWith('doi:10.', i)) return 4;
  }
  return 0;
}

/** Ends a raw URL: stops at whitespace, quotes, angle brackets; drops trailing punctuation. */
function urlEnd(text: string, i: number, be: number): number {
  let j = i;
  let parens = 0;
  while (j < be) {
    const c = text.charCodeAt(j);
    if (isSpace(c) || c === 60 || c === 62 || c === 34 || c === 96) break;
    if (c === 40) parens++;
    else if (c === 41) { if (parens === 0) break; parens--; }
    else if (c === 93 || c === 125) break;
    j++;
  }
  while (j > i) {
    const c = text.charCodeAt(j - 1);
    if (c === 46 || c === 44 || c === 59 || c === 58 || c === 33 || c === 63 || c === 39) j--;
    else break;
  }
  return j;
}

/** ASCII characters that may start something {@link markdownLinksAndUrls} handles. */
const LINK_SPECIAL = new Uint8Array(128);
for (const ch of '<]@[hHwWfFdD') LINK_SPECIAL[ch.charCodeAt(0)] = 1;
/** ASCII characters that may start something the Typst lexer handles. */
const TYPST_SPECIAL = new Uint8Array(128);
for (const ch of '/`\\$<#@hHwWfFdD') TYPST_SPECIAL[ch.charCodeAt(0)] = 1;

/** Matching parentheses of a paragraph (prose only, escapes skipped), in one pass: `(` offset → `)` offset. */
function matchParens(text: string, mask: Uint8Array, bs: number, be: number): Map<number, number> {
  const out = new Map<number, number>();
  const stack: number[] = [];
  for (let i = bs; i < be; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) { i++; continue; }
    if (mask[i] !== CLASS_PROSE) continue;
    if (c === 40) stack.push(i);
    else if (c === 41 && stack.length) out.set(stack.pop() as number, i);
  }
  return out;
}

/** Raw URLs, autolinks and HTML tags, link destinations `](…)`, reference definitions. */
function markdownLinksAndUrls(text: string, mask: Uint8Array, bs: number, be: number, plain: boolean): void {
  let lineStart = true;
  let parens: Map<number, number> | undefined;
  for (let i = bs; i < be; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) { lineStart = true; continue; }
    if (!lineStart && c < 128 && LINK_SPECIAL[c] === 0) continue; // the common case: nothing to look at
    if (mask[i] !== CLASS_PROSE) { if (!isSpace(c)) lineStart = false; continue; }
    if (lineStart && !isSpace(c)) {
      lineStart = false;
      // reference definition: [label]: destination
      if (c === 91 && !plain) {
        const m = /^\[[^[\]\n]{1,200}\]:[ \t]*\S/.exec(text.slice(i, Math.min(be, i + 260)));
        if (m) {
          let eol = text.indexOf('\n', i);
          if (eol < 0 || eol > be) eol = be;
          mask.fill(CLASS_IGNORED, i, eol);
          i = eol - 1;
          continue;
        }
      }
    }
    const u = i === 0 || !isWordCode(text.charCodeAt(i - 1)) ? isUrlStart(text, i) : 0;
    if (u) {
      const e = urlEnd(text, i + u, be);
      if (e > i + u) {
        mask.fill(CLASS_IGNORED, i, e);
        i = e - 1;
        continue;
      }
    }
    if (c === 64 && text.charCodeAt(i + 1) === 123) { i = braceKeyEnd(text, i, be) - 1; continue; } // @{key}
    if (plain) continue;
    if (c === 60) { // < autolink, HTML tag
      const d = text.charCodeAt(i + 1);
      if (isAsciiLetter(d) || d === 47 || d === 33 || d === 63) {
        let e = i + 1;
        const stop = Math.min(be, i + 1000);
        while (e < stop && text.charCodeAt(e) !== 62 && text.charCodeAt(e) !== 60) e++;
        if (e < stop && text.charCodeAt(e) === 62) {
          mask.fill(CLASS_IGNORED, i, e + 1);
          i = e;
        }
      }
      continue;
    }
    if (c === 93 && text.charCodeAt(i + 1) === 40) { // ](destination)
      parens ??= matchParens(text, mask, bs, be);
      const close = parens.get(i + 1) ?? -1;
      if (close > 0) {
        mask.fill(CLASS_IGNORED, i + 1, close + 1);
        i = close;
      }
    }
  }
}

/** Pandoc `$…$` (no space inside the delimiters, closing `$` not before a digit) and `$$…$$`. */
function markdownMath(text: string, mask: Uint8Array, bs: number, be: number): void {
  for (let i = text.indexOf('$', bs); i >= 0 && i < be; i = text.indexOf('$', i + 1)) {
    if (mask[i] !== CLASS_PROSE) continue;
    if (text.charCodeAt(i + 1) === 36) {
      const close = text.indexOf('$$', i + 2);
      if (close < 0 || close + 2 > be) { i++; continue; }
      for (let p = i; p < close + 2; p++) if (mask[p] === CLASS_PROSE) mask[p] = CLASS_MATH;
      i = close + 1;
      continue;
    }
    const d = text.charCodeAt(i + 1);
    if (i + 1 >= be || isSpace(d)) continue;
    if (insideBareKey(text, mask, i, bs, be)) continue; // "@key$x" is a key, read first as Pandoc does
    const stop = Math.min(be, i + 2000);
    let close = -1;
    for (let j = i + 1; j < stop; j++) {
      const c = text.charCodeAt(j);
      if (c === 92) { j++; continue; }
      if (c === 36 && mask[j] === CLASS_PROSE) {
        if (!isSpace(text.charCodeAt(j - 1)) && !(text.charCodeAt(j + 1) >= 48 && text.charCodeAt(j + 1) <= 57)) close = j;
        break;
      }
    }
    if (close < 0) continue;
    for (let p = i; p <= close; p++) if (mask[p] === CLASS_PROSE) mask[p] = CLASS_MATH;
    i = close;
  }
}

/** Whether the `$` at `i` belongs to a bare `@key` that starts before it. */
function insideBareKey(text: string, mask: Uint8Array, i: number, bs: number, be: number): boolean {
  let k = i - 1;
  const floor = Math.max(bs, i - 200);
  while (k >= floor) {
    const c = text.charCodeAt(k);
    if (isPandocRegChar(c) || isPandocInternal(c)) k--;
    else break;
  }
  if (k < floor || text.charCodeAt(k) !== 64 || mask[k] !== CLASS_PROSE || !citeBoundaryBefore(text, k, bs)) return false;
  return readPandocKey(text, k + 1, be) > i;
}

/** Characters after which a bare `@` starts a citation (not an e-mail address or a handle in a URL). */
function citeBoundaryBefore(text: string, at: number, floor: number): boolean {
  if (at <= floor) return true;
  const c = text.charCodeAt(at - 1);
  if (isSpace(c)) return true;
  switch (c) {
    case 91: case 40: case 123: case 59: case 44: case 34: case 39: case 62: case 124:
    case 0x201c: case 0x2018: case 0xab: case 0x2014: case 0x2013:
      return true;
    case 42: case 95: case 126: { // emphasis opening a word: "*@key*", "__@key__", but not "a_@b" or "]_@b"
      let k = at - 1;
      while (k > floor && (text.charCodeAt(k - 1) === 42 || text.charCodeAt(k - 1) === 95 || text.charCodeAt(k - 1) === 126)) k--;
      if (k <= floor) return true;
      const p = text.charCodeAt(k - 1);
      return isSpace(p) || p === 91 || p === 40 || p === 34 || p === 39;
    }
    case 45: // '-@key' suppresses the author: the '-' itself must follow a boundary
      return at - 1 <= floor || isSpace(text.charCodeAt(at - 2)) || text.charCodeAt(at - 2) === 91 || text.charCodeAt(at - 2) === 59 || text.charCodeAt(at - 2) === 40;
  }
  return false;
}

/** The end of `@{…}` at `at` (after the `}`), or `at + 1` when it is not closed on its line. */
function braceKeyEnd(text: string, at: number, be: number): number {
  const stop = Math.min(be, at + 300);
  for (let j = at + 2; j < stop; j++) {
    const c = text.charCodeAt(j);
    if (c === 125) return j + 1;
    if (c === 10 || c === 123) break;
  }
  return at + 1;
}

/** Reads a Pandoc key after the `@` at `at`: `@key` or `@{key}`. */
function readMarkdownKeyAt(text: string, at: number, be: number): { start: number; end: number; key: string; stop: number } {
  if (text.charCodeAt(at + 1) === 123) {
    const stop = Math.min(be, at + 300);
    for (let j = at + 2; j < stop; j++) {
      const c = text.charCodeAt(j);
      if (c === 125) return { start: at + 2, end: j, key: text.slice(at + 2, j).trim() ? text.slice(at + 2, j) : '', stop: j + 1 };
      if (c === 10 || c === 123) break;
    }
    return { start: at + 1, end: at + 1, key: '', stop: at + 1 };
  }
  const e = readPandocKey(text, at + 1, be);
  return { start: at + 1, end: e, key: text.slice(at + 1, e), stop: e };
}

/** Finds the next `[`, `]` or `@{` (scanning in native code is much faster than a loop). */
const BRACKET_SCAN = /[[\]]|@\{/g;

/** LaTeX cite commands (raw TeX), bracketed Pandoc citations, then bare `@key`. */
function markdownCitations(text: string, mask: Uint8Array, cites: ParsedCitation[], bs: number, be: number, plain: boolean, scan: { next: number }): void {
  // raw LaTeX cite commands
  let brackets: BracketIndex | undefined;
  for (let i = text.indexOf('\\', bs); i >= 0 && i < be; i = text.indexOf('\\', i + 1)) {
    if (mask[i] !== CLASS_PROSE && mask[i] !== CLASS_COMMAND) continue;
    if (mask[i] === CLASS_COMMAND && i > bs && mask[i - 1] === CLASS_COMMAND && text.charCodeAt(i - 1) === 92) continue;
    let j = i + 1;
    while (j < be && isAsciiLetter(text.charCodeAt(j))) j++;
    if (j === i + 1) continue;
    const name = text.slice(i + 1, j);
    if (!isCiteCommandName(name)) continue;
    brackets ??= new BracketIndex(text, text.length, false);
    const cit = parseLatexCitation(text, i, name, j, be, brackets);
    if (!cit) continue;
    cites.push(cit);
    mask.fill(CLASS_IGNORED, i, cit.end);
    i = cit.end - 1;
  }
  // brackets: match pairs with a stack, innermost pairs without nested brackets are candidates
  const stack: number[] = [];
  const nested: boolean[] = [];
  // the previous paragraph's scan may already have looked past this one
  BRACKET_SCAN.lastIndex = Math.max(bs, scan.next);
  while (scan.next < be) {
    const match = BRACKET_SCAN.exec(text);
    if (!match || match.index >= be) {
      scan.next = match ? match.index : text.length;
      break;
    }
    const i = match.index;
    const c = text.charCodeAt(i);
    if (c === 64) {
      if (mask[i] === CLASS_PROSE) BRACKET_SCAN.lastIndex = braceKeyEnd(text, i, be); // brackets inside @{…} are part of the key
      continue;
    }
    if (mask[i] !== CLASS_PROSE) continue;
    if (c === 91) {
      if (nested.length) nested[nested.length - 1] = true;
      stack.push(i);
      nested.push(false);
      continue;
    }
    if (!stack.length) continue;
    const open = stack.pop() as number;
    const hasNested = nested.pop() as boolean;
    if (hasNested) continue;
    const after = text.charCodeAt(i + 1);
    if (after === 40) continue; // [text](link)
    if (after === 58 && (open === bs || text.charCodeAt(open - 1) === 10)) continue; // [label]: definition
    const cit = bracketCitation(text, mask, open, i, true);
    if (cit) {
      cites.push(cit);
      mask.fill(CLASS_IGNORED, open, i + 1);
    }
  }
  // unclosed '[@…' while typing: a citation up to the end of its line
  for (let s = 0; s < stack.length; s++) {
    const open = stack[s];
    const c1 = text.charCodeAt(open + 1);
    if (!(c1 === 64 || (c1 === 45 && text.charCodeAt(open + 2) === 64))) continue;
    if (mask[open] !== CLASS_PROSE) continue;
    let stop = open + 1;
    while (stop < be && mask[stop] === CLASS_PROSE && text.charCodeAt(stop) !== 91 && text.charCodeAt(stop) !== 10) stop++;
    const cit = bracketCitation(text, mask, open, stop, false);
    if (cit) {
      cites.push(cit);
      mask.fill(CLASS_IGNORED, open, stop);
    }
  }
  if (plain) return;
  // bare @key
  for (let i = text.indexOf('@', bs); i >= 0 && i < be; i = text.indexOf('@', i + 1)) {
    if (mask[i] !== CLASS_PROSE || !citeBoundaryBefore(text, i, bs)) continue;
    const r = readMarkdownKeyAt(text, i, be);
    if (!r.key) continue;
    const start = i > bs && text.charCodeAt(i - 1) === 45 && mask[i - 1] === CLASS_PROSE ? i - 1 : i;
    cites.push({
      start, end: r.stop, kind: 'pandoc-bare', terminated: true,
      keys: [{ key: r.key, start: r.start, end: r.end, marker: i, group: 0, item: 0 }],
      groups: [{ contentStart: i, contentEnd: r.stop, closed: true }],
      items: [{ start: start, end: r.stop }],
    });
    mask.fill(CLASS_IGNORED, start, r.stop);
    i = r.stop - 1;
  }
}

/**
 * A bracketed Pandoc citation `[…]` from `open` to `close` (the `]`, or the end when unclosed):
 * `;`-separated items, each with at most one `@key` after a boundary. Undefined when no item
 * holds a key.
 */
function bracketCitation(text: string, mask: Uint8Array, open: number, close: number, closed: boolean): ParsedCitation | undefined {
  const keys: ParsedKey[] = [];
  const items: { start: number; end: number }[] = [];
  let any = false;
  let itemStart = open + 1;
  for (let p = open + 1; p <= close; p++) {
    if (p < close && text.charCodeAt(p) === 64 && text.charCodeAt(p + 1) === 123) { p = braceKeyEnd(text, p, close) - 1; continue; }
    if (p < close && !(text.charCodeAt(p) === 59 && mask[p] === CLASS_PROSE)) continue;
    // item [itemStart, p)
    let s = itemStart;
    let e = p;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    const item = items.length;
    items.push({ start: s, end: e });
    for (let q = s; q < e; q++) {
      if (text.charCodeAt(q) !== 64 || mask[q] !== CLASS_PROSE) continue;
      if (!citeBoundaryBefore(text, q, s)) continue;
      const r = readMarkdownKeyAt(text, q, e);
      keys.push({ key: r.key, start: r.start, end: r.end, marker: q, group: 0, item });
      if (r.key) any = true;
      break;
    }
    itemStart = p + 1;
  }
  if (!any) return undefined;
  return {
    start: open, end: closed ? close + 1 : close, kind: 'pandoc', terminated: closed, keys,
    groups: [{ contentStart: open + 1, contentEnd: close, closed }], items,
  };
}

// =============================================================================================
// Typst
// =============================================================================================

/** The Typst lexer: comments, raw text, math, labels, `#function` names, `#cite(…)`, `@refs`. */
function lexTypst(text: string, mask: Uint8Array, cites: ParsedCitation[], n: number): void {
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128 && TYPST_SPECIAL[c] === 0) { i++; continue; }
    if (c === 47) { // '/'
      const d = text.charCodeAt(i + 1);
      if (d === 47 && (i === 0 || text.charCodeAt(i - 1) !== 58)) {
        let e = text.indexOf('\n', i);
        if (e < 0) e = n;
        mask.fill(CLASS_COMMENT, i, e);
        i = e;
        continue;
      }
      if (d === 42) {
        let depth = 0;
        let j = i;
        while (j < n) {
          if (text.charCodeAt(j) === 47 && text.charCodeAt(j + 1) === 42) { depth++; j += 2; continue; }
          if (text.charCodeAt(j) === 42 && text.charCodeAt(j + 1) === 47) { depth--; j += 2; if (depth === 0) break; continue; }
          j++;
        }
        mask.fill(CLASS_COMMENT, i, Math.min(j, n));
        i = Math.min(j, n);
        continue;
      }
      i++;
      continue;
    }
    if (c === 96) { // raw
      let j = i;
      while (j < n && text.charCodeAt(j) === 96) j++;
      const len = j - i;
      if (len === 2) { mask.fill(CLASS_IGNORED, i, j); i = j; continue; }
      const fence = '`'.repeat(len);
      let e = text.indexOf(fence, j);
      e = e < 0 ? n : e + len;
      mask.fill(CLASS_IGNORED, i, e);
      i = e;
      continue;
    }
    if (c === 92) { // escape
      const d = text.charCodeAt(i + 1);
      mask[i] = CLASS_COMMAND;
      if (i + 1 < n && !isSpace(d)) mask[i + 1] = CLASS_COMMAND;
      i += 2;
      continue;
    }
    if (c === 36) { // math
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92) { j += 2; continue; }
        if (d === 36) break;
        j++;
      }
      const e = Math.min(n, j + 1);
      mask.fill(CLASS_MATH, i, e);
      i = e;
      continue;
    }
    if (c === 60) { // <label>
      let j = i + 1;
      while (j < n && isTypstLabelChar(text.charCodeAt(j))) j++;
      if (j > i + 1 && text.charCodeAt(j) === 62) { mask.fill(CLASS_IGNORED, i, j + 1); i = j + 1; continue; }
      i++;
      continue;
    }
    if (c === 35 && isAsciiLetter(text.charCodeAt(i + 1))) { // #function
      let j = i + 1;
      while (j < n) { const d = text.charCodeAt(j); if (isAsciiAlnum(d) || d === 45 || d === 95 || d === 46) j++; else break; }
      const name = text.slice(i + 1, j);
      if (name === 'cite' && text.charCodeAt(j) === 40) {
        const cit = typstCite(text, i, j, n);
        cites.push(cit);
        mask.fill(CLASS_IGNORED, i, cit.end);
        i = Math.max(cit.end, i + 1);
        continue;
      }
      if (name === 'link' || name === 'image' || name === 'include' || name === 'import' || name === 'bibliography' || name === 'set' || name === 'show' || name === 'let') {
        // arguments are not prose: up to the end of the call or of the line
        let e = j;
        if (text.charCodeAt(j) === 40) { const close = findTypstClose(text, j, n); e = close > 0 ? close + 1 : j; }
        else { const eol = text.indexOf('\n', j); e = name === 'link' || name === 'image' ? j : eol < 0 ? n : eol; }
        mask.fill(CLASS_IGNORED, i, e);
        i = Math.max(e, j);
        continue;
      }
      mask.fill(CLASS_COMMAND, i, j);
      i = j;
      continue;
    }
    if (c === 64 && citeBoundaryBefore(text, i, 0) && text.charCodeAt(i - 1) !== 45) { // @ref
      const e = readTypstLabel(text, i + 1, n);
      if (e > i + 1 && isPandocRegChar(text.charCodeAt(i + 1))) {
        cites.push({
          start: i, end: e, kind: 'typst-ref', terminated: true,
          keys: [{ key: text.slice(i + 1, e), start: i + 1, end: e, marker: i, group: 0, item: 0 }],
          groups: [{ contentStart: i, contentEnd: e, closed: true }],
        });
        mask.fill(CLASS_IGNORED, i, e);
        i = e;
        continue;
      }
      i++;
      continue;
    }
    const u = i === 0 || !isWordCode(text.charCodeAt(i - 1)) ? isUrlStart(text, i) : 0;
    if (u) {
      const e = urlEnd(text, i + u, n);
      mask.fill(CLASS_IGNORED, i, e);
      i = Math.max(e, i + 1);
      continue;
    }
    i++;
  }
}

/** Reads `#cite(<a>)`, `#cite(label("a"))` or the old `#cite("a", "b")` at `i`; `j` is the `(`. */
/** The `)` closing the `(` at `j` in Typst code, skipping string literals; -1 when not on this line. */
function findTypstClose(text: string, j: number, n: number): number {
  let depth = 0;
  const stop = Math.min(n, j + 2000);
  for (let k = j; k < stop; k++) {
    const c = text.charCodeAt(k);
    if (c === 34) { // "string"
      k++;
      while (k < stop && text.charCodeAt(k) !== 34 && text.charCodeAt(k) !== 10) { if (text.charCodeAt(k) === 92) k++; k++; }
      continue;
    }
    if (c === 40) depth++;
    else if (c === 41) { if (--depth === 0) return k; }
    else if (c === 10) return -1;
  }
  return -1;
}

function typstCite(text: string, i: number, j: number, n: number): ParsedCitation {
  let close = findTypstClose(text, j, n);
  const closed = close > 0;
  if (!closed) {
    const eol = text.indexOf('\n', j);
    close = eol < 0 ? n : eol;
  }
  const keys: ParsedKey[] = [];
  const body = text.slice(j + 1, close);
  const re = /<([^<>\s]*)>?|label\(\s*"([^"\n]*)"?|"([^"\n]*)"?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    if (m[0].startsWith('label(')) {
      const s = j + 1 + m.index + m[0].indexOf('"') + 1;
      keys.push({ key: m[2], start: s, end: s + m[2].length, marker: -1, group: 0, item: keys.length });
    } else if (m[1] !== undefined) {
      const s = j + 1 + m.index + 1;
      keys.push({ key: m[1], start: s, end: s + m[1].length, marker: -1, group: 0, item: keys.length });
    } else if (m[3] !== undefined && !/:\s*$/.test(body.slice(0, m.index))) {
      const s = j + 1 + m.index + 1;
      keys.push({ key: m[3], start: s, end: s + m[3].length, marker: -1, group: 0, item: keys.length });
    }
  }
  return {
    start: i, end: closed ? close + 1 : close, command: 'cite', kind: 'typst-cite', terminated: closed, keys,
    groups: [{ contentStart: j + 1, contentEnd: close, closed }],
  };
}

// =============================================================================================
// Writing citations
// =============================================================================================

/** Options for {@link formatCitation} and {@link citationInsertEdit}. */
export interface CitationFormatOptions {
  /** LaTeX command for new citations, with or without backslash (`citep`, `\autocite`). Default `cite`. */
  latexCommand?: string;
  /**
   * A template for new citations, overriding the syntax's built-in form when given (and the only
   * form for `plain`). `${keys}` stands for the keys joined by `, `; written right after `@`
   * (`[@${keys}]`) it stands for Pandoc keys joined by `; @` (`[@a; @b]`). A template without
   * `${keys}` gets the keys appended.
   */
  template?: string;
}

/** The default template for `plain` documents: Pandoc style, `[@a; @b]`. */
export const DEFAULT_PLAIN_TEMPLATE = '[@${keys}]';

function pandocKey(key: string): string {
  return isPlainPandocKey(key) ? '@' + key : '@{' + key + '}';
}

function typstKey(key: string): string {
  return isPlainTypstLabel(key) ? '@' + key : '#cite(label(' + JSON.stringify(key) + '))';
}

function applyTemplate(template: string, keys: readonly string[]): string {
  if (!template.includes('${keys}')) return template + keys.join(', ');
  return template.replace(/(@?)\$\{keys\}/g, (_m, at: string) => (at ? keys.map(pandocKey).join('; ') : keys.join(', ')));
}

/**
 * A new citation of `keys` in the document's syntax: LaTeX `\cite{a,b}` (command from
 * `options.latexCommand`, e.g. `citep`), Markdown `[@a; @b]` (`@{…}` for keys Pandoc cannot write
 * bare), Typst `@a @b`, plain text the template (default `[@a; @b]`). `options.template`, when
 * given, overrides every syntax. Empty string for no keys.
 */
export function formatCitation(keys: readonly string[], syntax: DocumentSyntax, options: CitationFormatOptions = {}): string {
  const ks = uniqueKeys(keys);
  if (!ks.length) return '';
  if (options.template) return applyTemplate(options.template, ks);
  switch (syntax) {
    case 'latex': {
      const cmd = (options.latexCommand || 'cite').replace(/^\\+/, '').trim() || 'cite';
      return '\\' + cmd + '{' + ks.join(',') + '}';
    }
    case 'markdown':
      return '[' + ks.map(pandocKey).join('; ') + ']';
    case 'typst':
      return ks.map(typstKey).join(' ');
    default:
      return applyTemplate(DEFAULT_PLAIN_TEMPLATE, ks);
  }
}

function uniqueKeys(keys: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const k of keys ?? []) {
    if (typeof k !== 'string') continue;
    const t = k.trim();
    if (!t || seen.has(t)) continue;
    seen.add(t);
    out.push(t);
  }
  return out;
}

// =============================================================================================
// The cursor inside a citation
// =============================================================================================

/** Where the cursor is relative to a citation, for completion and for merging keys into it. */
export interface CiteContext {
  /** Keys of the citation before the one at the cursor (not including it). */
  keysBefore: string[];
  /** Every key of the citation, including a partial key at the cursor. */
  keysAll: string[];
  /** The part of the key at the cursor typed so far (text from the key's start to the cursor). */
  prefix: string;
  /** Range of the whole key at the cursor (empty at the cursor when there is none): what a completion replaces. */
  replaceStart: number;
  replaceEnd: number;
  /**
   * Whether the cursor is where a key goes (in a key, after `{`, `,`, `@`), i.e. completion makes
   * sense. False in the command name, an optional argument, a Pandoc prefix/suffix text.
   */
  inKey: boolean;
  /**
   * The citation: its range, `insertAt` = where new keys are merged, `separator` = what goes
   * between two keys (`,` or `, ` in LaTeX, `; ` in Pandoc, ` ` in Typst; Pandoc and Typst keys
   * carry their own `@`).
   */
  citation: { start: number; end: number; insertAt: number; separator: string };
}

interface MergePlan {
  ctx: CiteContext;
  kind: ParsedCitation['kind'];
  /** Text before the first new key. */
  leading: string;
  /** Text after the last new key. */
  trailing: string;
  /** The first new key fills an `@` already typed: write it without its `@`. */
  fillMarker: boolean;
}

/** The citations around `offset`, lexed from a window of the text that certainly holds them. */
function citationsNear(text: string, offset: number, syntax: DocumentSyntax): { lexed: LexedDocument; text: string } {
  const end = Math.min(text.length, offset + 4096);
  const t = end < text.length ? text.slice(0, end) : text;
  return { lexed: lexDocument(t, syntax), text: t };
}

/**
 * Whether `offset` is inside a citation, and what completing or merging keys there means:
 * LaTeX `\citep[p.~3]{a,|`, `\cite{a|}` (also after commas, unterminated while typing, in the
 * command name or an optional argument), Pandoc `[@a; @|]`, `[@a|]`, bare `@|`/`@ke|`, Typst
 * `@ke|` and `#cite(<|>)`. Undefined outside citations, in comments and code.
 */
export function citeContextAt(text: string, offset: number, syntax: DocumentSyntax): CiteContext | undefined {
  return mergePlanAt(text, offset, syntax)?.ctx;
}

function mergePlanAt(text: string, offset: number, syntax: DocumentSyntax): MergePlan | undefined {
  try {
    if (typeof text !== 'string' || !Number.isFinite(offset) || offset < 0 || offset > text.length) return undefined;
    const { lexed, text: t } = citationsNear(text, offset, syntax);
    let found: ParsedCitation | undefined;
    for (const c of lexed.citations) {
      if (c.start >= offset) break;
      const openEnded = !c.terminated || c.kind === 'pandoc-bare' || c.kind === 'typst-ref';
      if (offset < c.end || (offset === c.end && openEnded)) found = c;
    }
    if (found) return planFor(t, found, offset);
    if (syntax === 'markdown' || syntax === 'typst') return emptyMarkerPlan(t, lexed.mask, offset, syntax);
    return undefined;
  } catch {
    return undefined;
  }
}

function nonEmptyKeys(c: ParsedCitation): ParsedKey[] {
  return c.keys.filter((k) => k.key);
}

function planFor(text: string, c: ParsedCitation, offset: number): MergePlan {
  const keys = nonEmptyKeys(c);
  const keysAll = keys.map((k) => k.key);
  if (c.kind === 'latex') return latexPlan(text, c, offset, keysAll);
  let cur: ParsedKey | undefined;
  for (const k of c.keys) if (k.start <= offset && offset <= k.end) cur = k;
  const separator = c.kind === 'typst-ref' || c.kind === 'typst-cite' ? ' ' : '; ';
  const keysBefore = keys.filter((k) => k !== cur && k.end <= (cur ? cur.start : offset)).map((k) => k.key);
  const ctx: CiteContext = {
    keysBefore, keysAll, prefix: '', replaceStart: offset, replaceEnd: offset, inKey: false,
    citation: { start: c.start, end: c.end, insertAt: c.end, separator },
  };
  const plan: MergePlan = { ctx, kind: c.kind, leading: separator, trailing: '', fillMarker: false };
  if (cur) {
    ctx.inKey = true;
    ctx.prefix = text.slice(cur.start, offset);
    ctx.replaceStart = cur.start;
    ctx.replaceEnd = cur.end;
  }
  if (c.kind === 'typst-cite' || c.kind === 'typst-ref' || c.kind === 'pandoc-bare') {
    // after the citation (#cite takes one key: new keys follow as @refs)
    ctx.citation.insertAt = c.end;
    const after = c.end < text.length ? text.charCodeAt(c.end) : -1;
    if (after >= 0 && (c.kind === 'pandoc-bare' ? isPandocRegChar(after) || isPandocInternal(after) : isTypstLabelChar(after))) plan.trailing = ' ';
    return plan;
  }
  // bracketed Pandoc citation: after the item holding the cursor (or the last item before it)
  const items = c.items ?? [];
  let target = items.length - 1;
  if (cur) target = cur.item;
  else {
    for (let k = 0; k < items.length; k++) if (items[k].start <= offset) target = k;
    if (target < 0) target = 0;
  }
  const empty = c.keys.find((k) => k.item === target && !k.key && k.marker >= 0);
  if (empty) {
    ctx.citation.insertAt = empty.start;
    plan.leading = '';
    plan.fillMarker = true;
  } else {
    ctx.citation.insertAt = items.length ? items[Math.max(0, target)].end : c.start + 1;
    if (!items.length || items[Math.max(0, target)].end === items[Math.max(0, target)].start) plan.leading = '';
  }
  // keep the new key from running into what follows an unterminated citation ("[@a@b$x$")
  const next = ctx.citation.insertAt < text.length ? text.charCodeAt(ctx.citation.insertAt) : -1;
  if (next >= 0 && !isSpace(next) && next !== 59 && next !== 93) plan.trailing = ' ';
  return plan;
}

function latexPlan(text: string, c: ParsedCitation, offset: number, keysAll: string[]): MergePlan {
  let separator = ',';
  for (const g of c.groups) if (/,[ \t]/.test(text.slice(g.contentStart, g.contentEnd))) separator = ', ';
  const ctx: CiteContext = {
    keysBefore: [], keysAll, prefix: '', replaceStart: offset, replaceEnd: offset, inKey: false,
    citation: { start: c.start, end: c.end, insertAt: c.end, separator },
  };
  const plan: MergePlan = { ctx, kind: 'latex', leading: separator, trailing: '', fillMarker: false };
  const gi = c.groups.findIndex((g) => g.contentStart <= offset && offset <= g.contentEnd);
  const cur = gi >= 0 ? c.keys.find((k) => k.group === gi && k.start <= offset && offset <= k.end) : undefined;
  ctx.keysBefore = c.keys.filter((k) => k !== cur && k.end <= (cur ? cur.start : offset)).map((k) => k.key);
  if (cur) {
    ctx.inKey = true;
    ctx.prefix = text.slice(cur.start, offset);
    ctx.replaceStart = cur.start;
    ctx.replaceEnd = cur.end;
    ctx.citation.insertAt = cur.end;
    return plan;
  }
  if (gi >= 0) {
    const g = c.groups[gi];
    const inGroup = c.keys.filter((k) => k.group === gi);
    const prev = [...inGroup].reverse().find((k) => k.end <= offset);
    const next = inGroup.find((k) => k.start >= offset);
    const prevComma = prev ? /,/.test(stripLatexComments(text.slice(prev.end, offset))) : true;
    if (inLatexComment(text, Math.max(g.contentStart, text.lastIndexOf('\n', offset - 1) + 1), offset)) {
      // the cursor is in a % comment inside the key list: keys go after the previous key
      ctx.citation.insertAt = prev ? prev.end : g.contentStart;
      plan.leading = prev ? separator : '';
      plan.trailing = !prev && next ? separator : '';
      return plan;
    }
    if (prev && !prevComma) {
      // "{a |}": a key cannot be typed here; new keys go right after "a"
      ctx.citation.insertAt = prev.end;
      return plan;
    }
    ctx.inKey = true;
    ctx.citation.insertAt = offset;
    plan.leading = '';
    const nextComma = next ? /,/.test(stripLatexComments(text.slice(offset, next.start))) : true;
    plan.trailing = next && !nextComma ? (isSpace(text.charCodeAt(offset)) ? ',' : separator) : '';
    return plan;
  }
  // in the command name or an optional argument: append to the last group
  const lastGroup = c.groups.length - 1;
  const last = [...c.keys].reverse().find((k) => k.group === lastGroup);
  if (last) ctx.citation.insertAt = last.end;
  else {
    ctx.citation.insertAt = c.groups[lastGroup].contentStart;
    plan.leading = '';
  }
  return plan;
}

/** Whether [from, to) holds an unescaped `%` (so `to` is inside a comment on that line). */
function inLatexComment(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 37) return true;
  }
  return false;
}

function stripLatexComments(s: string): string {
  return s.replace(/%[^\n]*/g, '');
}

/** `@|` with nothing typed after the `@` yet (Markdown, Typst), possibly as `[@|]`. */
function emptyMarkerPlan(text: string, mask: Uint8Array, offset: number, syntax: DocumentSyntax): MergePlan | undefined {
  const at = offset - 1;
  if (at < 0 || text.charCodeAt(at) !== 64 || mask[at] !== CLASS_PROSE) return undefined;
  if (!citeBoundaryBefore(text, at, 0)) return undefined;
  if (syntax === 'typst' && text.charCodeAt(at - 1) === 45) return undefined;
  let start = at;
  let end = offset;
  if (syntax === 'markdown') {
    let b = at - 1;
    if (text.charCodeAt(b) === 45) b--;
    if (b >= 0 && text.charCodeAt(b) === 91 && mask[b] === CLASS_PROSE) {
      start = b;
      let q = offset;
      while (q < text.length && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9)) q++;
      if (text.charCodeAt(q) === 93) end = q + 1;
    } else if (b + 1 < at) start = b + 1;
  }
  const separator = syntax === 'typst' ? ' ' : '; ';
  const ctx: CiteContext = {
    keysBefore: [], keysAll: [], prefix: '', replaceStart: offset, replaceEnd: offset, inKey: true,
    citation: { start, end, insertAt: offset, separator },
  };
  // "@|$x$": the key written at the marker must not run into the text after it ("@a$x" is one key)
  const next = end === offset && offset < text.length ? text.charCodeAt(offset) : -1;
  const runsOn = next >= 0 && (syntax === 'typst' ? isTypstLabelChar(next) : isPandocRegChar(next) || isPandocInternal(next));
  return { ctx, kind: syntax === 'typst' ? 'typst-ref' : 'pandoc', leading: '', trailing: runsOn ? ' ' : '', fillMarker: true };
}

/** A replacement of `[start, end)` by `newText` in a document. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

function keyFor(kind: ParsedCitation['kind'], key: string): string {
  switch (kind) {
    case 'latex': return key;
    case 'typst-ref': case 'typst-cite': return typstKey(key);
    default: return pandocKey(key);
  }
}

/**
 * The edit that cites `keys` at `offset`. Inside a citation (see {@link citeContextAt}) the keys
 * are merged into it: keys already there are not repeated, the edit is an insertion at
 * `citation.insertAt` and never touches text outside the citation (`\citep[p.~3]{a|}` + b →
 * `\citep[p.~3]{a,b}`; `[@a|]` → `[@a; @b]`). Elsewhere a new citation (see
 * {@link formatCitation}) is inserted at `offset`, with a space added where Typst or a preceding
 * backslash would otherwise swallow it. An empty `newText` means nothing to add.
 */
export function citationInsertEdit(text: string, offset: number, keys: readonly string[], syntax: DocumentSyntax, options: CitationFormatOptions = {}): TextEdit {
  const safeText = typeof text === 'string' ? text : '';
  const at = Math.max(0, Math.min(safeText.length, Number.isFinite(offset) ? Math.floor(offset) : 0));
  const ks = uniqueKeys(keys);
  const plan = mergePlanAt(safeText, at, syntax);
  if (plan) {
    const have = new Set(plan.ctx.keysAll);
    const add = ks.filter((k) => !have.has(k));
    const insertAt = plan.ctx.citation.insertAt;
    if (!add.length) return { start: insertAt, end: insertAt, newText: '' };
    const sep = plan.ctx.citation.separator;
    const parts = add.map((k, idx) => (idx === 0 && plan.fillMarker ? keyFor(plan.kind, k).replace(/^@/, '') : keyFor(plan.kind, k)));
    if (plan.fillMarker && plan.kind === 'typst-ref' && !isPlainTypstLabel(add[0])) parts[0] = add[0]; // best effort
    return { start: insertAt, end: insertAt, newText: plan.leading + parts.join(sep) + plan.trailing };
  }
  let cit = formatCitation(ks, syntax, options);
  if (!cit) return { start: at, end: at, newText: '' };
  const before = at > 0 ? safeText.charCodeAt(at - 1) : -1;
  const after = at < safeText.length ? safeText.charCodeAt(at) : -1;
  if (before === 92) {
    let bs = 0;
    for (let k = at - 1; k >= 0 && safeText.charCodeAt(k) === 92; k--) bs++;
    if (bs % 2 === 1) cit = ' ' + cit;
  } else if (cit.startsWith('@') && before >= 0 && !isSpace(before) && before !== 40 && before !== 91 && before !== 123) {
    cit = ' ' + cit; // "@key" right after a word (or '#', ']' …) would not be read as a reference
  }
  // a following "@key" citation keeps its boundary; a following e-mail address stays one
  let q = at;
  while (q < safeText.length && (safeText.charCodeAt(q) === 42 || safeText.charCodeAt(q) === 95 || safeText.charCodeAt(q) === 126)) q++;
  const citationFollows = safeText.charCodeAt(q) === 64 && citeBoundaryBefore(safeText, q, 0);
  if (syntax === 'typst' && after >= 0 && (isTypstLabelChar(after) || citationFollows)) cit += ' ';
  if (syntax === 'markdown' && cit.endsWith(']') && (after === 40 || after === 91 || citationFollows)) cit += ' '; // not a link
  return { start: at, end: at, newText: cit };
}
