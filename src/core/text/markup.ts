/**
 * The prose of a passage: LaTeX and Markdown markup stripped, the citation keys and author
 * mentions ("Vaswani et al.") it writes. Related papers read passages through this.
 * Pure functions; nothing here throws on odd input.
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
