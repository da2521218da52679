/**
 * What a whole document is about, as context for a paragraph's related papers: its title
 * (`\title{…}` in LaTeX, `title:` in the YAML front matter of Markdown, Quarto and R Markdown, or
 * a Pandoc `% Title` line). On ACM-CR, the citing paper's title beside the paragraph added a
 * tenth to recall@10 (bench/relatedBench.ts).
 */
import { stripLatex } from '../text/markup';

const LATEX_TITLE = /\\title\s*(?:\[[^\]]*\])?\s*\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}/;

/** The document's title, markup stripped, or undefined. */
export function documentTitle(text: string, syntax: 'latex' | 'markdown' | 'plain' | string): string | undefined {
  if (syntax === 'latex') {
    const m = LATEX_TITLE.exec(text);
    const t = m && stripLatex(m[1]).replace(/\s+/g, ' ').trim();
    return t || undefined;
  }
  const front = /^(?:\uFEFF)?---\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)\s*(?:\r?\n|$)/.exec(text);
  if (front) {
    const m = /^title\s*:\s*(.+)$/m.exec(front[1]);
    if (m) {
      const t = m[1].trim().replace(/^(['"])(.*)\1$/, '$2').trim();
      if (t && !/^[|>]/.test(t)) return t;
    }
  }
  const pandoc = /^%[ \t]+(.+)$/.exec(text.split(/\r?\n/, 1)[0] ?? '');
  return pandoc ? pandoc[1].trim() || undefined : undefined;
}
