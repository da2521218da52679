/**
 * Which bibliography files a document names: LaTeX `\bibliography{a,b}` and `\addbibresource{x.bib}`
 * (also `\addglobalbib`, `\addsectionbib`), and Markdown YAML front matter `bibliography:` as a
 * string or a list. Returned as written (relative paths stay relative to the document).
 */
import { DocumentSyntax } from './languages';

/** One bibliography a document names, with the offset of the name in the text. */
export interface BibliographyReference {
  path: string;
  offset: number;
}

const LATEX_BIB = /\\(bibliography|addbibresource|addglobalbib|addsectionbib)\s*(?:\[[^\]]*\])?\s*\{([^}]*)\}/g;

function stripLatexComments(text: string): string {
  // blank out `%` comments (keeping offsets) unless the % is escaped
  return text.replace(/(^|[^\\])%[^\n]*/g, (m, pre: string) => pre + ' '.repeat(m.length - pre.length));
}

/** Bibliography files named by a LaTeX document. `\bibliography{refs}` means `refs.bib`. */
export function latexBibliographies(text: string): BibliographyReference[] {
  const out: BibliographyReference[] = [];
  const clean = stripLatexComments(text);
  for (const m of clean.matchAll(LATEX_BIB)) {
    const isBibtex = m[1] === 'bibliography';
    let offset = m.index! + m[0].indexOf('{') + 1;
    for (const part of m[2].split(',')) {
      const name = part.trim();
      if (name) out.push({ path: isBibtex && !/\.bib$/i.test(name) ? name + '.bib' : name, offset: offset + part.indexOf(name) });
      offset += part.length + 1;
    }
  }
  return out;
}

/** Bibliography files named in a Markdown document's YAML front matter (`bibliography:`). */
export function yamlBibliographies(text: string): BibliographyReference[] {
  const fm = /^(?:\uFEFF)?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  if (!fm) return [];
  const body = fm[1];
  const base = fm.index + fm[0].indexOf(body);
  const out: BibliographyReference[] = [];
  const lines = body.split('\n');
  let offset = base;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    const m = /^bibliography\s*:\s*(.*)$/.exec(line);
    if (m) {
      const value = m[1].trim();
      const valueOffset = offset + line.indexOf(m[1]);
      if (value.startsWith('[')) {
        const inner = value.replace(/^\[|\]$/g, '');
        let o = valueOffset + line.slice(line.indexOf(m[1])).indexOf(inner);
        for (const part of inner.split(',')) {
          const name = unquote(part.trim());
          if (name) out.push({ path: name, offset: o + part.indexOf(part.trim()) });
          o += part.length + 1;
        }
      } else if (value) {
        out.push({ path: unquote(value), offset: valueOffset });
      } else {
        // a YAML list on the following lines
        let o = offset + lines[i].length + 1;
        for (let j = i + 1; j < lines.length; j++) {
          const item = /^\s+-\s+(.*)$/.exec(lines[j].replace(/\r$/, ''));
          if (!item) break;
          out.push({ path: unquote(item[1].trim()), offset: o + lines[j].indexOf(item[1]) });
          o += lines[j].length + 1;
        }
      }
    }
    offset += lines[i].length + 1;
  }
  return out;
}

function unquote(s: string): string {
  return s.replace(/^(['"])(.*)\1$/, '$2').trim();
}

/** Bibliography files a document names, by syntax. */
export function documentBibliographies(text: string, syntax: DocumentSyntax): BibliographyReference[] {
  if (syntax === 'latex') return latexBibliographies(text);
  if (syntax === 'markdown') return yamlBibliographies(text);
  if (syntax === 'typst') {
    return [...text.matchAll(/#bibliography\(\s*"([^"]+)"/g)].map((m) => ({ path: m[1], offset: m.index! + m[0].indexOf('"') + 1 }));
  }
  return [];
}
