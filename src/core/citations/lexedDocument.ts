/**
 * What the document lexers produce: one class per character of the text (prose, math, comment,
 * code, command …) for the mention matcher, and the citations with their keys and groups.
 */

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
 * One citation as a lexer read it: what `findCitations`, the cite context and the mention matcher
 * are built from.
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
