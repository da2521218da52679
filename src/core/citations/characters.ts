/** Character tests and whitespace scanning shared by the document lexers. Code units are UTF-16. */

/** Whether a code unit is an ASCII letter `A`–`Z`, `a`–`z`. */
export function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Whether a code unit is an ASCII letter or digit. */
export function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** 0 = unknown, 1 = letter/digit, 2 = not. For code units ≥ 128. */
const wordCache = new Uint8Array(65536);
const WORD_RE = /^[\p{L}\p{N}\p{M}]$/u;

/** Whether a UTF-16 code unit is a letter, digit or combining mark (Unicode-aware). */
export function isWordCode(c: number): boolean {
  if (c < 128) return isAsciiAlnum(c);
  if (c >= 0xd800 && c <= 0xdfff) return true; // astral letters: treat as word characters
  let v = wordCache[c];
  if (v === 0) {
    v = WORD_RE.test(String.fromCharCode(c)) ? 1 : 2;
    wordCache[c] = v;
  }
  return v === 1;
}

/** Whitespace as the lexers see it: space, tab, line feed, carriage return, form feed, no-break space. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 0xa0;
}

/** Whether a blank line starts at the newline at `i` (the next line holds only whitespace). */
export function blankLineAt(text: string, i: number, n: number): boolean {
  let j = i + 1;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 10) return true;
    if (c !== 32 && c !== 9 && c !== 13) return false;
    j++;
  }
  return true;
}

/** Skips spaces and tabs and at most one line break (never a blank line). */
export function skipInlineSpace(text: string, i: number, n: number): number {
  let newlines = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13) { i++; continue; }
    if (c === 10 && newlines === 0 && !blankLineAt(text, i, n)) { newlines++; i++; continue; }
    break;
  }
  return i;
}
