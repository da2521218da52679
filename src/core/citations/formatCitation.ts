/** New citations written in a document's syntax: `\cite{a,b}`, `[@a; @b]`, `@a @b`, or a template. */
import { isPlainPandocKey, isPlainTypstLabel } from './keySyntax';
import { DocumentSyntax } from './languages';

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

/** A key as Pandoc writes it: `@key`, or `@{key}` when it holds characters a bare key cannot. */
export function pandocKey(key: string): string {
  return isPlainPandocKey(key) ? '@' + key : '@{' + key + '}';
}

/** A key as Typst writes it: `@key`, or `#cite(label("key"))` when it is not a plain label. */
export function typstKey(key: string): string {
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

/** The keys trimmed, without empty ones, non-strings and repeats, in their first order. */
export function uniqueKeys(keys: readonly string[]): string[] {
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
