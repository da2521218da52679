/** The languages Citelens reads citations in, and the citation syntax of each. */

/** The citation syntax of a document, chosen from its VS Code language id. */
export type DocumentSyntax = 'latex' | 'markdown' | 'typst' | 'plain';

const LATEX_LANGUAGES = new Set(['latex', 'tex', 'context', 'doctex', 'latex-expl3', 'rsweave', 'jlweave', 'pweave']);
const MARKDOWN_LANGUAGES = new Set(['markdown', 'quarto', 'rmd', 'rmarkdown', 'pandoc', 'mdx', 'pweave_md', 'markdown-math']);

/**
 * The citation syntax for a VS Code language id: `latex`/`tex` (and LaTeX dialects) → `latex`;
 * `markdown`, `quarto`, `rmd`, `rmarkdown` → `markdown`; `typst` → `typst`; anything else
 * (including `bibtex` and `plaintext`) → `plain`. Case-insensitive.
 */
export function syntaxForLanguage(languageId: string): DocumentSyntax {
  const id = (languageId ?? '').toLowerCase();
  if (LATEX_LANGUAGES.has(id)) return 'latex';
  if (MARKDOWN_LANGUAGES.has(id)) return 'markdown';
  if (id === 'typst') return 'typst';
  return 'plain';
}
