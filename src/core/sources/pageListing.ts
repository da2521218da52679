/**
 * Reads a "page listing": text copied from a papers page (such as a trending-papers listing), where
 * each paper is a title line, a blank line, and an abstract paragraph. Page chrome ("Subscribe",
 * "Get trending papers in your email inbox!", dates, bylines) is skipped: a block counts as a title
 * only when it is a single short line followed by a paragraph long enough to be an abstract.
 */
import { assignKeys } from '../model/citationKey';
import { Diagnostic, SourceResult } from '../model/paper';

/** A paper read from a listing: title and abstract exactly as written, with the 1-based title line. */
export interface ListedPaper {
  title: string;
  abstract: string;
  line: number;
}

/** Minimum words for a block to count as an abstract. */
const MIN_ABSTRACT_WORDS = 25;
/** Maximum characters for a title line. */
const MAX_TITLE_CHARS = 300;

interface Block {
  lines: string[];
  line: number;
}

function blocks(text: string): Block[] {
  const out: Block[] = [];
  let cur: Block | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i].trim();
    if (!l) {
      cur = undefined;
      continue;
    }
    if (!cur) {
      cur = { lines: [], line: i + 1 };
      out.push(cur);
    }
    cur.lines.push(l);
  }
  return out;
}

/** Parses a listing into titles with abstracts, in order. Never throws. */
export function parsePageListing(text: string): { papers: ListedPaper[]; skipped: { line: number; text: string }[] } {
  const bs = blocks(text);
  const papers: ListedPaper[] = [];
  const skipped: { line: number; text: string }[] = [];
  for (let i = 0; i < bs.length; i++) {
    const b = bs[i];
    const next = bs[i + 1];
    const title = b.lines.length === 1 ? b.lines[0] : '';
    const abstract = next ? next.lines.join(' ') : '';
    if (title && title.length <= MAX_TITLE_CHARS && abstract.split(/\s+/).length >= MIN_ABSTRACT_WORDS) {
      papers.push({ title, abstract, line: b.line });
      i++;
    } else {
      skipped.push({ line: b.line, text: b.lines.join(' ').slice(0, 80) });
    }
  }
  return { papers, skipped };
}

/**
 * A listing as a library source. A listing names no authors or years, so keys come from the title
 * alone (see `citationKey.ts`), with a/b/c suffixes on clashes.
 */
export function readPageListing(text: string, source: string): SourceResult {
  const { papers } = parsePageListing(text);
  const diagnostics: Diagnostic[] = [];
  if (!papers.length && text.trim()) {
    diagnostics.push({ source, line: 1, column: 1, severity: 'warning', message: 'no "title, blank line, abstract" entries found in this listing' });
  }
  const keys = assignKeys(papers.map((p) => ({ title: p.title, authors: [] })), (p) => p.title);
  return {
    source,
    diagnostics,
    papers: papers.map((p, i) => ({
      key: keys[i],
      title: p.title,
      abstract: p.abstract,
      authors: [],
      source,
      range: { startLine: p.line - 1, startColumn: 0, endLine: p.line - 1, endColumn: p.title.length },
    })),
  };
}
