/**
 * Writes papers as BibTeX entries: `@article`/`@inproceedings`/`@misc`, with `eprint`,
 * `archivePrefix = {arXiv}` and `url` for arXiv papers. Field values are brace-delimited with
 * special characters escaped so the entry re-parses to the same field values.
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
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      default:
        out += ch;
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

/** One entry as BibTeX text, ending with a newline. Title casing is protected with an outer brace pair. */
export function toBibtex(p: Paper, eol = '\n'): string {
  const lines = bibtexFields(p).map(([name, value]) => {
    // each author escaped alone: braces must pair up within a name, or " and " would hide inside a group
    const escaped = name === 'url' || name === 'doi' ? value.replace(/[{}\\]/g, '') : name === 'author' ? p.authors.map(escapeBibtexValue).join(' and ') : escapeBibtexValue(value);
    return `  ${name} = {${name === 'title' ? `{${escaped}}` : escaped}}`;
  });
  return `@${entryTypeFor(p)}{${p.key},${eol}${lines.join(',' + eol)}${eol}}${eol}`;
}

/**
 * The text to append to an existing `.bib` file's contents so that `entry` follows it on its own
 * lines: the file's own line ending, a separating blank line, nothing removed.
 */
export function appendEntryText(existing: string, entry: string): string {
  const eol = /\r\n/.test(existing) ? '\r\n' : '\n';
  const body = entry.replace(/\r?\n/g, eol);
  if (!existing.length) return body;
  const sep = existing.endsWith(eol + eol) ? '' : existing.endsWith(eol) || existing.endsWith('\n') ? eol : eol + eol;
  return sep + body;
}
