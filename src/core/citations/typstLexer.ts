/** The Typst lexer: comments, raw text, math, labels, `#function` names, `#cite(…)` and `@refs`. */
import { isAsciiAlnum, isAsciiLetter, isSpace, isWordCode } from './characters';
import { citeBoundaryBefore, isPandocRegChar, isTypstLabelChar, readTypstLabel } from './keySyntax';
import { CLASS_COMMAND, CLASS_COMMENT, CLASS_IGNORED, CLASS_MATH, ParsedCitation, ParsedKey } from './lexedDocument';
import { urlPrefixLength, urlEnd } from './urls';

/** ASCII characters that may start something the Typst lexer handles. */
const TYPST_SPECIAL = new Uint8Array(128);
for (const ch of '/`\\$<#@hHwWfFdD') TYPST_SPECIAL[ch.charCodeAt(0)] = 1;

/**
 * Lexes the whole text: classes into `mask`, citations into `cites`. An `@ref` to a label the
 * document defines (`= Intro <intro>`, `#figure(…) <fig-cars>`) is a cross-reference, not a citation.
 */
export function lexTypst(text: string, mask: Uint8Array, cites: ParsedCitation[], n: number): void {
  const labels = new Set<string>();
  const first = cites.length;
  lexTypstText(text, mask, cites, n, labels);
  if (!labels.size) return;
  let w = first;
  for (let r = first; r < cites.length; r++) {
    const c = cites[r];
    if (c.kind === 'typst-ref' && labels.has(c.keys[0]?.key)) continue;
    cites[w++] = c;
  }
  cites.length = w;
}

function lexTypstText(text: string, mask: Uint8Array, cites: ParsedCitation[], n: number, labels: Set<string>): void {
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 128 && TYPST_SPECIAL[c] === 0) { i++; continue; }
    if (c === 47) { // '/'
      const d = text.charCodeAt(i + 1);
      if (d === 47 && (i === 0 || text.charCodeAt(i - 1) !== 58)) {
        let e = text.indexOf('\n', i);
        if (e < 0) e = n;
        mask.fill(CLASS_COMMENT, i, e);
        i = e;
        continue;
      }
      if (d === 42) {
        let depth = 0;
        let j = i;
        while (j < n) {
          if (text.charCodeAt(j) === 47 && text.charCodeAt(j + 1) === 42) { depth++; j += 2; continue; }
          if (text.charCodeAt(j) === 42 && text.charCodeAt(j + 1) === 47) { depth--; j += 2; if (depth === 0) break; continue; }
          j++;
        }
        mask.fill(CLASS_COMMENT, i, Math.min(j, n));
        i = Math.min(j, n);
        continue;
      }
      i++;
      continue;
    }
    if (c === 96) { // raw
      let j = i;
      while (j < n && text.charCodeAt(j) === 96) j++;
      const len = j - i;
      if (len === 2) { mask.fill(CLASS_IGNORED, i, j); i = j; continue; }
      const fence = '`'.repeat(len);
      let e = text.indexOf(fence, j);
      e = e < 0 ? n : e + len;
      mask.fill(CLASS_IGNORED, i, e);
      i = e;
      continue;
    }
    if (c === 92) { // escape
      const d = text.charCodeAt(i + 1);
      mask[i] = CLASS_COMMAND;
      if (i + 1 < n && !isSpace(d)) mask[i + 1] = CLASS_COMMAND;
      i += 2;
      continue;
    }
    if (c === 36) { // math
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92) { j += 2; continue; }
        if (d === 36) break;
        j++;
      }
      const e = Math.min(n, j + 1);
      mask.fill(CLASS_MATH, i, e);
      i = e;
      continue;
    }
    if (c === 60) { // <label>
      let j = i + 1;
      while (j < n && isTypstLabelChar(text.charCodeAt(j))) j++;
      if (j > i + 1 && text.charCodeAt(j) === 62) { labels.add(text.slice(i + 1, j)); mask.fill(CLASS_IGNORED, i, j + 1); i = j + 1; continue; }
      i++;
      continue;
    }
    if (c === 35 && isAsciiLetter(text.charCodeAt(i + 1))) { // #function
      let j = i + 1;
      while (j < n) { const d = text.charCodeAt(j); if (isAsciiAlnum(d) || d === 45 || d === 95 || d === 46) j++; else break; }
      const name = text.slice(i + 1, j);
      if (name === 'cite' && text.charCodeAt(j) === 40) {
        const cit = typstCite(text, i, j, n);
        cites.push(cit);
        mask.fill(CLASS_IGNORED, i, cit.end);
        i = Math.max(cit.end, i + 1);
        continue;
      }
      if (name === 'link' || name === 'image' || name === 'include' || name === 'import' || name === 'bibliography' || name === 'set' || name === 'show' || name === 'let') {
        // arguments are not prose: up to the end of the call or of the line
        let e = j;
        if (text.charCodeAt(j) === 40) { const close = findTypstClose(text, j, n); e = close > 0 ? close + 1 : j; }
        else { const eol = text.indexOf('\n', j); e = name === 'link' || name === 'image' ? j : eol < 0 ? n : eol; }
        mask.fill(CLASS_IGNORED, i, e);
        i = Math.max(e, j);
        continue;
      }
      mask.fill(CLASS_COMMAND, i, j);
      i = j;
      continue;
    }
    if (c === 64 && citeBoundaryBefore(text, i, 0) && text.charCodeAt(i - 1) !== 45) { // @ref
      const e = readTypstLabel(text, i + 1, n);
      if (e > i + 1 && isPandocRegChar(text.charCodeAt(i + 1))) {
        cites.push({
          start: i, end: e, kind: 'typst-ref', terminated: true,
          keys: [{ key: text.slice(i + 1, e), start: i + 1, end: e, marker: i, group: 0, item: 0 }],
          groups: [{ contentStart: i, contentEnd: e, closed: true }],
        });
        mask.fill(CLASS_IGNORED, i, e);
        i = e;
        continue;
      }
      i++;
      continue;
    }
    const u = i === 0 || !isWordCode(text.charCodeAt(i - 1)) ? urlPrefixLength(text, i) : 0;
    if (u) {
      const e = urlEnd(text, i + u, n);
      mask.fill(CLASS_IGNORED, i, e);
      i = Math.max(e, i + 1);
      continue;
    }
    i++;
  }
}

