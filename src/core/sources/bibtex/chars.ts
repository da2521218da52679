/** Character codes and character classes shared by the BibTeX reader's parts. */

// Character codes.
export const AT = 64, LBRACE = 123, RBRACE = 125, LPAREN = 40, RPAREN = 41, QUOTE = 34, HASH = 35,
  COMMA = 44, EQUALS = 61, PERCENT = 37, NL = 10, CR = 13, SPACE = 32, TAB = 9;

/** 1 for ASCII white space. */
export const WS = new Uint8Array(128);
for (const c of [SPACE, TAB, NL, CR, 11, 12]) WS[c] = 1;
/** 1 for ASCII characters that may appear in a type, field or macro name. */
export const NAME = new Uint8Array(128);
for (let c = 33; c < 127; c++) NAME[c] = 1;
for (const ch of '{}()",=#%\'@') NAME[ch.charCodeAt(0)] = 0;

export function isWs(c: number): boolean {
  return c < 128 && WS[c] === 1;
}
export function isNameChar(c: number): boolean {
  return c < 128 ? NAME[c] === 1 : c !== 0xa0 && c !== 0xfeff;
}

/** `s` without surrounding white space (the same string when there is none). */
export function trimWs(s: string): string {
  return s.length > 0 && (isWs(s.charCodeAt(0)) || isWs(s.charCodeAt(s.length - 1))) ? s.trim() : s;
}
