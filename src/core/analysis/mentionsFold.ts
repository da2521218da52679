/**
 * How the mention matcher reads characters: the same accent folding and word splitting for
 * library titles and for document text, and the hashes its tables are keyed by.
 */
import { foldAscii } from '../model/paper';

/** Folded form of a non-ASCII code unit: lower-case ASCII letters/digits, '' (separator) or null (invisible mark). */
const foldCache = new Map<number, string | null>();
const MARK_RE = /^\p{M}$/u;

export function foldUnit(c: number): string | null {
  let f = foldCache.get(c);
  if (f === undefined) {
    const ch = String.fromCharCode(c);
    if (MARK_RE.test(ch)) f = null;
    else {
      let s = '';
      try { s = foldAscii(ch).toLowerCase(); } catch { s = ''; }
      f = s.replace(/[^a-z0-9]/g, '');
    }
    foldCache.set(c, f);
  }
  return f;
}

export function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export const ASCII_RE = /^[\x00-\x7f]*$/;

/** ASCII character kinds for the tokenizer: 0 separator, 1 lower-case letter or digit, 2 upper-case letter. */
export const CHAR_KIND = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CHAR_KIND[c] = 1;
for (let c = 97; c <= 122; c++) CHAR_KIND[c] = 1;
for (let c = 65; c <= 90; c++) CHAR_KIND[c] = 2;

/** Whether the line after the newline at `i` is blank (a paragraph break). */
export function blankLineAfter(text: string, i: number, n: number): boolean {
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === 10) return true;
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return false;
}

/**
 * The normalised words of a title: accent-folded, lower case, split at anything that is not a
 * letter or digit ("Few-Shot" → "few", "shot"). Exported for tests.
 */
export function titleWords(title: string): string[] {
  if (ASCII_RE.test(title)) return title.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < title.length; i++) {
    const c = title.charCodeAt(i);
    if (c < 128) {
      if (isAsciiAlnum(c)) cur += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
      else if (cur) { out.push(cur); cur = ''; }
      continue;
    }
    const f = foldUnit(c);
    if (f === null) continue;
    if (f) cur += f;
    else if (cur) { out.push(cur); cur = ''; }
  }
  if (cur) out.push(cur);
  return out;
}

/** Marker stored in the word table for a hash shared by two words. */
export const COLLIDED = -2;

/** Hashes are kept to 30 bits so that V8 stores them as small integers (fast Map keys). */
export const HASH_MASK = 0x3fffffff;

export function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) & HASH_MASK;
  return h;
}
