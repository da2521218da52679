/**
 * The LaTeX lexer: comments, math, verbatim, cite commands (also read in Markdown as raw TeX),
 * commands whose arguments are not prose, and command names.
 */
import { BracketIndex, findClosing } from './brackets';
import { blankLineAt, isAsciiLetter, isSpace, skipInlineSpace } from './characters';
import {
  CLASS_COMMAND, CLASS_COMMENT, CLASS_IGNORED, CLASS_MATH, CLASS_PROSE, CLASS_TRANSPARENT, ParsedCitation, ParsedKey,
} from './lexedDocument';

/** Commands with "cite" in their name that take no keys (biblatex's `\DeclareCiteCommand` defines one). */
const CITE_DENY = new Set(['citestyle', 'citesetup', 'citeindextrue', 'citeindexfalse', 'citetrackertrue', 'citetrackerfalse', 'citereset', 'citeresetchapter', 'citeresetsection', 'citedash', 'citepunct', 'citeform',
  'DeclareCiteCommand', 'DeclareMultiCiteCommand', 'DeclareAutoCiteCommand', 'DeclareFieldFormat']);

/**
 * Commands that define a command: the name they define is no citation, and when the body cites
 * its own parameter (`\newcommand{\fcite}[1]{\citep{#1}}`, `\def\pc#1{\citep{#1}}`,
 * `\let\mycite\citep`) the defined command is a cite command for the rest of the document.
 * `params`: how the parameters are declared before the body.
 */
const DEFINITIONS = new Map<string, 'optional' | 'spec' | 'tex' | 'let' | 'cite'>([
  ...['newcommand', 'renewcommand', 'providecommand', 'DeclareRobustCommand', 'newrobustcmd', 'renewrobustcmd', 'providerobustcmd'].map((c) => [c, 'optional'] as const),
  ...['NewDocumentCommand', 'RenewDocumentCommand', 'ProvideDocumentCommand', 'DeclareDocumentCommand', 'NewExpandableDocumentCommand'].map((c) => [c, 'spec'] as const),
  ...['def', 'gdef', 'edef', 'xdef'].map((c) => [c, 'tex'] as const),
  ...['let', 'NewCommandCopy', 'RenewCommandCopy'].map((c) => [c, 'let'] as const),
  ...['DeclareCiteCommand', 'DeclareMultiCiteCommand'].map((c) => [c, 'cite'] as const),
]);

/** A key that is a macro parameter (`#1`, `##1`): the key list of a definition's body, not of a citation. */
function isMacroParameter(key: string): boolean {
  return /^#+\d/.test(key);
}

/** Whether a command name (without backslash) is a cite command: any name holding `cite` or `Cite`, but for a few settings. */
export function isCiteCommandName(name: string): boolean {
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
    'providecommand', 'newenvironment', 'renewenvironment', 'addcontentsline', 'fontsize', 'selectfont', 'linespread', 'citestyle',
    // index entries, glossary and acronym keys, more references: words there are not the writer's prose
    'index', 'glossary', 'gls', 'Gls', 'GLS', 'glspl', 'Glspl', 'glsentrytext', 'acrshort', 'acrlong', 'acrfull', 'ac', 'Ac', 'acs',
    'acl', 'acf', 'acp', 'Acp', 'acsp', 'aclp', 'acfp', 'newglossaryentry', 'subref', 'cpageref', 'labelcref', 'namecref', 'nameCref',
    'lcnamecref', 'subfile', 'includepdf', 'externaldocument', 'path', 'DeclareGraphicsExtensions'].map((c) => [c, 1] as [string, number]),
  ['newacronym', 2],
  ['import', 2],
  ['subimport', 2],
  ['crefname', 3],
  ['Crefname', 3],
  ['definecolor', 3],
  ['fcolorbox', 2],
  ['hyperref', 0],
]);
/** One-letter accent commands (`\c{c}`, `\v s`): invisible inside a word. */
const LETTER_ACCENTS = new Set(['c', 'v', 'u', 'H', 'k', 'r', 'd', 'b', 't']);
/** Letter commands that stand for letters (`\o` → o, `\ss` → ss): the backslash is invisible. */
const LETTER_SYMBOLS = new Set(['o', 'O', 'l', 'L', 'i', 'j', 'ss', 'SS', 'ae', 'AE', 'oe', 'OE', 'aa', 'AA']);

/** A LaTeX key character: anything but whitespace, `,`, braces, `%` and backslash. */
function isLatexKeyChar(c: number): boolean {
  return !(isSpace(c) || c === 44 || c === 123 || c === 125 || c === 37 || c === 92);
}

/**
 * Reads a LaTeX cite command at `i` (the backslash); `j` is the end of its name. Undefined when no
 * key group follows. Tolerant: an unterminated group ends where a key list cannot go on.
 */
