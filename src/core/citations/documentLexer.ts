/**
 * The one document lexer: {@link lexDocument} reads a LaTeX, Markdown (Pandoc, Quarto, R Markdown),
 * Typst or plain-text document once, classifying every character for the mention matcher and
 * finding its citations; {@link findCitations} lists their keys. Pure functions over the text,
 * no `vscode` import. Nothing here throws on odd input: an unterminated citation (the writer is
 * typing) is read as far as it goes.
 */
import { DocumentSyntax } from './languages';
import { LexedDocument, ParsedCitation } from './lexedDocument';
import { lexLatex } from './latexLexer';
import { lexMarkdown } from './markdownLexer';
import { lexTypst } from './typstLexer';

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
