/**
 * The Markdown lexer (Pandoc, Quarto, R Markdown) and the plain-text reader: blocks first, then
 * the inline steps and the citations of each paragraph.
 */
import { CLASS_IGNORED, CLASS_PROSE, ParsedCitation } from './lexedDocument';
import { lexLatex } from './latexLexer';
import { markdownCitations } from './markdownCitations';
import { markdownCodeSpans, markdownLinksAndUrls, markdownMarkup, markdownMath } from './markdownInline';

/**
 * The Markdown lexer, line by line for blocks (front matter, fenced and indented code, HTML
 * comments), then paragraph by paragraph for inline code, links, URLs, math and citations.
 * `plain` runs only the URL, LaTeX-cite and bracketed-citation steps.
 */
export function lexMarkdown(text: string, mask: Uint8Array, cites: ParsedCitation[], n: number, plain: boolean): void {
  const blocks: number[] = [];
  const rawLatex: number[] = [];
  if (plain) splitParagraphs(text, n, blocks);
  else {
    markdownBlocks(text, mask, n, blocks, rawLatex);
    markHtmlComments(text, mask, n);
  }
  // raw LaTeX blocks (```{=latex}) are read as LaTeX: their \cite commands are citations
  for (let r = 0; r < rawLatex.length; r += 2) lexLatex(text, mask, cites, rawLatex[r], rawLatex[r + 1]);
  const scan = { next: -1 };
  for (let b = 0; b < blocks.length; b += 2) {
    const bs = blocks[b];
    const be = blocks[b + 1];
    if (!plain) markdownCodeSpans(text, mask, bs, be);
    markdownLinksAndUrls(text, mask, bs, be, plain);
    if (!plain) markdownMath(text, mask, bs, be);
    if (!plain) markdownMarkup(text, mask, bs, be);
    markdownCitations(text, mask, cites, bs, be, plain, scan);
  }
}

/** Paragraph ranges of plain text: runs of non-blank lines. */
function splitParagraphs(text: string, n: number, blocks: number[]): void {
  let pos = 0;
  let start = -1;
  let lastEnd = 0;
  while (pos <= n) {
    let le = text.indexOf('\n', pos);
    if (le < 0 || le > n) le = n;
    let blank = true;
    for (let k = pos; k < le; k++) { const c = text.charCodeAt(k); if (c !== 32 && c !== 9 && c !== 13) { blank = false; break; } }
    if (blank) { if (start >= 0) { blocks.push(start, lastEnd); start = -1; } }
    else { if (start < 0) start = pos; lastEnd = le; }
    pos = le + 1;
  }
  if (start >= 0) blocks.push(start, lastEnd);
}

/**
 * Fenced blocks whose content is prose, by the info string's engine: bookdown/R Markdown
 * `{block}`, `{block2}`, `{asis}` and the theorem and proof environments (`{theorem, name="…"}`).
 */
