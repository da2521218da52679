/**
 * Writes papers as BibTeX entries: `@article`/`@inproceedings`/`@misc`, with `eprint`,
 * `archivePrefix = {arXiv}` and `url` for arXiv papers. Field values are brace-delimited with
 * special characters escaped so the entry re-parses to the same field values; a name that BibTeX
 * would split or turn around (`Google, Inc.`, `Barnes and Noble`) is protected with braces; the
 * characters a file's encoding cannot hold are written as LaTeX (see {@link latexForUnencodable}).
 * Appending to a file's bytes is in append.ts.
 */
import { Paper } from '../../model/paper';

/**
 * Escapes a field value for a brace-delimited BibTeX field: `{`, `}`, `\`, `%`, `#`, `&`, `$`, `_`,
 * `^`, `~`, and hyphen runs. BibTeX counts every brace, escaped or not, so braces that pair up
 * are written `\{` `\}` and a brace without its partner as `\textbraceleft{}` / `\textbraceright{}`
 * (a lone `\}` would end the field early).
 */
export function escapeBibtexValue(value: string): string {
  let depth = 0;
  let paired = true;
  for (const ch of value) {
    if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) paired = false;
  }
  if (depth !== 0) paired = false;
  let out = '';
  for (const ch of value) {
    switch (ch) {
      case '\\':
        out += '\\textbackslash{}';
        break;
      case '{':
        out += paired ? '\\{' : '\\textbraceleft{}';
        break;
      case '}':
        out += paired ? '\\}' : '\\textbraceright{}';
        break;
      case '%':
      case '#':
      case '&':
      case '$':
      case '_':
        out += '\\' + ch;
        break;
      case '^':
        out += '\\textasciicircum{}';
        break;
      case '-':
        // "--" and "---" are dashes in LaTeX; a literal run of hyphens keeps its hyphens
        out += out.endsWith('-') ? '{}-' : '-';
        break;
      case "'":
        // "''" is a closing double quote in LaTeX
        out += out.endsWith("'") ? "{}'" : "'";
        break;
      case '`':
        // a backtick is an opening quote (and "?`" an inverted question mark)
        out += '\\textasciigrave{}';
        break;
      case '~':
        out += '\\textasciitilde{}';
        break;
      default:
        // control characters (line breaks, tabs, NUL) have no meaning in a value: a space
        out += ch.charCodeAt(0) < 32 || ch === '\x7f' ? ' ' : ch;
    }
  }
  return out;
}

/** The entry type Citelens writes for a paper. */
export function entryTypeFor(p: Paper): string {
  if (p.entryType) return p.entryType;
  if (!p.venue) return 'misc';
  return /journal|transactions|letters|review|access|tmlr/i.test(p.venue) ? 'article' : 'inproceedings';
}

/** The fields Citelens writes, in order, as [name, plain value] pairs. */
export function bibtexFields(p: Paper): [string, string][] {
  const type = entryTypeFor(p);
  const f: [string, string][] = [];
  f.push(['title', p.title]);
  if (p.authors.length) f.push(['author', p.authors.join(' and ')]);
  if (p.venue) f.push([type === 'article' ? 'journal' : type === 'inproceedings' ? 'booktitle' : 'howpublished', p.venue]);
  if (p.year) f.push(['year', String(p.year)]);
  if (p.doi) f.push(['doi', p.doi]);
  if (p.arxiv) {
    f.push(['eprint', p.arxiv]);
    f.push(['archivePrefix', 'arXiv']);
  }
  const url = p.url ?? (p.arxiv ? `https://arxiv.org/abs/${p.arxiv}` : undefined);
  if (url) f.push(['url', url]);
  return f;
}

/** Words that make a name a corporate author's (an organisation, not a person with a given name). */
const CORPORATE = /(?:^|\s)(?:inc|ltd|llc|llp|plc|corp|corporation|company|co|gmbh|ag|university|universit[äa]t|universit[ée]|institute|institut|consortium|collaboration|team|group|foundation|association|society|organi[sz]ation|committee|council|laborator(?:y|ies)|labs?|project|initiative|agency|department|ministry|cent(?:er|re)|board|office|commission|academy|alliance|federation|bureau|authority|network|working|partners)\.?(?:\s|,|$)/i;

/**
 * One name as written in an `author`/`editor` list. BibTeX reads "Last, First" around a comma and
 * splits the list at every "and", so a name holding a comma or the word "and", a corporate name
 * (kept whole, never turned into "Inc. Google"), and the name "others" are protected with braces.
 */
export function bibtexName(name: string): string {
  const clean = name.replace(/\s+/g, ' ').trim();
  const escaped = escapeBibtexValue(clean);
  const protect = clean.includes(',') || /(?:^|\s)and(?:\s|$)/i.test(clean) || clean.toLowerCase() === 'others' ||
    (clean.includes(' ') && CORPORATE.test(clean));
  return protect ? `{${escaped}}` : escaped;
}

