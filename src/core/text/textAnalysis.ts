/**
 * Text analysis for relatedness ranking: markup stripping (LaTeX, Markdown), tokenization with
 * source offsets, an English stopword list, and a Porter stemmer.
 * Pure functions, no `vscode` import. Nothing here throws on odd input.
 */
import { foldAscii } from '../model/paper';

/** The markup a passage is written in. `plain` text is analysed as is. */
export type MarkupSyntax = 'latex' | 'markdown' | 'plain';

// ---------------------------------------------------------------------------------------------
// Markup stripping
// ---------------------------------------------------------------------------------------------

/** LaTeX commands whose arguments are not prose: the command and all its arguments are dropped. */
const LATEX_DROP_WITH_ARGS = new Set([
  'ref', 'eqref', 'autoref', 'cref', 'Cref', 'pageref', 'nameref', 'vref', 'label',
  'url', 'includegraphics', 'input', 'include', 'bibliography', 'bibliographystyle',
  'addbibresource', 'usepackage', 'documentclass', 'newcommand', 'renewcommand', 'hspace',
  'vspace', 'setlength', 'setcounter', 'addtocounter', 'color', 'textcolor', 'pagestyle',
  'thispagestyle', 'footnotemark', 'nocite', 'bibitem', 'hypersetup', 'definecolor',
]);

/** LaTeX environments whose whole content is dropped (math, code, pictures). */
const LATEX_DROP_ENVIRONMENTS = [
  'equation', 'align', 'gather', 'multline', 'eqnarray', 'math', 'displaymath', 'flalign',
  'alignat', 'verbatim', 'lstlisting', 'minted', 'tikzpicture', 'comment', 'thebibliography',
];

const DROPPED_ENVIRONMENT = new RegExp(
  String.raw`\\begin\{(${LATEX_DROP_ENVIRONMENTS.join('|')})(\*?)\}[\s\S]*?(?:\\end\{\1\2\}|$)`,
  'g',
);

/** Matches a balanced `{...}` group up to three levels deep. */
const BRACED = String.raw`\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\}`;
/** Matches an optional `[...]` argument (one level of nested brackets). */
const BRACKETED = String.raw`\[(?:[^\[\]]|\[[^\[\]]*\])*\]`;

const CITE_COMMAND = new RegExp(
  String.raw`\\[a-zA-Z]*cite[a-zA-Z]*\*?\s*(?:${BRACKETED}\s*){0,2}${BRACED}`,
  'g',
);

/**
 * Removes LaTeX markup and keeps the prose: comments, math, citations, references, labels and
 * URLs go; the text inside formatting commands (`\emph{text}`, `\textbf{...}`, `\section{...}`,
 * `\footnote{...}`) stays; `\href{url}{text}` keeps its text; accents are folded into letters.
 * Removed spans become spaces so neighbouring words do not merge.
 */
