/**
 * Citations in a Markdown paragraph: raw LaTeX cite commands, bracketed Pandoc citations
 * (`[see @a, p. 3; -@b]`, also unclosed while the writer types) and bare `@key`.
 */
import { BracketIndex } from './brackets';
import { isAsciiLetter, isSpace } from './characters';
import { braceKeyEnd, citeBoundaryBefore, readPandocKey } from './keySyntax';
import { isCiteCommandName, parseLatexCitation } from './latexLexer';
import { CLASS_COMMAND, CLASS_IGNORED, CLASS_PROSE, ParsedCitation, ParsedKey } from './lexedDocument';

/** Reads a Pandoc key after the `@` at `at`: `@key` or `@{key}`. */
function readMarkdownKeyAt(text: string, at: number, be: number): { start: number; end: number; key: string; stop: number } {
  if (text.charCodeAt(at + 1) === 123) {
    const stop = Math.min(be, at + 300);
    for (let j = at + 2; j < stop; j++) {
      const c = text.charCodeAt(j);
      if (c === 125) return { start: at + 2, end: j, key: text.slice(at + 2, j).trim() ? text.slice(at + 2, j) : '', stop: j + 1 };
      if (c === 10 || c === 123) break;
    }
    return { start: at + 1, end: at + 1, key: '', stop: at + 1 };
  }
  const e = readPandocKey(text, at + 1, be);
  return { start: at + 1, end: e, key: text.slice(at + 1, e), stop: e };
}

/**
 * Cross-reference prefixes of Quarto (`@fig-cars`, `@tbl-summary`, `@sec-intro`, `@eq-loss`,
 * theorem kinds, callouts) and pandoc-crossref (`@fig:cars`, `@sec:intro`). A key with one of
 * them, then `-` or `:`, names a figure, table or section of the document, not a work.
 */
const CROSSREF_PREFIXES = new Set([
  'fig', 'tbl', 'lst', 'sec', 'eq', 'thm', 'lem', 'cor', 'prp', 'cnj', 'def', 'exm', 'exr', 'sol', 'rem',
  'tip', 'nte', 'wrn', 'imp', 'cau',
]);

/** Whether a Pandoc key is a Quarto or pandoc-crossref cross-reference (`fig-cars`, `Fig-cars`, `sec:intro`). */
export function isCrossReference(key: string): boolean {
  const m = /^([a-z]{2,3}|[A-Z][a-z]{1,2})[-:]./.exec(key);
  return !!m && CROSSREF_PREFIXES.has(m[1].toLowerCase());
}

