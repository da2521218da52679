/**
 * The inline steps of the Markdown lexer, run on each paragraph before its citations are read:
 * backslash escapes and code spans, links, autolinks, HTML tags and raw URLs, then math.
 */
import { isAsciiAlnum, isAsciiLetter, isSpace, isWordCode } from './characters';
import { braceKeyEnd, citeBoundaryBefore, isPandocInternal, isPandocRegChar, readPandocKey } from './keySyntax';
import { CLASS_COMMAND, CLASS_IGNORED, CLASS_MATH, CLASS_PROSE } from './lexedDocument';
import { urlPrefixLength, urlEnd } from './urls';

/** Backslash escapes and code spans (a run of N backticks closed by the next run of exactly N). */
export function markdownCodeSpans(text: string, mask: Uint8Array, bs: number, be: number): void {
  const runStart: number[] = [];
  const runLen: number[] = [];
  for (let i = bs; i < be; i++) {
    if (mask[i] !== CLASS_PROSE) continue;
    const c = text.charCodeAt(i);
    if (c === 92) {
      const d = text.charCodeAt(i + 1);
      if (i + 1 < be && d > 32 && d < 127 && !isAsciiAlnum(d)) {
        mask[i] = CLASS_COMMAND;
        mask[i + 1] = CLASS_COMMAND;
        i++;
      }
      continue;
    }
    if (c === 96) {
      let j = i;
      while (j < be && text.charCodeAt(j) === 96) j++;
      runStart.push(i);
      runLen.push(j - i);
      i = j - 1;
    }
  }
  if (runStart.length < 2) return;
  // next run of the same length, in O(runs)
  const nextSame = new Int32Array(runStart.length).fill(-1);
  const lastOfLen = new Map<number, number>();
  for (let r = runStart.length - 1; r >= 0; r--) {
    nextSame[r] = lastOfLen.get(runLen[r]) ?? -1;
    lastOfLen.set(runLen[r], r);
  }
  let spanEnd = -1;
  for (let r = 0; r < runStart.length; r++) {
    if (runStart[r] < spanEnd) continue;
    const q = nextSame[r];
    if (q < 0) continue;
    spanEnd = runStart[q] + runLen[q];
    mask.fill(CLASS_IGNORED, runStart[r], spanEnd);
  }
}

/** ASCII characters that may start something {@link markdownLinksAndUrls} handles. */
const LINK_SPECIAL = new Uint8Array(128);
for (const ch of '<]@[hHwWfFdD') LINK_SPECIAL[ch.charCodeAt(0)] = 1;

/** Matching parentheses of a paragraph (prose only, escapes skipped), in one pass: `(` offset → `)` offset. */
function matchParens(text: string, mask: Uint8Array, bs: number, be: number): Map<number, number> {
  const out = new Map<number, number>();
  const stack: number[] = [];
  for (let i = bs; i < be; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) { i++; continue; }
    if (mask[i] !== CLASS_PROSE) continue;
    if (c === 40) stack.push(i);
    else if (c === 41 && stack.length) out.set(stack.pop() as number, i);
  }
  return out;
}

/** Raw URLs, autolinks and HTML tags, link destinations `](…)`, reference definitions. */
export function markdownLinksAndUrls(text: string, mask: Uint8Array, bs: number, be: number, plain: boolean): void {
  let lineStart = true;
  let parens: Map<number, number> | undefined;
  for (let i = bs; i < be; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) { lineStart = true; continue; }
    if (!lineStart && c < 128 && LINK_SPECIAL[c] === 0) continue; // the common case: nothing to look at
    if (mask[i] !== CLASS_PROSE) { if (!isSpace(c)) lineStart = false; continue; }
    if (lineStart && !isSpace(c)) {
      lineStart = false;
      // reference definition: [label]: destination (a footnote definition [^n]: is prose)
      if (c === 91 && !plain && text.charCodeAt(i + 1) !== 94) {
        const m = /^\[[^[\]\n]{1,200}\]:[ \t]*\S/.exec(text.slice(i, Math.min(be, i + 260)));
        if (m) {
          let eol = text.indexOf('\n', i);
          if (eol < 0 || eol > be) eol = be;
          mask.fill(CLASS_IGNORED, i, eol);
          i = eol - 1;
          continue;
        }
      }
    }
    const u = i === 0 || !isWordCode(text.charCodeAt(i - 1)) ? urlPrefixLength(text, i) : 0;
    if (u) {
      const e = urlEnd(text, i + u, be);
      if (e > i + u) {
        mask.fill(CLASS_IGNORED, i, e);
        i = e - 1;
        continue;
      }
    }
    if (c === 64 && text.charCodeAt(i + 1) === 123) { i = braceKeyEnd(text, i, be) - 1; continue; } // @{key}
    if (plain) continue;
    if (c === 60) { // < autolink, HTML tag
      const d = text.charCodeAt(i + 1);
      if (isAsciiLetter(d) || d === 47 || d === 33 || d === 63) {
        let e = i + 1;
        const stop = Math.min(be, i + 1000);
        while (e < stop && text.charCodeAt(e) !== 62 && text.charCodeAt(e) !== 60) e++;
        if (e < stop && text.charCodeAt(e) === 62) {
          mask.fill(CLASS_IGNORED, i, e + 1);
          i = e;
        }
      }
      continue;
    }
    if (c === 93 && text.charCodeAt(i + 1) === 40) { // ](destination)
      parens ??= matchParens(text, mask, bs, be);
      const close = parens.get(i + 1) ?? -1;
      if (close > 0) {
        mask.fill(CLASS_IGNORED, i + 1, close + 1);
        i = close;
      }
    }
  }
}