export function stripLatex(text: string): string {
  let s = text;
  // comments (an unescaped % to the end of the line)
  s = s.replace(/(^|[^\\])%.*$/gm, '$1');
  // dropped environments, including starred forms
  s = s.replace(DROPPED_ENVIRONMENT, ' ');
  // display and inline math
  s = s.replace(/\$\$[\s\S]*?\$\$/g, ' ');
  s = s.replace(/\\\[[\s\S]*?\\\]/g, ' ');
  s = s.replace(/\\\([\s\S]*?\\\)/g, ' ');
  s = s.replace(/(^|[^\\])\$(?:[^$\\\n]|\\[\s\S])+?\$/g, '$1 ');
  // citations and the commands whose arguments are not prose
  s = s.replace(CITE_COMMAND, ' ');
  s = s.replace(new RegExp(String.raw`\\href\s*${BRACED}\s*(${BRACED})`, 'g'), (_m, t: string) => ` ${t.slice(1, -1)} `);
  const command = new RegExp(String.raw`\\([a-zA-Z]+)\*?[ \t]*((?:${BRACKETED}[ \t]*)*(?:${BRACED}[ \t]*)*)`, 'g');
  // repeated so that commands nested in kept arguments (\emph{see \ref{x}}) are handled too
  for (let pass = 0; pass < 4; pass++) {
    const before = s;
    s = s.replace(command, (m, name: string, args: string) => {
      if (LATEX_DROP_WITH_ARGS.has(name)) return ' ';
      if (!args) return m;
      return name === 'begin' || name === 'end' ? ' ' : ` ${keepArgs(args).trim().replace(/^\{([\s\S]*)\}$/, '$1')} `;
    });
    if (s === before) break;
  }
  // accents: \'e, \"{o}, \v{c} ...
  s = s.replace(/\\[`'^"~=.]\s*\{?([a-zA-Z])\}?/g, '$1');
  s = s.replace(/\\[uvHtcdbk]\s*\{([a-zA-Z])\}/g, '$1');
  s = s.replace(/\\(?:ss)\b/g, 'ss');
  // escaped specials
  s = s.replace(/\\([%&_$#{}])/g, (_m, c: string) => (c === '&' ? ' and ' : ` ${c} `));
  // remaining commands (their names only) and line breaks
  s = s.replace(/\\\\/g, ' ');
  s = s.replace(/\\[a-zA-Z@]+\*?/g, ' ');
  s = s.replace(/\\./g, ' ');
  s = s.replace(/~/g, ' ');
  s = s.replace(/[{}]/g, ' ');
  // TeX quotes and dashes used as punctuation
  s = s.replace(/``|''/g, '"');
  s = s.replace(/-{2,3}/g, ' - ');
  return s;
}

/** The prose inside a command's arguments: optional `[...]` arguments are dropped. */
function keepArgs(args: string): string {
  return args.replace(new RegExp(BRACKETED, 'g'), ' ');
}

/**
 * Removes Markdown/Pandoc markup and keeps the prose: front matter, fenced code, HTML, math,
 * citations (`[@key]`, `@key`), footnote markers and URLs go; link texts, emphasised text and
 * inline code text stay; heading, list, quote and table markers are dropped.
 */
export function stripMarkdown(text: string): string {
  let s = text;
  s = s.replace(/^---\r?\n[\s\S]*?\r?\n(?:---|\.\.\.)\s*(?:\r?\n|$)/, ' ');
  s = s.replace(/^(\s*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:\n\s*\2[^\n]*|$)/gm, ' ');
  s = dropHtmlComments(s);
  s = s.replace(/\$\$[\s\S]*?\$\$/g, ' ');
  s = s.replace(/(^|[^\\$])\$(?=\S)(?:[^$\n\\]|\\.)*?\S\$(?!\d)/g, '$1 ');
  s = s.replace(/(^|[^\\$])\$(?=\S)[^$\n]\$(?!\d)/g, '$1 ');
  // citations: bracketed groups with @keys, then bare @keys (not e-mail addresses)
  s = s.replace(/\[[^[\]]*?-?@[^[\]]*\]/g, ' ');
  s = s.replace(/(^|[^\w@.])-?@[\w][\w:.#$%&\-+?<>~/]*[\w]?/g, '$1 ');
  // images and links keep their text; footnote markers go
  // (bounded and bracket-free spans keep these linear on unbalanced input)
  s = s.replace(/!\[([^[\]\n]{0,500})\]\([^()\n]{0,1000}\)/g, ' $1 ');
  s = s.replace(/\[\^[^[\]\n]{0,100}\]:?/g, ' ');
  s = s.replace(/\[([^[\]\n]{0,500})\]\([^()\n]{0,1000}\)/g, ' $1 ');
  s = s.replace(/\[([^[\]\n]{0,500})\]\[[^[\]\n]{0,100}\]/g, ' $1 ');
  s = s.replace(/^\s*\[[^\]]+\]:\s*\S+.*$/gm, ' ');
  s = s.replace(/<https?:[^>]*>/g, ' ');
  s = s.replace(/\bhttps?:\/\/\S+/g, ' ');
  s = s.replace(/<\/?[a-zA-Z][^>]*>/g, ' ');
  // inline code keeps its text
  s = s.replace(/`+([^`]{0,1000})`+/g, ' $1 ');
  // block markers
  s = s.replace(/^\s{0,3}#{1,6}\s+/gm, '');
  s = s.replace(/^\s*>+\s?/gm, '');
  s = s.replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, '');
  s = s.replace(/^\s*:::.*$/gm, ' ');
  s = s.replace(/\{[#.][^}]*\}/g, ' ');
  s = s.replace(/\|/g, ' ');
  // emphasis markers go; the words between them stay (snake_case is left alone)
  s = s.replace(/\*+|~~/g, '');
  s = s.replace(/(^|[^\w])_+(?=\S)/g, '$1').replace(/(\S)_+(?!\w)/g, '$1');
  s = s.replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1');
  return s;
}

/** Removes `<!-- ... -->` (an unclosed comment runs to the end). Linear time. */
function dropHtmlComments(s: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = s.indexOf('<!--', from);
    if (open < 0) return out + s.slice(from);
    out += s.slice(from, open) + ' ';
    const close = s.indexOf('-->', open + 4);
    if (close < 0) return out;
    from = close + 3;
  }
}

/** A guess at the syntax of a passage: LaTeX when it has backslash commands, else Markdown. */
export function detectSyntax(text: string): MarkupSyntax {
  return /\\[a-zA-Z]{2,}/.test(text) ? 'latex' : 'markdown';
}

/** Strips the markup of `syntax` (detected when omitted) and returns the prose. */
export function stripMarkup(text: string, syntax?: MarkupSyntax): string {
  const syn = syntax ?? detectSyntax(text);
  if (syn === 'latex') return stripLatex(text);
  if (syn === 'markdown') return stripMarkdown(text);
  return text;
}

// ---------------------------------------------------------------------------------------------
// Citation keys written in a passage
// ---------------------------------------------------------------------------------------------

/**
 * The citation keys a passage already cites: `\cite{a,b}` and its variants (`\citep[p.~3]{a}`,
 * `\autocite`, `\parencite*` …) and Pandoc `[@a; @b]` / `@a`. A simple reader, good enough to
 * flag suggestions as already cited; it never throws.
 */
export function citedKeysIn(text: string): Set<string> {
  const keys = new Set<string>();
  for (const m of text.matchAll(CITE_COMMAND)) {
    const braces = m[0].slice(m[0].lastIndexOf('{') + 1, -1);
    for (const k of braces.split(',')) if (k.trim()) keys.add(k.trim());
  }
  for (const m of text.matchAll(/(?:^|[^\w@.\\])-?@([\w][\w:.#$%&\-+?<>~/]*)/g)) {
    keys.add(m[1].replace(/[.:,;?]+$/, ''));
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Author mentions
// ---------------------------------------------------------------------------------------------

const NAME = String.raw`\p{Lu}[\p{L}'’-]*\p{Ll}[\p{L}'’-]*`;
const ET_AL = new RegExp(String.raw`(?:^|[^\p{L}])((?:(?:van|von|de|der|den|del|di|da|du|le|la)\s+)*${NAME})\s+et\s*\.?\s*al\b`, 'gu');
const NAME_PAIR = new RegExp(
  String.raw`(?:^|[^\p{L}])(${NAME})\s+(?:and|&)\s+(${NAME})(?:['’]s)?\s*[,(\[]?\s*(?:19|20)\d\d\b`,
  'gu',
);

/**
 * Family names the passage refers to as authors: "Zhao et al.", "Zhao et al.'s", and
 * "Kaplan and McCandlish (2020)" / "Kaplan & McCandlish, 2020". Lower-cased and accent-folded.
 */
export function authorMentions(text: string): string[] {
  const names = new Set<string>();
  const fold = (n: string) => foldAscii(n).toLowerCase().replace(/[’']s$/, '').replace(/[^a-z\s-]/g, '').trim();
  for (const m of text.matchAll(ET_AL)) names.add(fold(m[1]));
  for (const m of text.matchAll(NAME_PAIR)) {
    names.add(fold(m[1]));
    names.add(fold(m[2]));
  }
  names.delete('');
  return [...names];
}

// ---------------------------------------------------------------------------------------------
// Stopwords
// ---------------------------------------------------------------------------------------------

/**
 * English function words plus the boilerplate verbs and adverbs of scientific abstracts
 * ("propose", "demonstrate", "furthermore"). Topic words are never listed here: words common
 * to a particular library are down-weighted by inverse document frequency instead.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a about above across after afterwards again against all almost alone along already also although always am among amongst an and another any anyhow anyone anything anyway anywhere are aren around as at ' +
    'be became because become becomes becoming been before beforehand behind being below beside besides between beyond both but by can cannot could couldn did didn do does doesn doing done don down due during ' +
    'each either else elsewhere enough especially etc even ever every everyone everything everywhere except few for former formerly from further furthermore had hadn has hasn have haven having he hence her here hereafter ' +
    'hereby herein hers herself him himself his how however i ie if in indeed into is isn it its itself just least less let like likely made mainly make makes many may me meanwhile might mine more moreover most mostly much must my myself ' +
    'namely neither never nevertheless next no nobody none nor not nothing now nowhere of off often on once one only onto or other others otherwise our ours ourselves out over own per perhaps please quite rather ' +
    're really same several she should shouldn since so some somehow someone something sometime sometimes somewhere still such than that the their theirs them themselves then thence there thereafter thereby ' +
    'therefore therein thereupon these they this those though through throughout thru thus to together too toward towards under unless until up upon us very via was wasn we were weren what whatever when whence ' +
    'whenever where whereas whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why will with within without won would yet you your yours yourself yourselves ' +
    // scientific-prose boilerplate
    'al et eg cf fig figure table section paper papers article propose proposes proposed proposing present presents presented introduce introduces introduced ' +
    'show shows showed shown showing demonstrate demonstrates demonstrated find finds found observe observes observed ' +
    'achieve achieves achieved achieving approach approaches method methods work works recent recently various respectively ' +
    'specifically particular particularly notably additionally finally firstly secondly first second third well use used uses using based new novel ' +
    'able allow allows enable enables given include includes including existing prior previous previously ' +
    'significant significantly substantial substantially remarkable remarkably impressive extensive extensively ' +
    'result results resulting study studies studied approximately nearly around across among ones see way ways instead making'
  ).split(/\s+/),
);

/** Whether a lower-cased, accent-folded word is a stopword. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

// ---------------------------------------------------------------------------------------------
// Porter stemmer
// ---------------------------------------------------------------------------------------------

function isConsonant(w: string, i: number): boolean {
  const c = w.charCodeAt(i);
  // a e i o u
  if (c === 97 || c === 101 || c === 105 || c === 111 || c === 117) return false;
  if (c === 121) return i === 0 ? true : !isConsonant(w, i - 1);
  return true;
}

/** Porter's measure m of w[0..end): the number of vowel-consonant sequences. */
function measure(w: string, end: number): number {
  let m = 0;
  let i = 0;
  while (i < end && isConsonant(w, i)) i++;
  while (i < end) {
    while (i < end && !isConsonant(w, i)) i++;
    if (i >= end) break;
    while (i < end && isConsonant(w, i)) i++;
    m++;
  }
  return m;
}

function hasVowel(w: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (!isConsonant(w, i)) return true;
  return false;
}

function endsDoubleConsonant(w: string, end: number): boolean {
  return end >= 2 && w[end - 1] === w[end - 2] && isConsonant(w, end - 1);
}

/** cvc at the end of w[0..end), the last consonant not w, x or y. */
function endsCvc(w: string, end: number): boolean {
  if (end < 3) return false;
  if (!isConsonant(w, end - 1) || isConsonant(w, end - 2) || !isConsonant(w, end - 3)) return false;
  const c = w[end - 1];
  return c !== 'w' && c !== 'x' && c !== 'y';
}

type Rule = readonly [suffix: string, replacement: string];

const STEP2: readonly Rule[] = [
  ['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'], ['izer', 'ize'],
  ['bli', 'ble'], ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'], ['ousli', 'ous'],
  ['ization', 'ize'], ['ation', 'ate'], ['ator', 'ate'], ['alism', 'al'], ['iveness', 'ive'],
  ['fulness', 'ful'], ['ousness', 'ous'], ['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble'],
  ['logi', 'log'],
];
const STEP3: readonly Rule[] = [
  ['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'], ['ful', ''], ['ness', ''],
];
const STEP4 = [
  'al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ion', 'ou',
  'ism', 'ate', 'iti', 'ous', 'ive', 'ize',
];

const byLengthDesc = <T extends string | Rule>(xs: readonly T[]): T[] =>
  [...xs].sort((a, b) => (typeof b === 'string' ? b.length : b[0].length) - (typeof a === 'string' ? a.length : a[0].length));
const STEP2_SORTED = byLengthDesc(STEP2);
const STEP3_SORTED = byLengthDesc(STEP3);
const STEP4_SORTED = byLengthDesc(STEP4);

/** Applies the longest matching rule of a step when the remaining stem has measure > minM. */
function applyRules(w: string, rules: readonly Rule[], minM: number): string {
  for (const [suf, rep] of rules) {
    if (w.endsWith(suf)) {
      const stemEnd = w.length - suf.length;
      return measure(w, stemEnd) > minM ? w.slice(0, stemEnd) + rep : w;
    }
  }
  return w;
}

/**
 * The Porter (1980) stem of a lower-case ASCII word ("training" → "train", "models" → "model",
 * "quantization" → "quantiz" …). Words of two letters or fewer, and words containing digits or
 * non-letters, are returned unchanged.
 */
export function porterStem(word: string): string {
  let w = word;
  if (w.length <= 2 || !/^[a-z]+$/.test(w)) return w;

  // step 1a
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies')) w = w.slice(0, -2);
  else if (w.endsWith('ss')) { /* keep */ }
  else if (w.endsWith('s')) w = w.slice(0, -1);

  // step 1b
  let step1bExtra = false;
  if (w.endsWith('eed')) {
    if (measure(w, w.length - 3) > 0) w = w.slice(0, -1);
  } else if (w.endsWith('ed') && hasVowel(w, w.length - 2)) {
    w = w.slice(0, -2);
    step1bExtra = true;
  } else if (w.endsWith('ing') && hasVowel(w, w.length - 3)) {
    w = w.slice(0, -3);
    step1bExtra = true;
  }
  if (step1bExtra) {
    if (w.endsWith('at') || w.endsWith('bl') || w.endsWith('iz')) w += 'e';
    else if (endsDoubleConsonant(w, w.length) && !/[lsz]$/.test(w)) w = w.slice(0, -1);
    else if (measure(w, w.length) === 1 && endsCvc(w, w.length)) w += 'e';
  }

  // step 1c
  if (w.endsWith('y') && hasVowel(w, w.length - 1)) w = w.slice(0, -1) + 'i';

  // steps 2 and 3
  w = applyRules(w, STEP2_SORTED, 0);
  w = applyRules(w, STEP3_SORTED, 0);

  // step 4
  for (const suf of STEP4_SORTED) {
    if (w.endsWith(suf)) {
      const stemEnd = w.length - suf.length;
      if (measure(w, stemEnd) > 1 && (suf !== 'ion' || /[st]$/.test(w.slice(0, stemEnd)))) w = w.slice(0, stemEnd);
      break;
    }
  }

  // step 5a
  if (w.endsWith('e')) {
    const m = measure(w, w.length - 1);
    if (m > 1 || (m === 1 && !endsCvc(w, w.length - 1))) w = w.slice(0, -1);
  }
  // step 5b
  if (w.endsWith('ll') && measure(w, w.length) > 1) w = w.slice(0, -1);
  return w;
}

const stemCache = new Map<string, string>();

/** {@link porterStem}, memoised (the cache is bounded). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    if (stemCache.size > 500_000) stemCache.clear();
    s = porterStem(word);
    stemCache.set(word, s);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Tokenization
// ---------------------------------------------------------------------------------------------

/** One word of a text, with where it came from. Its wording is `text.slice(start, end)`. */
export interface Token {
  /** Lower-cased, accent-folded form. */
  norm: string;
  /** Porter stem of `norm` (`norm` itself for stopwords). */
  stem: string;
  /** Offsets into the analysed text (end exclusive). */
  start: number;
  end: number;
  /** A function word or boilerplate word; not indexed. */
  stop: boolean;
  /**
   * The joined form of a compound ("pre-training" → "pretraining"), emitted after its parts so
   * that every spelling matches. Not used for phrases.
   */
  compound: boolean;
  /** Punctuation (a clause boundary) separates this word from the previous one. */
  breakBefore: boolean;
}

/** Analysis of one written word form, shared by all its occurrences. */
export interface WordInfo {
  /** Lower-cased, accent-folded form. */
  readonly norm: string;
  /** Porter stem (the norm itself for stopwords). */
  readonly stem: string;
  /** Process-wide id of `stem` (see {@link stemOfId}). */
  readonly sid: number;
  readonly stop: boolean;
  /** A function word that may sit inside a phrase ("of" in "mixture of experts"). */
  readonly glue: boolean;
}

/** Function words that may sit inside a phrase ("mixture of experts", "training and inference"). */
const PHRASE_GLUE = new Set(['of', 'and', 'or', 'for', 'in', 'on', 'to', 'with', 'by', 'from', 'the', 'a', 'an']);

// process-wide stem ids: engines map them to their own term ids with a typed array
const stemIds = new Map<string, number>();
const stemStrings: string[] = [];

/** The process-wide id of a stem, assigned on first sight. */
export function stemId(stemmed: string): number {
  let id = stemIds.get(stemmed);
  if (id === undefined) {
    id = stemStrings.length;
    stemIds.set(stemmed, id);
    stemStrings.push(stemmed);
  }
  return id;
}

/** The stem of a process-wide stem id. */
export function stemOfId(sid: number): string {
  return stemStrings[sid];
}

function normalizeWord(w: string): string {
  const lower = w.toLowerCase();
  return /^[\x00-\x7f]*$/.test(lower) ? lower : foldAscii(lower).replace(/[^a-z0-9]/g, '');
}

function makeWordInfo(raw: string): WordInfo {
  const norm = normalizeWord(raw);
  const stop = STOPWORDS.has(norm);
  const stemmed = stop ? norm : stem(norm);
  return { norm, stem: stemmed, sid: stemId(stemmed), stop, glue: PHRASE_GLUE.has(norm) };
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * Cache of word forms → analysis, an open-addressing table keyed by the characters of the word
 * so that a known word is found without cutting it out of the text.
 */
class WordTable {
  private mask = (1 << 16) - 1;
  private slots = new Int32Array(1 << 16).fill(-1);
  private hashes: number[] = [];
  private raws: string[] = [];
  private infos: WordInfo[] = [];

  /** The analysis of text[start, end), whose FNV-1a hash is `h`. */
  lookup(text: string, start: number, end: number, h: number): WordInfo {
    const len = end - start;
    let i = h & this.mask;
    for (;;) {
      const e = this.slots[i];
      if (e < 0) break;
      if (this.hashes[e] === h) {
        const raw = this.raws[e];
        if (raw.length === len) {
          let k = 0;
          while (k < len && raw.charCodeAt(k) === text.charCodeAt(start + k)) k++;
          if (k === len) return this.infos[e];
        }
      }
      i = (i + 1) & this.mask;
    }
    if (this.raws.length >= 1_000_000) {
      this.reset();
      return this.lookup(text, start, end, h);
    }
    const raw = text.slice(start, end);
    const info = makeWordInfo(raw);
    const e = this.raws.length;
    this.raws.push(raw);
    this.infos.push(info);
    this.hashes.push(h);
    this.slots[i] = e;
    if (this.raws.length * 2 > this.mask) this.grow();
    return info;
  }

  /** The analysis of a whole string. */
  lookupString(s: string): WordInfo {
    let h = FNV_OFFSET;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
    return this.lookup(s, 0, s.length, h);
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size).fill(-1);
    for (let e = 0; e < this.hashes.length; e++) {
      let i = this.hashes[e] & this.mask;
      while (this.slots[i] >= 0) i = (i + 1) & this.mask;
      this.slots[i] = e;
    }
  }

  private reset(): void {
    this.mask = (1 << 16) - 1;
    this.slots = new Int32Array(1 << 16).fill(-1);
    this.hashes = [];
    this.raws = [];
    this.infos = [];
  }
}

const words = new WordTable();

/**
 * Character classes: 1 = part of a word, 2 = clause break, 3 = hyphen, 0 = other. A code unit
 * beyond ASCII is classified the first time it is met (see {@link classOf}): classifying the whole
 * Basic Multilingual Plane when the module loaded took about 120 ms of every start.
 */
const UNCLASSIFIED = 255;
const charClass = new Uint8Array(0x10000).fill(UNCLASSIFIED);
const WORD_CHAR = /[\p{L}\p{N}]/u;
for (let c = 0; c < 128; c++) charClass[c] = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 0;
for (const ch of '.,;:!?()[]{}"|/<>=“”–—') charClass[ch.charCodeAt(0)] = 2;
for (const ch of '-‐‑') charClass[ch.charCodeAt(0)] = 3;

/** The class of code unit `c` (undefined past the end of a text, as `charCodeAt` gives NaN there). */
function classOf(c: number): number {
  const k = charClass[c];
  if (k !== UNCLASSIFIED) return k;
  return (charClass[c] = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 0);
}

/** Joined form of a hyphenated compound → its parts ("finetuning" → ["fine", "tuning"]). */
export type CompoundDictionary = Map<string, readonly string[]>;

function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/**
 * Adds the hyphenated compounds of `text` ("fine-tuning", "pre-training") to `into`, keyed by
 * their joined form, so that {@link tokenize} can split "finetuning" the same way. Joined forms
 * shorter than six letters are ignored, and the dictionary stops growing at `maxSize` entries.
 */
export function collectCompounds(text: string, into: CompoundDictionary, maxSize = 200_000): void {
  let pos = text.indexOf('-');
  while (pos > 0 && into.size < maxSize) {
    let a = pos;
    while (a > 0 && isAsciiLetter(text.charCodeAt(a - 1))) a--;
    let b = pos;
    // extend over "-letters" groups
    while (text.charCodeAt(b) === 45 && isAsciiLetter(text.charCodeAt(b + 1))) {
      b++;
      while (b < text.length && isAsciiLetter(text.charCodeAt(b))) b++;
    }
    if (a < pos && b > pos + 1 && !(a > 0 && classOf(text.charCodeAt(a - 1)) === 1) && classOf(text.charCodeAt(b)) !== 1) {
      const lower = text.slice(a, b).toLowerCase();
      const joined = lower.replace(/-/g, '');
      if (joined.length >= 6 && !into.has(joined)) into.set(joined, lower.split('-'));
    }
    pos = text.indexOf('-', Math.max(b, pos + 1));
  }
}

/** Bits of {@link WordScan.flags}. */
export const ScanFlag = {
  /** The joined form of a compound, after its parts. */
  Compound: 1,
  /** A clause boundary precedes the word. */
  BreakBefore: 2,
} as const;

/** Words of a text as parallel arrays (reusable across texts); see {@link scanWords}. */
export class WordScan {
  length = 0;
  words: WordInfo[] = [];
  start = new Int32Array(64);
  end = new Int32Array(64);
  flags = new Uint8Array(64);

  /** Makes room for `n` more words. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.start.length) return;
    let size = this.start.length;
    while (size < need) size *= 2;
    const start = new Int32Array(size);
    start.set(this.start);
    const end = new Int32Array(size);
    end.set(this.end);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.start = start;
    this.end = end;
    this.flags = flags;
  }

  /** A copy sized to its words, for keeping. */
  compact(): WordScan {
    const c = new WordScan();
    c.length = this.length;
    c.words = this.words.slice(0, this.length);
    c.start = this.start.slice(0, this.length);
    c.end = this.end.slice(0, this.length);
    c.flags = this.flags.slice(0, this.length);
    return c;
  }

  /** Appends one word. */
  push(info: WordInfo, start: number, end: number, flags: number): void {
    if (this.length === this.start.length) this.reserve(1);
    const i = this.length++;
    this.words[i] = info;
    this.start[i] = start;
    this.end[i] = end;
    this.flags[i] = flags;
  }
}

/**
 * Scans the words of `text` into `into` (cleared first): the fast form of {@link tokenize}, with
 * the same words in the same order.
 */
export function scanWords(text: string, compounds?: ReadonlyMap<string, readonly string[]>, into = new WordScan()): WordScan {
  into.length = 0;
  const n = text.length;
  // at most one word per two characters, plus compound forms: reserve generously once
  into.reserve((n >> 1) + 16);
  const wordsOut = into.words;
  const startOut = into.start;
  const endOut = into.end;
  const flagsOut = into.flags;
  // a run of words joined by single hyphens ("mixture-of-experts"), for the joined form
  let runStart = -1;
  let runEnd = -1;
  let runFirst: WordInfo | undefined;
  let runNorms: string[] | undefined;
  let pendingBreak = true;
  let i = 0;
  for (;;) {
    // the gap before the next word
    const gapStart = i;
    let c = i < n ? text.charCodeAt(i) : 0;
    while (i < n && classOf(c) !== 1) {
      if (classOf(c) === 2) pendingBreak = true;
      c = text.charCodeAt(++i);
    }
    const start = i;
    const hyphenJoined = i < n && runStart >= 0 && start - gapStart === 1 && classOf(text.charCodeAt(gapStart)) === 3;
    if (!hyphenJoined && runNorms !== undefined) {
      // the run ended: emit its joined form
      const norm = runNorms.join('');
      if (norm.length >= 3) {
        const info = words.lookupString(norm);
        if (!info.stop) into.push(info, runStart, runEnd, ScanFlag.Compound);
      }
      runNorms = undefined;
    }
    if (i >= n) break;
    let h = FNV_OFFSET;
    while (i < n && classOf((c = text.charCodeAt(i))) === 1) {
      h = Math.imul(h ^ c, FNV_PRIME);
      i++;
    }
    const end = i;
    // a possessive or contraction tail is skipped: "model's" → "model"
    if ((c === 39 || c === 0x2019) && i < n && classOf(text.charCodeAt(i + 1)) === 1) {
      i++;
      while (i < n && classOf(text.charCodeAt(i)) === 1) i++;
    }
    const info = words.lookup(text, start, end, h);
    if (hyphenJoined) {
      if (runNorms === undefined) runNorms = [runFirst!.norm];
      runNorms.push(info.norm);
    } else {
      runStart = start;
      runFirst = info;
    }
    runEnd = end;
    if (info.norm.length < 2) continue;
    const parts = compounds !== undefined && info.norm.length >= 6 && !hyphenJoined ? compounds.get(info.norm) : undefined;
    if (parts !== undefined && !(classOf(text.charCodeAt(i)) === 3 && classOf(text.charCodeAt(i + 1)) === 1)) {
      for (const part of parts) {
        if (part.length < 2) continue;
        into.push(words.lookupString(part), start, end, pendingBreak ? ScanFlag.BreakBefore : 0);
        pendingBreak = false;
      }
      into.push(info, start, end, ScanFlag.Compound);
      continue;
    }
    if (into.length < startOut.length) {
      const k = into.length++;
      wordsOut[k] = info;
      startOut[k] = start;
      endOut[k] = end;
      flagsOut[k] = pendingBreak ? ScanFlag.BreakBefore : 0;
    } else {
      into.push(info, start, end, pendingBreak ? ScanFlag.BreakBefore : 0);
    }
    pendingBreak = false;
  }
  return into;
}

/**
 * Splits text into word tokens (letters and digits; "model's" → "model"), marking stopwords and
 * clause boundaries. Hyphenated compounds yield their parts and then the joined form
 * (`compound: true`); a closed compound found in `compounds` ("finetuning") yields the parts of
 * its hyphenated spelling and then itself, so every spelling of a compound is analysed alike.
 * Tokens of one character are dropped.
 */
export function tokenize(text: string, compounds?: ReadonlyMap<string, readonly string[]>): Token[] {
  const scan = scanWords(text, compounds);
  const out: Token[] = [];
  for (let i = 0; i < scan.length; i++) {
    const w = scan.words[i];
    const compound = (scan.flags[i] & ScanFlag.Compound) !== 0;
    out.push({
      norm: w.norm,
      stem: w.stem,
      start: scan.start[i],
      end: scan.end[i],
      stop: w.stop,
      compound,
      breakBefore: (scan.flags[i] & ScanFlag.BreakBefore) !== 0,
    });
  }
  return out;
}

/**
 * Content words paired with their next content word in the same clause, directly or across one
 * phrase-internal function word ("mixture of experts" → mixture+experts). Compound joined forms
 * are skipped. Appends scan indices to `out` flat: [first0, second0, first1, second1, ...].
 */
export function phrasePairs(scan: WordScan, out: number[] = []): number[] {
  let prev = -1;
  let gap = 0;
  for (let i = 0; i < scan.length; i++) {
    const f = scan.flags[i];
    if (f & ScanFlag.Compound) continue;
    if (f & ScanFlag.BreakBefore) {
      prev = -1;
      gap = 0;
    }
    const w = scan.words[i];
    if (w.stop) {
      gap += w.glue ? 1 : 2;
      continue;
    }
    if (prev >= 0 && gap <= 1) out.push(prev, i);
    prev = i;
    gap = 0;
  }
  return out;
}