/** Finds the next `[`, `]` or `@{` (scanning in native code is much faster than a loop). */
const BRACKET_SCAN = /[[\]]|@\{/g;

/** LaTeX cite commands (raw TeX), bracketed Pandoc citations, then bare `@key`. */
export function markdownCitations(text: string, mask: Uint8Array, cites: ParsedCitation[], bs: number, be: number, plain: boolean, scan: { next: number }): void {
  // raw LaTeX cite commands
  let brackets: BracketIndex | undefined;
  for (let i = text.indexOf('\\', bs); i >= 0 && i < be; i = text.indexOf('\\', i + 1)) {
    if (mask[i] !== CLASS_PROSE && mask[i] !== CLASS_COMMAND) continue;
    if (mask[i] === CLASS_COMMAND && i > bs && mask[i - 1] === CLASS_COMMAND && text.charCodeAt(i - 1) === 92) continue;
    let j = i + 1;
    while (j < be && isAsciiLetter(text.charCodeAt(j))) j++;
    if (j === i + 1) continue;
    const name = text.slice(i + 1, j);
    if (!isCiteCommandName(name)) continue;
    brackets ??= new BracketIndex(text, text.length, false);
    const cit = parseLatexCitation(text, i, name, j, be, brackets);
    if (!cit) continue;
    cites.push(cit);
    mask.fill(CLASS_IGNORED, i, cit.end);
    i = cit.end - 1;
  }
  // brackets: match pairs with a stack, innermost pairs without nested brackets are candidates
  const stack: number[] = [];
  const nested: boolean[] = [];
  // the previous paragraph's scan may already have looked past this one
  BRACKET_SCAN.lastIndex = Math.max(bs, scan.next);
  while (scan.next < be) {
    const match = BRACKET_SCAN.exec(text);
    if (!match || match.index >= be) {
      scan.next = match ? match.index : text.length;
      break;
    }
    const i = match.index;
    const c = text.charCodeAt(i);
    if (c === 64) {
      if (mask[i] === CLASS_PROSE) BRACKET_SCAN.lastIndex = braceKeyEnd(text, i, be); // brackets inside @{…} are part of the key
      continue;
    }
    if (mask[i] !== CLASS_PROSE) continue;
    if (c === 91) {
      if (nested.length) nested[nested.length - 1] = true;
      stack.push(i);
      nested.push(false);
      continue;
    }
    if (!stack.length) continue;
    const open = stack.pop() as number;
    const hasNested = nested.pop() as boolean;
    if (hasNested) continue;
    const after = text.charCodeAt(i + 1);
    if (after === 40) continue; // [text](link)
    if (open > bs && text.charCodeAt(open - 1) === 94) continue; // ^[inline footnote]: its @keys are read as bare citations
    if (after === 58 && (open === bs || text.charCodeAt(open - 1) === 10)) continue; // [label]: definition
    const cit = bracketCitation(text, mask, open, i, true);
    if (cit) {
      if (cit.keys.some((k) => k.key)) cites.push(cit);
      mask.fill(CLASS_IGNORED, open, i + 1); // a bracket of cross-references only ([@fig-a; @fig-b]) is no prose either
    }
  }
  // unclosed '[@…' while typing: a citation up to the end of its line
  for (let s = 0; s < stack.length; s++) {
    const open = stack[s];
    const c1 = text.charCodeAt(open + 1);
    if (!(c1 === 64 || (c1 === 45 && text.charCodeAt(open + 2) === 64))) continue;
    if (mask[open] !== CLASS_PROSE || (open > bs && text.charCodeAt(open - 1) === 94)) continue;
    let stop = open + 1;
    while (stop < be && mask[stop] === CLASS_PROSE && text.charCodeAt(stop) !== 91 && text.charCodeAt(stop) !== 10) stop++;
    const cit = bracketCitation(text, mask, open, stop, false);
    if (cit && cit.keys.some((k) => k.key)) {
      cites.push(cit);
      mask.fill(CLASS_IGNORED, open, stop);
    }
  }
  if (plain) return;
  // bare @key
  for (let i = text.indexOf('@', bs); i >= 0 && i < be; i = text.indexOf('@', i + 1)) {
    if (mask[i] !== CLASS_PROSE || !citeBoundaryBefore(text, i, bs)) continue;
    const r = readMarkdownKeyAt(text, i, be);
    if (!r.key) continue;
    const start = i > bs && text.charCodeAt(i - 1) === 45 && mask[i - 1] === CLASS_PROSE ? i - 1 : i;
    if (isCrossReference(r.key)) {
      mask.fill(CLASS_IGNORED, start, r.stop);
      i = r.stop - 1;
      continue;
    }
    cites.push({
      start, end: r.stop, kind: 'pandoc-bare', terminated: true,
      keys: [{ key: r.key, start: r.start, end: r.end, marker: i, group: 0, item: 0 }],
      groups: [{ contentStart: i, contentEnd: r.stop, closed: true }],
      items: [{ start: start, end: r.stop }],
    });
    mask.fill(CLASS_IGNORED, start, r.stop);
    i = r.stop - 1;
  }
}

/**
 * A bracketed Pandoc citation `[…]` from `open` to `close` (the `]`, or the end when unclosed):
 * `;`-separated items, each with at most one `@key` after a boundary. Undefined when no item
 * holds a key.
 */
function bracketCitation(text: string, mask: Uint8Array, open: number, close: number, closed: boolean): ParsedCitation | undefined {
  const keys: ParsedKey[] = [];
  const items: { start: number; end: number }[] = [];
  let any = false;
  let itemStart = open + 1;
  for (let p = open + 1; p <= close; p++) {
    if (p < close && text.charCodeAt(p) === 64 && text.charCodeAt(p + 1) === 123) { p = braceKeyEnd(text, p, close) - 1; continue; }
    if (p < close && !(text.charCodeAt(p) === 59 && mask[p] === CLASS_PROSE)) continue;
    // item [itemStart, p)
    let s = itemStart;
    let e = p;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    const item = items.length;
    items.push({ start: s, end: e });
    for (let q = s; q < e; q++) {
      if (text.charCodeAt(q) !== 64 || mask[q] !== CLASS_PROSE) continue;
      if (!citeBoundaryBefore(text, q, s)) continue;
      const r = readMarkdownKeyAt(text, q, e);
      if (r.key && isCrossReference(r.key)) { any = true; break; } // [@fig-a]: the item is a cross-reference
      keys.push({ key: r.key, start: r.start, end: r.end, marker: q, group: 0, item });
      if (r.key) any = true;
      break;
    }
    itemStart = p + 1;
  }
  if (!any) return undefined;
  return {
    start: open, end: closed ? close + 1 : close, kind: 'pandoc', terminated: closed, keys,
    groups: [{ contentStart: open + 1, contentEnd: close, closed }], items,
  };
}