/** Options of {@link toBibtex}. */
export interface ToBibtexOptions {
  /** The key to write (default: the paper's own). */
  key?: string;
  /**
   * Whether the target file's encoding holds a character (default: every character, as UTF-8
   * does). Characters it does not hold are written as LaTeX, see {@link latexForUnencodable}.
   */
  encodable?: (ch: string) => boolean;
}

/** One entry as BibTeX text, ending with a newline. Title casing is protected with an outer brace pair. */
export function toBibtex(p: Paper, eol = '\n', options: ToBibtexOptions = {}): string {
  const encodable = options.encodable;
  const lines = bibtexFields(p).map(([name, value]) => {
    const verbatim = name === 'url' || name === 'doi';
    // each author escaped alone: braces must pair up within a name, or " and " would hide inside a group
    // for a file that cannot hold every character, composed forms first (e + U+0301 → é, in Latin-1)
    const nfc = (v: string) => (encodable ? v.normalize('NFC') : v);
    let escaped = verbatim ? value.replace(/[{}\\]/g, '') : name === 'author' ? p.authors.map((a) => bibtexName(nfc(a))).filter((a) => a.length > 0).join(' and ') : escapeBibtexValue(nfc(value));
    if (encodable) escaped = verbatim ? percentEncodeUnencodable(escaped, encodable) : latexForUnencodable(escaped, encodable);
    return `  ${name} = {${name === 'title' ? `{${escaped}}` : escaped}}`;
  });
  return `@${entryTypeFor(p)}{${options.key ?? p.key},${eol}${lines.join(',' + eol)}${eol}}${eol}`;
}

/** Accent commands for the combining marks (`é` = e + U+0301 → `{\\'{e}}`). */
const ACCENT_COMMANDS = new Map<string, string>([
  ['\u0301', "'"], ['\u0300', '`'], ['\u0302', '^'], ['\u0308', '"'], ['\u0303', '~'], ['\u0304', '='],
  ['\u0307', '.'], ['\u0306', 'u'], ['\u030c', 'v'], ['\u030b', 'H'], ['\u0327', 'c'], ['\u0328', 'k'],
  ['\u030a', 'r'], ['\u0323', 'd'], ['\u0331', 'b'],
]);

/** Letters with a command of their own. */
const LETTER_COMMANDS = new Map<string, string>([
  ['ł', 'l'], ['Ł', 'L'], ['ø', 'o'], ['Ø', 'O'], ['œ', 'oe'], ['Œ', 'OE'], ['æ', 'ae'], ['Æ', 'AE'],
  ['å', 'aa'], ['Å', 'AA'], ['ß', 'ss'], ['ı', 'i'], ['ȷ', 'j'], ['đ', 'dj'], ['Đ', 'DJ'], ['ŋ', 'ng'],
  ['Ŋ', 'NG'], ['þ', 'th'], ['Þ', 'TH'], ['ð', 'dh'], ['Ð', 'DH'],
  ['–', 'textendash'], ['—', 'textemdash'], ['‘', 'textquoteleft'], ['’', 'textquoteright'],
  ['“', 'textquotedblleft'], ['”', 'textquotedblright'], ['…', 'textellipsis'], ['€', 'texteuro'],
  ['•', 'textbullet'], ['†', 'textdagger'], ['‡', 'textdaggerdbl'], ['™', 'texttrademark'],
]);

/**
 * `text` with every character `encodable` rejects written as LaTeX our reader reads back to the
 * same character: a letter command (`\\l{}`), an accent command on an ASCII letter (`{\\H{o}}`),
 * else `{\\symbol{"XXXX}}` (the code point).
 */
export function latexForUnencodable(text: string, encodable: (ch: string) => boolean): string {
  let out = '';
  for (const ch of text) {
    if (encodable(ch)) {
      out += ch;
      continue;
    }
    const letter = LETTER_COMMANDS.get(ch);
    if (letter !== undefined) {
      out += `{\\${letter}}`;
      continue;
    }
    const parts = [...ch.normalize('NFD')];
    const accent = parts.length === 2 ? ACCENT_COMMANDS.get(parts[1]) : undefined;
    if (accent !== undefined && /^[A-Za-z]$/.test(parts[0])) {
      out += `{\\${accent}{${parts[0]}}}`;
      continue;
    }
    out += `{\\symbol{"${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}}`;
  }
  return out;
}

/** A URL or identifier with the characters `encodable` rejects percent-encoded (UTF-8), as URLs are. */
function percentEncodeUnencodable(text: string, encodable: (ch: string) => boolean): string {
  let out = '';
  for (const ch of text) out += encodable(ch) ? ch : encodeURIComponent(ch);
  return out;
}
