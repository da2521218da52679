/**
 * How citation keys are written in Pandoc Markdown (`@key`, `@{odd key}`) and Typst (`@label`):
 * which characters a key holds, where a bare `@` may start a citation, and whether a key can be
 * written bare. Shared by the lexers and by the code that writes citations.
 */
import { isAsciiAlnum, isSpace, isWordCode } from './characters';

/** Pandoc's "regular" key character: a letter, digit or `_`. */
export function isPandocRegChar(c: number): boolean {
  return c === 95 || (c < 128 ? isAsciiAlnum(c) : c < 0xd800 || c > 0xdfff ? isWordCode(c) : false);
}

/** Pandoc's internal key punctuation `:.#$%&-+?<>~/`. */
export function isPandocInternal(c: number): boolean {
  switch (c) {
    case 58: case 46: case 35: case 36: case 37: case 38: case 45: case 43: case 63: case 60: case 62: case 126: case 47:
      return true;
  }
  return false;
}

/** Reads a Pandoc citation key starting at `i`; returns its end (== i when there is none). */
export function readPandocKey(text: string, i: number, n: number): number {
  if (i >= n || !isPandocRegChar(text.charCodeAt(i))) return i;
  let j = i + 1;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (isPandocRegChar(c)) { j++; continue; }
    const d = j + 1 < n ? text.charCodeAt(j + 1) : -1;
    if (isPandocInternal(c) && d >= 0 && isPandocRegChar(d)) { j += 2; continue; }
    if ((c === 58 || c === 47) && d === 47) { j++; continue; }
    break;
  }
  return j;
}

/** Whether `key` can be written `@key` in Pandoc Markdown (else it needs `@{key}`). */
export function isPlainPandocKey(key: string): boolean {
  return key.length > 0 && readPandocKey(key, 0, key.length) === key.length;
}

/** Typst label character: letter, digit, `_`, `-`, `.`, `:`. */
export function isTypstLabelChar(c: number): boolean {
  return c === 95 || c === 45 || c === 46 || c === 58 || (c < 128 ? isAsciiAlnum(c) : isWordCode(c));
}

/** Reads a Typst reference label at `i` (trailing `.`/`:` excluded); returns its end. */
export function readTypstLabel(text: string, i: number, n: number): number {
  let j = i;
  while (j < n && isTypstLabelChar(text.charCodeAt(j))) j++;
  while (j > i && (text.charCodeAt(j - 1) === 46 || text.charCodeAt(j - 1) === 58)) j--;
  return j;
}

/** Whether `key` can be written `@key` in Typst (else it needs `#cite(label("key"))`). */
export function isPlainTypstLabel(key: string): boolean {
  return key.length > 0 && readTypstLabel(key, 0, key.length) === key.length && isPandocRegChar(key.charCodeAt(0));
}

/** Characters after which a bare `@` starts a citation (not an e-mail address or a handle in a URL). */
export function citeBoundaryBefore(text: string, at: number, floor: number): boolean {
  if (at <= floor) return true;
  const c = text.charCodeAt(at - 1);
  if (isSpace(c)) return true;
  switch (c) {
    case 91: case 40: case 123: case 59: case 44: case 34: case 39: case 62: case 124:
    case 0x201c: case 0x2018: case 0xab: case 0x2014: case 0x2013:
      return true;
    case 42: case 95: case 126: { // emphasis opening a word: "*@key*", "__@key__", but not "a_@b" or "]_@b"
      let k = at - 1;
      while (k > floor && (text.charCodeAt(k - 1) === 42 || text.charCodeAt(k - 1) === 95 || text.charCodeAt(k - 1) === 126)) k--;
      if (k <= floor) return true;
      const p = text.charCodeAt(k - 1);
      return isSpace(p) || p === 91 || p === 40 || p === 34 || p === 39;
    }
    case 45: // '-@key' suppresses the author: the '-' itself must follow a boundary
      return at - 1 <= floor || isSpace(text.charCodeAt(at - 2)) || text.charCodeAt(at - 2) === 91 || text.charCodeAt(at - 2) === 59 || text.charCodeAt(at - 2) === 40;
  }
  return false;
}

/** The end of `@{…}` at `at` (after the `}`), or `at + 1` when it is not closed on its line. */
export function braceKeyEnd(text: string, at: number, be: number): number {
  const stop = Math.min(be, at + 300);
  for (let j = at + 2; j < stop; j++) {
    const c = text.charCodeAt(j);
    if (c === 125) return j + 1;
    if (c === 10 || c === 123) break;
  }
  return at + 1;
}
