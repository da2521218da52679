/** Raw URLs in a document (`https://…`, `www.…`, `doi:10.…`): the lexers mark them as not prose. */
import { isSpace } from './characters';

/** The length of the prefix (`https://`, `www.` …) when a raw URL starts at `i`, else 0. */
export function urlPrefixLength(text: string, i: number): number {
  const c = text.charCodeAt(i) | 32;
  if (c === 104) { // h
    if (text.startsWith('https://', i) || text.startsWith('HTTPS://', i)) return 8;
    if (text.startsWith('http://', i) || text.startsWith('HTTP://', i)) return 7;
  } else if (c === 119) {
    if (text.startsWith('www.', i)) return 4;
  } else if (c === 102) {
    if (text.startsWith('ftp://', i)) return 6;
  } else if (c === 100) {
    if (text.startsWith('doi:10.', i)) return 4;
  }
  return 0;
}

/** Ends a raw URL: stops at whitespace, quotes, angle brackets; drops trailing punctuation. */
export function urlEnd(text: string, i: number, be: number): number {
  let j = i;
  let parens = 0;
  while (j < be) {
    const c = text.charCodeAt(j);
    if (isSpace(c) || c === 60 || c === 62 || c === 34 || c === 96) break;
    if (c === 40) parens++;
    else if (c === 41) { if (parens === 0) break; parens--; }
    else if (c === 93 || c === 125) break;
    j++;
  }
  while (j > i) {
    const c = text.charCodeAt(j - 1);
    if (c === 46 || c === 44 || c === 59 || c === 58 || c === 33 || c === 63 || c === 39) j--;
    else break;
  }
  return j;
}