const PROSE_FENCE = /^\{\s*(?:block2?|asis|theorem|lemma|corollary|proposition|conjecture|definition|example|exercise|hypothesis|proof|remark|solution)\b/;
/** Raw LaTeX blocks: ```{=latex}, ```{=tex}. */
const RAW_LATEX_FENCE = /^\{\s*=\s*(?:latex|tex)\s*\}/;
/** A Pandoc fenced div line: `::: {.callout-note}`, `::: note`, `:::`. */
const DIV_FENCE = /^:{3,}/;
/** Attributes at the end of a heading: `# Introduction {#sec-intro .unnumbered}`. */
const HEADING_ATTRIBUTES = /\{[#.][^{}\n]*\}[ \t\r]*$/;
/** A footnote definition `[^label]: …` opens a block like a list item (indented lines continue it). */
const FOOTNOTE_DEFINITION = /^\[\^[^\]\s]+\]:/;

/**
 * Marks front matter and code blocks; collects paragraph ranges (headings, fenced-div lines,
 * list items and footnote definitions open their own) and raw LaTeX ranges.
 */
function markdownBlocks(text: string, mask: Uint8Array, n: number, blocks: number[], rawLatex: number[]): void {
  let pos = 0;
  // YAML front matter: '---' on the first line, closed by '---' or '...'
  if (text.startsWith('---')) {
    const first = text.indexOf('\n');
    if (first > 0 && /^---\s*$/.test(text.slice(0, first))) {
      const m = /^(?:---|\.\.\.)[ \t\r]*$/m.exec(text.slice(first + 1));
      if (m) {
        let end = first + 1 + m.index + m[0].length;
        mask.fill(CLASS_IGNORED, 0, end);
        if (end < n) end++;
        pos = end;
      }
    }
  }
  let fenceChar = 0;
  let fenceLen = 0;
  let fenceStart = 0;
  /** 0: a code fence; 1: a prose fence (its lines are paragraphs); 2: raw LaTeX. */
  let fenceKind = 0;
  let fenceContent = 0;
  let blockStart = -1;
  let blockEnd = 0;
  let prevBlank = true;
  let prevCode = false;
  let inList = false;
  const closeBlock = (): void => {
    if (blockStart >= 0) { blocks.push(blockStart, blockEnd); blockStart = -1; }
  };
  while (pos <= n) {
    let le = text.indexOf('\n', pos);
    if (le < 0 || le > n) le = n;
    // indentation
    let k = pos;
    let indent = 0;
    while (k < le) {
      const c = text.charCodeAt(k);
      if (c === 32) indent++;
      else if (c === 9) indent += 4 - (indent % 4);
      else break;
      k++;
    }
    let blank = true;
    for (let q = k; q < le; q++) if (text.charCodeAt(q) !== 13 && text.charCodeAt(q) !== 32 && text.charCodeAt(q) !== 9) { blank = false; break; }
    const c0 = k < le ? text.charCodeAt(k) : -1;
    if (fenceChar) {
      if (indent <= 3 && c0 === fenceChar) {
        let r = k;
        while (r < le && text.charCodeAt(r) === fenceChar) r++;
        let rest = r;
        while (rest < le && (text.charCodeAt(rest) === 32 || text.charCodeAt(rest) === 9 || text.charCodeAt(rest) === 13)) rest++;
        if (r - k >= fenceLen && rest === le) {
          if (fenceKind === 0) mask.fill(CLASS_IGNORED, fenceStart, le);
          else {
            closeBlock();
            mask.fill(CLASS_IGNORED, pos, le);
            if (fenceKind === 2) rawLatex.push(fenceContent, pos);
          }
          fenceChar = 0;
          prevBlank = true;
          pos = le + 1;
          continue;
        }
      }
      if (fenceKind !== 1) {
        pos = le + 1;
        continue;
      }
    }
    if (!blank && indent <= 3 && (c0 === 96 || c0 === 126) && !fenceChar) {
      let r = k;
      while (r < le && text.charCodeAt(r) === c0) r++;
      if (r - k >= 3 && !(c0 === 96 && text.slice(r, le).includes('`'))) {
        closeBlock();
        fenceChar = c0;
        fenceLen = r - k;
        fenceStart = pos;
        const info = text.slice(r, le).trim();
        fenceKind = PROSE_FENCE.test(info) ? 1 : RAW_LATEX_FENCE.test(info) ? 2 : 0;
        if (fenceKind !== 0) mask.fill(CLASS_IGNORED, pos, le);
        fenceContent = le + 1;
        prevBlank = fenceKind === 1;
        prevCode = false;
        pos = le + 1;
        continue;
      }
    }
    if (!blank && indent <= 3 && c0 === 58 && DIV_FENCE.test(text.slice(k, Math.min(le, k + 4)))) {
      // a fenced div's opening or closing line: its attributes are not prose; its content is
      closeBlock();
      mask.fill(CLASS_IGNORED, pos, le);
      prevBlank = true;
      prevCode = false;
      pos = le + 1;
      continue;
    }
    if (!blank && indent >= 4 && (prevBlank || prevCode) && !inList && blockStart < 0) {
      mask.fill(CLASS_IGNORED, pos, le);
      prevCode = true;
      prevBlank = false;
      pos = le + 1;
      continue;
    }
    prevCode = false;
    if (blank) {
      closeBlock();
      prevBlank = true;
      pos = le + 1;
      continue;
    }
    const head = text.slice(k, Math.min(le, k + 40));
    const listItem = indent <= 3 && (/^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/.test(head) || FOOTNOTE_DEFINITION.test(head));
    if (listItem) inList = true;
    else if (prevBlank && indent === 0) inList = false;
    const heading = indent <= 3 && c0 === 35 && /^#{1,6}(?:[ \t]|$)/.test(text.slice(k, Math.min(le, k + 8)));
    if (heading || listItem) closeBlock();
    if (blockStart < 0) blockStart = pos;
    blockEnd = le;
    if (heading) {
      const attrs = HEADING_ATTRIBUTES.exec(text.slice(k, le));
      if (attrs) mask.fill(CLASS_IGNORED, k + attrs.index, le);
      closeBlock();
    }
    prevBlank = false;
    pos = le + 1;
  }
  if (fenceChar && fenceKind === 0) mask.fill(CLASS_IGNORED, fenceStart, n);
  if (fenceChar && fenceKind === 2) rawLatex.push(fenceContent, n);
  closeBlock();
}

function markHtmlComments(text: string, mask: Uint8Array, n: number): void {
  let p = 0;
  for (;;) {
    const s = text.indexOf('<!--', p);
    if (s < 0 || s >= n) return;
    if (mask[s] !== CLASS_PROSE) { p = s + 4; continue; }
    let e = text.indexOf('-->', s + 4);
    e = e < 0 ? n : e + 3;
    for (let q = s; q < e; q++) if (mask[q] === CLASS_PROSE) mask[q] = CLASS_IGNORED;
    p = e;
  }
}

