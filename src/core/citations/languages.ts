/**
 * The one table of the languages Citelens knows: the citation syntax each VS Code language id is
 * read with, which languages Citelens serves, and the file extensions its documents have on disk
 * (for files that are not open). `package.json` cannot import this table: its activation events
 * and `editorLangId` clauses are held to it by `test/unit/languages.test.ts`.
 */

/** The citation syntax of a document, chosen from its VS Code language id. */
export type DocumentSyntax = 'latex' | 'markdown' | 'typst' | 'plain';

/**
 * What Citelens does for a language:
 * - `document`: everything. It activates for the language, reads citations and the bibliographies
 *   a document names, finds references, shows diagnostics and binds its keys.
 * - `editor`: only what the writer asks for in the editor (hover, completion, Search and Cite).
 *   Plain text: too common to activate for, and most of it is not writing that cites.
 * - `syntax`: dialects Citelens does not serve in the editor, but reads with the right syntax when
 *   their text is given to it.
 */
type Role = 'document' | 'editor' | 'syntax';

interface Language {
  /** The VS Code language id, lower case. */
  id: string;
  syntax: DocumentSyntax;
  role: Role;
  /** File extensions as spelled on disk: the workspace search glob is case-sensitive. */
  extensions?: readonly string[];
}

const LANGUAGES: readonly Language[] = [
  { id: 'latex', syntax: 'latex', role: 'document', extensions: ['tex', 'ltx'] },
  { id: 'tex', syntax: 'latex', role: 'document' },
  { id: 'markdown', syntax: 'markdown', role: 'document', extensions: ['md', 'markdown'] },
  { id: 'quarto', syntax: 'markdown', role: 'document', extensions: ['qmd'] },
  { id: 'rmd', syntax: 'markdown', role: 'document', extensions: ['rmd', 'Rmd'] },
  { id: 'rmarkdown', syntax: 'markdown', role: 'document' },
  { id: 'pandoc', syntax: 'markdown', role: 'document' },
  { id: 'typst', syntax: 'typst', role: 'document', extensions: ['typ'] },
  { id: 'plaintext', syntax: 'plain', role: 'editor' },
  // Neovim's filetype for plain TeX (`.tex` files without LaTeX markers); VS Code has no such language
  { id: 'plaintex', syntax: 'latex', role: 'syntax' },
  { id: 'context', syntax: 'latex', role: 'syntax' },
  { id: 'doctex', syntax: 'latex', role: 'syntax' },
  { id: 'latex-expl3', syntax: 'latex', role: 'syntax' },
  { id: 'rsweave', syntax: 'latex', role: 'syntax' },
  { id: 'jlweave', syntax: 'latex', role: 'syntax' },
  { id: 'pweave', syntax: 'latex', role: 'syntax' },
  { id: 'mdx', syntax: 'markdown', role: 'syntax' },
  { id: 'pweave_md', syntax: 'markdown', role: 'syntax' },
  { id: 'markdown-math', syntax: 'markdown', role: 'syntax' },
];

const SYNTAX_OF_LANGUAGE = new Map(LANGUAGES.map((l) => [l.id, l.syntax]));

const LANGUAGE_OF_EXTENSION = new Map(LANGUAGES.flatMap((l) => (l.extensions ?? []).map((e) => [e.toLowerCase(), l.id] as const)));

/** Language ids of the documents Citelens reads: citations, bibliographies, references, diagnostics. */
export const DOCUMENT_LANGUAGES: ReadonlySet<string> = new Set(LANGUAGES.filter((l) => l.role === 'document').map((l) => l.id));

/** Language ids whose editors Citelens serves: its documents, and plain text on request. */
export const EDITOR_LANGUAGES: ReadonlySet<string> = new Set(LANGUAGES.filter((l) => l.role !== 'syntax').map((l) => l.id));

/** A workspace glob matching every file with a document language's extension. */
export const DOCUMENT_GLOB = `**/*.{${LANGUAGES.flatMap((l) => (l.role === 'document' ? l.extensions ?? [] : [])).join(',')}}`;

/**
 * The citation syntax for a VS Code language id: `latex`/`tex` (and LaTeX dialects) → `latex`;
 * `markdown`, `quarto`, `rmd`, `rmarkdown` → `markdown`; `typst` → `typst`; anything else
 * (including `bibtex` and `plaintext`) → `plain`. Case-insensitive.
 */
export function syntaxForLanguage(languageId: string): DocumentSyntax {
  return (typeof languageId === 'string' && SYNTAX_OF_LANGUAGE.get(languageId.toLowerCase())) || 'plain';
}

/**
 * The language id of a document file from its extension (without the dot, any case): `tex` →
 * `latex`, `qmd` → `quarto`, `Rmd` → `rmd`, `typ` → `typst`. Undefined for any other extension.
 */
export function languageOfExtension(extension: string): string | undefined {
  return typeof extension === 'string' ? LANGUAGE_OF_EXTENSION.get(extension.toLowerCase()) : undefined;
}