/** The `)` closing the `(` at `j` in Typst code, skipping string literals; -1 when not on this line. */
function findTypstClose(text: string, j: number, n: number): number {
  let depth = 0;
  const stop = Math.min(n, j + 2000);
  for (let k = j; k < stop; k++) {
    const c = text.charCodeAt(k);
    if (c === 34) { // "string"
      k++;
      while (k < stop && text.charCodeAt(k) !== 34 && text.charCodeAt(k) !== 10) { if (text.charCodeAt(k) === 92) k++; k++; }
      continue;
    }
    if (c === 40) depth++;
    else if (c === 41) { if (--depth === 0) return k; }
    else if (c === 10) return -1;
  }
  return -1;
}

/** Reads `#cite(<a>)`, `#cite(label("a"))` or the old `#cite("a", "b")` at `i`; `j` is the `(`. */
function typstCite(text: string, i: number, j: number, n: number): ParsedCitation {
  let close = findTypstClose(text, j, n);
  const closed = close > 0;
  if (!closed) {
    const eol = text.indexOf('\n', j);
    close = eol < 0 ? n : eol;
  }
  const keys: ParsedKey[] = [];
  const body = text.slice(j + 1, close);
  const re = /<([^<>\s]*)>?|label\(\s*"([^"\n]*)"?|"([^"\n]*)"?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(body))) {
    if (m[0].startsWith('label(')) {
      const s = j + 1 + m.index + m[0].indexOf('"') + 1;
      keys.push({ key: m[2], start: s, end: s + m[2].length, marker: -1, group: 0, item: keys.length });
    } else if (m[1] !== undefined) {
      const s = j + 1 + m.index + 1;
      keys.push({ key: m[1], start: s, end: s + m[1].length, marker: -1, group: 0, item: keys.length });
    } else if (m[3] !== undefined && !/:\s*$/.test(body.slice(0, m.index))) {
      const s = j + 1 + m.index + 1;
      keys.push({ key: m[3], start: s, end: s + m[3].length, marker: -1, group: 0, item: keys.length });
    }
  }
  return {
    start: i, end: closed ? close + 1 : close, command: 'cite', kind: 'typst-cite', terminated: closed, keys,
    groups: [{ contentStart: j + 1, contentEnd: close, closed }],
  };
}
