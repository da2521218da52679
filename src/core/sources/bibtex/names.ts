/** BibTeX name lists → display names. */
import { COMMA, EQUALS, LBRACE, RBRACE, SPACE, WS, isWs, trimWs } from './chars';
import { latexToUnicode } from './latexToUnicode';

/**
 * Splits a raw BibTeX name list into display names: split on "and" at brace depth 0,
 * "Last, First" and "Last, Jr, First" → "First Last Jr", biblatex's `family=…, given=…`
 * understood, LaTeX decoded, braces removed, "others" dropped.
 *
 * One pass over the characters finds the separators, the commas of each name and whether the
 * name holds any markup, so plain names are only sliced and joined.
 *
 * @param decode false when the caller knows the list holds no LaTeX markup at all
 */
export function splitAuthors(raw: string, decode = true): string[] {
  const out: string[] = [];
  const n = raw.length;
  let depth = 0, start = 0, comma1 = -1, comma2 = -1, markup = false, equals = false;
  for (let i = 0; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === LBRACE) {
      depth++;
      markup = true;
    } else if (c === RBRACE) {
      if (depth > 0) depth--;
      markup = true;
    } else if (depth === 0 && c === COMMA) {
      if (comma1 < 0) comma1 = i;
      else if (comma2 < 0) comma2 = i;
    } else if (depth === 0 && c < 128 && WS[c] === 1) {
      // " and " (any case, any white space around it)
      if ((raw.charCodeAt(i + 1) | 0x20) === 97 && (raw.charCodeAt(i + 2) | 0x20) === 110 && (raw.charCodeAt(i + 3) | 0x20) === 100 &&
          i + 4 < n && isWs(raw.charCodeAt(i + 4))) {
        addName(out, raw, start, i, comma1, comma2, decode && markup, equals);
        i += 4;
        start = i + 1;
        comma1 = comma2 = -1;
        markup = equals = false;
      } else if (c !== SPACE || raw.charCodeAt(i + 1) === SPACE) markup = true; // white space to collapse
    } else if (c === EQUALS) equals = true;
    else if (c < 128 && (MARKUP[c] === 1 || ((c === 45 || c === 39) && raw.charCodeAt(i + 1) === c))) markup = true; // \ ~ $ ` -- ''
  }
  addName(out, raw, start, n, comma1, comma2, decode && markup, equals);
  return out;
}

/** ASCII characters that make a name need LaTeX decoding. */
const MARKUP = new Uint8Array(128);
for (const ch of '\\~$`') MARKUP[ch.charCodeAt(0)] = 1;

/**
 * Appends the display form of the name `raw[s..e)` ("Last, First" → "First Last"), given the
 * positions of its first two top-level commas.
 */
function addName(out: string[], raw: string, s: number, e: number, c1: number, c2: number, decode: boolean, equals: boolean): void {
  while (s < e && isWs(raw.charCodeAt(s))) s++;
  while (e > s && isWs(raw.charCodeAt(e - 1))) e--;
  if (e <= s) return;
  if (equals || decode) {
    pushName(out, raw.slice(s, e), decode || equals);
    return;
  }
  if (e - s === 6 && raw.slice(s, e).toLowerCase() === 'others') return;
  let display: string;
  if (c1 < 0) display = raw.slice(s, e);
  else {
    const last = trimSlice(raw, s, c1);
    const first = trimSlice(raw, (c2 < 0 ? c1 : c2) + 1, e);
    const jr = c2 < 0 ? '' : trimSlice(raw, c1 + 1, c2);
    display = first ? (last ? first + ' ' + last : first) : last;
    if (jr) display = display ? display + ' ' + jr : jr;
  }
  if (display.length > 0) out.push(display);
}

/** `raw[s..e)` without surrounding white space. */
function trimSlice(raw: string, s: number, e: number): string {
  while (s < e && isWs(raw.charCodeAt(s))) s++;
  while (e > s && isWs(raw.charCodeAt(e - 1))) e--;
  return raw.slice(s, e);
}

const NAME_PART_KEY = /^\s*(family|given|prefix|suffix|giveni|familyi|useprefix)\s*=/i;

/** Index of the first comma at brace depth 0 in `s` from `from`, or -1. */
function topLevelComma(s: string, from: number): number {
  const c0 = s.indexOf(',', from);
  if (c0 < 0) return -1;
  const b = s.indexOf('{', from);
  if (b < 0 || b > c0) return c0;
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LBRACE) depth++;
    else if (c === RBRACE) {
      if (depth > 0) depth--;
    } else if (c === COMMA && depth === 0) return i;
  }
  return -1;
}

/** Appends the display form of one raw name ("Last, First" → "First Last"). */
function pushName(out: string[], name: string, decode: boolean): void {
  const s = trimWs(name);
  if (s.length === 0 || (s.length === 6 && s.toLowerCase() === 'others')) return;
  const c1 = topLevelComma(s, 0);
  let display: string;
  if (c1 < 0) display = decode ? latexToUnicode(s) : s;
  else if (s.indexOf('=') >= 0 && NAME_PART_KEY.test(s)) {
    const named: Record<string, string> = {};
    let from = 0;
    for (;;) {
      const c = topLevelComma(s, from);
      const part = s.slice(from, c < 0 ? s.length : c);
      const eq = part.indexOf('=');
      if (eq > 0) named[part.slice(0, eq).trim().toLowerCase()] = latexToUnicode(part.slice(eq + 1));
      if (c < 0) break;
      from = c + 1;
    }
    display = [named.given, named.prefix, named.family, named.suffix].filter(Boolean).join(' ');
  } else {
    const c2 = topLevelComma(s, c1 + 1);
    let last = s.slice(0, c1);
    let first = c2 < 0 ? s.slice(c1 + 1) : s.slice(c2 + 1);
    let jr = c2 < 0 ? '' : s.slice(c1 + 1, c2);
    if (decode) {
      last = latexToUnicode(last);
      first = latexToUnicode(first);
      if (jr) jr = latexToUnicode(jr);
    } else {
      last = trimWs(last);
      first = trimWs(first);
      jr = trimWs(jr);
    }
    display = first ? (last ? first + ' ' + last : first) : last;
    if (jr) display = display ? display + ' ' + jr : jr;
  }
  if (display.length > 0) out.push(display);
}