export function parseLatexCitation(text: string, i: number, name: string, j: number, n: number, brackets: BracketIndex): ParsedCitation | undefined {
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
      if (key !== '*' && !isMacroParameter(key)) keys.push({ key, start: s, end: k, marker: -1, group, item: -1 });
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
  /** Commands this document defines as wrappers of a cite command. */
  userCites: Set<string>;
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
  const definition = DEFINITIONS.get(name);
  if (definition) {
    const end = latexDefinition(st, i, j, definition);
    if (end > j) return end;
  }
  if (isCiteCommandName(name) || st.userCites.has(name)) {
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

/** Whether a definition's body cites its own parameter: `{\citep[#2]{#1}}`. */
const CITES_PARAMETER = /\\([A-Za-z]+)\*?\s*(?:\[[^\]]*\]\s*)*\{\s*#/g;

/**
 * Reads a definition at `i` (`j` is the end of the defining command's name): masks the defining
 * command, the defined name and its parameter declaration, remembers a cite wrapper, and returns
 * where its body starts (lexed as usual: a citation of fixed keys in it is a citation), or -1
 * when it is not a definition after all.
 */
function latexDefinition(st: LatexState, i: number, j: number, how: 'optional' | 'spec' | 'tex' | 'let' | 'cite'): number {
  const { text, n } = st;
  let k = j;
  if (text.charCodeAt(k) === 42) k++;
  k = skipInlineSpace(text, k, n);
  // the defined name: {\name}, \name, or for \DeclareCiteCommand also {\name}
  let braced = false;
  if (text.charCodeAt(k) === 123) { braced = true; k = skipInlineSpace(text, k + 1, n); }
  if (text.charCodeAt(k) !== 92) return -1;
  let e = k + 1;
  while (e < n && isAsciiLetter(text.charCodeAt(e))) e++;
  if (e === k + 1) e++; // \@ or another one-character name
  const defined = text.slice(k + 1, e);
  if (braced) {
    e = skipInlineSpace(text, e, n);
    if (text.charCodeAt(e) !== 125) return -1;
    e++;
  }
  let bodyStart = e;
  if (how === 'let') {
    let t = skipInlineSpace(text, e, n);
    if (text.charCodeAt(t) === 61) t = skipInlineSpace(text, t + 1, n);
    if (text.charCodeAt(t) === 123) t++;
    if (text.charCodeAt(t) === 92) {
      let te = t + 1;
      while (te < n && isAsciiLetter(text.charCodeAt(te))) te++;
      const target = text.slice(t + 1, te);
      if (isCiteCommandName(target) || st.userCites.has(target)) st.userCites.add(defined);
      if (text.charCodeAt(te) === 125 && text.charCodeAt(t - 1) === 123) te++;
      bodyStart = te;
    }
    st.mask.fill(CLASS_IGNORED, i, bodyStart);
    return bodyStart;
  }
  if (how === 'optional') {
    for (;;) {
      const m = skipInlineSpace(text, bodyStart, n);
      if (text.charCodeAt(m) !== 91) break;
      const close = st.brackets.close(m);
      if (close < 0) break;
      bodyStart = close + 1;
    }
  } else if (how === 'spec') {
    const m = skipInlineSpace(text, bodyStart, n);
    if (text.charCodeAt(m) === 123) { const close = st.brackets.close(m); if (close > 0) bodyStart = close + 1; }
  } else if (how === 'tex') {
    // the parameter text runs to the body's brace: #1#2, [#1]
    let m = bodyStart;
    while (m < n && m - bodyStart < 80 && text.charCodeAt(m) !== 123 && text.charCodeAt(m) !== 10 && text.charCodeAt(m) !== 92) m++;
    if (text.charCodeAt(m) === 123) bodyStart = m;
  }
  bodyStart = skipInlineSpace(text, bodyStart, n);
  if (how === 'cite') st.userCites.add(defined);
  else if (text.charCodeAt(bodyStart) === 123) {
    const close = st.brackets.close(bodyStart);
    const body = text.slice(bodyStart, close > 0 ? close : Math.min(n, bodyStart + 400));
    for (const m of body.matchAll(CITES_PARAMETER)) {
      if (isCiteCommandName(m[1]) || st.userCites.has(m[1])) { st.userCites.add(defined); break; }
    }
  }
  st.mask.fill(CLASS_IGNORED, i, bodyStart);
  return bodyStart;
}

/**
 * The LaTeX lexer: comments, math (`$…$`, `$$…$$`, `\(…\)`, `\[…\]`, math environments),
 * verbatim, cite commands, commands with non-prose arguments, and command names.
 */
export function lexLatex(text: string, mask: Uint8Array, cites: ParsedCitation[], from: number, n: number): void {
  const st: LatexState = { text, mask, cites, n, maths: [], brackets: new BracketIndex(text, n, true), userCites: new Set(), mathMode: '', mathStart: -1 };
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