/** Pandoc `$…$` (no space inside the delimiters, closing `$` not before a digit) and `$$…$$`. */
export function markdownMath(text: string, mask: Uint8Array, bs: number, be: number): void {
  for (let i = text.indexOf('$', bs); i >= 0 && i < be; i = text.indexOf('$', i + 1)) {
    if (mask[i] !== CLASS_PROSE) continue;
    if (text.charCodeAt(i + 1) === 36) {
      const close = text.indexOf('$$', i + 2);
      if (close < 0 || close + 2 > be) { i++; continue; }
      for (let p = i; p < close + 2; p++) if (mask[p] === CLASS_PROSE) mask[p] = CLASS_MATH;
      i = close + 1;
      continue;
    }
    const d = text.charCodeAt(i + 1);
    if (i + 1 >= be || isSpace(d)) continue;
    if (insideBareKey(text, mask, i, bs, be)) continue; // "@key$x" is a key, read first as Pandoc does
    const stop = Math.min(be, i + 2000);
    let close = -1;
    for (let j = i + 1; j < stop; j++) {
      const c = text.charCodeAt(j);
      if (c === 92) { j++; continue; }
      if (c === 36 && mask[j] === CLASS_PROSE) {
        if (!isSpace(text.charCodeAt(j - 1)) && !(text.charCodeAt(j + 1) >= 48 && text.charCodeAt(j + 1) <= 57)) close = j;
        break;
      }
    }
    if (close < 0) continue;
    for (let p = i; p <= close; p++) if (mask[p] === CLASS_PROSE) mask[p] = CLASS_MATH;
    i = close;
  }
}

/** Whether the `$` at `i` belongs to a bare `@key` that starts before it. */
function insideBareKey(text: string, mask: Uint8Array, i: number, bs: number, be: number): boolean {
  let k = i - 1;
  const floor = Math.max(bs, i - 200);
  while (k >= floor) {
    const c = text.charCodeAt(k);
    if (isPandocRegChar(c) || isPandocInternal(c)) k--;
    else break;
  }
  if (k < floor || text.charCodeAt(k) !== 64 || mask[k] !== CLASS_PROSE || !citeBoundaryBefore(text, k, bs)) return false;
  return readPandocKey(text, k + 1, be) > i;
}


/** Raw LaTeX commands in Markdown whose brace argument is not prose (bookdown writes `\index{…}`, `\label{…}`). */
const RAW_NONPROSE = /\\(?:index|label|ref|eqref|cref|Cref|autoref|pageref|nameref|url|href|includegraphics|input|include|gls|Gls|glspl|ac|acrshort|acrlong)\*?\{/g;

/**
 * What in a Markdown paragraph is markup rather than prose: bookdown references `\@ref(fig:x)`
 * and text references `(ref:label)`, attribute blocks `{#fig-x width=50%}` `{.smallcaps}`
 * `{=html}`, Quarto shortcodes `{{< … >}}`, and raw LaTeX references and index entries.
 */
export function markdownMarkup(text: string, mask: Uint8Array, bs: number, be: number): void {
  const para = text.slice(bs, be);
  const fill = (s: number, e: number): void => {
    for (let p = s; p < e; p++) if (mask[p] === CLASS_PROSE || mask[p] === CLASS_COMMAND) mask[p] = CLASS_IGNORED;
  };
  for (const m of para.matchAll(/\\@ref\([^()\n]{0,200}\)|\(ref:[^()\s]{1,100}\)|\{\{<[^\n]{0,500}?>\}\}|\{[#.=][^{}\n]{0,300}\}/g)) {
    const s = bs + m.index;
    if (m[0].startsWith('{') && !m[0].startsWith('{{') && mask[s] !== CLASS_PROSE) continue;
    fill(s, s + m[0].length);
  }
  for (const m of para.matchAll(RAW_NONPROSE)) {
    const s = bs + m.index;
    if (mask[s] !== CLASS_PROSE && mask[s] !== CLASS_COMMAND) continue;
    const open = s + m[0].length - 1;
    let depth = 0;
    let e = open;
    for (; e < be; e++) {
      const c = text.charCodeAt(e);
      if (c === 123) depth++;
      else if (c === 125 && --depth === 0) break;
      else if (c === 10 && e + 1 < be && text.charCodeAt(e + 1) === 10) break;
    }
    fill(s, Math.min(be, e + 1));
  }
}
