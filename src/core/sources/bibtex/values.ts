/**
 * The BibTeX scanner's value reading: the fast path for the common shape of an entry body, and
 * values (`{…}`, `"…"`, numbers, macros, `#`) for the general path, with brace and quote matching
 * by native `indexOf` jumps.
 */
import { COMMA, EQUALS, HASH, LBRACE, NAME, NL, QUOTE, RBRACE, WS, isNameChar } from './chars';
import { R_ABSTRACT, R_AUTHOR, R_CROSSREF, R_TITLE, internName, roleOf, spanIs, spansEqual } from './fieldTable';
import { ScanState } from './scanState';

/** The month macros every BibTeX style defines. */
const MONTHS = new Map<string, string>([
  ['jan', 'January'], ['feb', 'February'], ['mar', 'March'], ['apr', 'April'], ['may', 'May'],
  ['jun', 'June'], ['jul', 'July'], ['aug', 'August'], ['sep', 'September'], ['oct', 'October'],
  ['nov', 'November'], ['dec', 'December'],
]);

/** The value reader of the scanner (see {@link ScanState}). */
export class ValueScanner extends ScanState {
  protected lookupMacro(name: string): string | undefined {
    return this.macros.get(name) ?? this.external?.get(name) ?? MONTHS.get(name);
  }

  /**
   * The fast path for the common shape of an entry body: `name = {value}`, `name = "value"`,
   * `name = 2020` or `name = macro`, separated by commas, closed by `}`. Starts after the key's
   * comma; appends to `fl` and returns the end of the entry (after its `}`), or -1 as soon as
   * anything else appears (then the general path reads the entry again and reports problems).
   */
  protected fast(j: number, from: number): number {
    const t = this.text, n = this.n;
    let o = this.nextOpen, cl = this.nextClose, q = this.nextQuote, a = this.nextAt;
    let nf = 0;
    let result = -1;
    let mask = 0;
    // lines are counted here as the newlines go by (cheaper than finding them again later)
    this.lineOf(j);
    let line = this.curLine, lineStart = this.curLineStart;
    fields: for (;;) {
      let c = 0;
      while (j < n) {
        c = t.charCodeAt(j);
        if (c > 32 || WS[c] === 0) break;
        if (c === NL) {
          line++;
          lineStart = j + 1;
        }
        j++;
      }
      if (j >= n) break;
      if (c === RBRACE) {
        result = j + 1;
        break;
      }
      const ns = j;
      let h = 0;
      while (j < n) {
        c = t.charCodeAt(j);
        if (c < 128 ? NAME[c] === 0 : !isNameChar(c)) break;
        h = (Math.imul(h, 31) + (c | 32)) & 0x3fffffff;
        j++;
      }
      if (j === ns) break;
      const ne = j;
      const role = roleOf(t, ns, ne, h);
      while (j < n) {
        c = t.charCodeAt(j);
        if (c > 32 || WS[c] === 0) break;
        if (c === NL) {
          line++;
          lineStart = j + 1;
        }
        j++;
      }
      if (c !== EQUALS) break;
      j++;
      while (j < n) {
        c = t.charCodeAt(j);
        if (c > 32 || WS[c] === 0) break;
        if (c === NL) {
          line++;
          lineStart = j + 1;
        }
        j++;
      }
      // the value: one part, or several joined by `#`
      const lineBefore = line;
      let vs = -1, ve = 0;
      let joined: string | undefined;
      let parts = 0;
      for (;;) {
        let ps = -1, pe = 0;
        let pm: string | undefined;
        if (c === LBRACE) {
          let depth = 0, k = j + 1;
          // short values are closed within a few characters: look at them directly
          // (titles, authors and abstracts are long: straight to the brace cursors)
          const lim = role === R_TITLE || role === R_AUTHOR || role === R_ABSTRACT ? k : j + 64 < n ? j + 64 : n;
          let shortLines = 0, shortStart = 0, jumped = false;
          while (k < lim) {
            const d = t.charCodeAt(k);
            if (d === RBRACE || d === LBRACE) break;
            if (d === NL) {
              shortLines++;
              shortStart = k + 1;
            }
            k++;
          }
          if (k < lim && t.charCodeAt(k) === RBRACE) {
            k++;
            if (shortLines > 0) {
              line += shortLines;
              lineStart = shortStart;
            }
          } else for (k = j, jumped = true; ;) {
            if (o < k) {
              o = t.charCodeAt(k) === LBRACE ? k : t.indexOf('{', k);
              if (o < 0) o = n;
            }
            if (cl < k) {
              cl = t.charCodeAt(k) === RBRACE ? k : t.indexOf('}', k);
              if (cl < 0) cl = n;
            }
            if (o < cl) {
              depth++;
              k = o + 1;
            } else {
              if (cl >= n) break;
              k = cl + 1;
              if (--depth === 0) break;
            }
          }
          if (depth !== 0) break fields;
          ps = j + 1;
          pe = k - 1;
          j = k;
          if (jumped) {
            // the value was crossed by jumps: count its newlines (usually there are none)
            for (let p = t.indexOf('\n', ps); p !== -1 && p < pe; p = t.indexOf('\n', p + 1)) {
              line++;
              lineStart = p + 1;
            }
          }
        } else if (c === QUOTE) {
          let depth = 0, k = j + 1, ok = false;
          for (;;) {
            if (q < k) {
              q = t.indexOf('"', k);
              if (q < 0) q = n;
            }
            if (o < k) {
              o = t.indexOf('{', k);
              if (o < 0) o = n;
            }
            if (cl < k) {
              cl = t.indexOf('}', k);
              if (cl < 0) cl = n;
            }
            if (q < o && q < cl) {
              k = q + 1;
              if (depth === 0) {
                ok = true;
                break;
              }
            } else if (o < cl) {
              depth++;
              k = o + 1;
            } else {
              if (cl >= n || --depth < 0) break;
              k = cl + 1;
            }
          }
          if (!ok) break fields;
          ps = j + 1;
          pe = k - 1;
          j = k;
          for (let p = t.indexOf('\n', ps); p !== -1 && p < pe; p = t.indexOf('\n', p + 1)) {
            line++;
            lineStart = p + 1;
          }
        } else if (c >= 48 && c <= 57) {
          ps = j;
          while (j < n) {
            const d = t.charCodeAt(j);
            if (d < 48 || d > 57) break;
            j++;
          }
          pe = j;
          // a token that starts with a digit but is not a number is a macro: general path
          if (j < n && isNameChar(t.charCodeAt(j))) break fields;
        } else if (c < 128 && NAME[c] === 1) {
          const s = j;
          while (j < n && isNameChar(t.charCodeAt(j))) j++;
          const m = this.lookupMacro(internName(t, s, j));
          if (m === undefined) break fields;
          pm = m;
        } else break fields;
        if (parts === 0) {
          if (pm === undefined) {
            vs = ps;
            ve = pe;
          } else joined = pm;
        } else {
          joined = (joined ?? t.slice(vs, ve)) + (pm ?? t.slice(ps, pe));
        }
        parts++;
        while (j < n) {
          c = t.charCodeAt(j);
          if (c > 32 || WS[c] === 0) break;
          if (c === NL) {
            line++;
            lineStart = j + 1;
          }
          j++;
        }
        if (c !== HASH) break;
        j++;
        while (j < n) {
          c = t.charCodeAt(j);
          if (c > 32 || WS[c] === 0) break;
          if (c === NL) {
            line++;
            lineStart = j + 1;
          }
          j++;
        }
      }
      if (joined !== undefined) {
        vs = -1;
        ve = this.ff.expanded.push(joined) - 1;
      }
      // a line that starts a new entry inside the value means an unbalanced brace: general path
      // (only a value that spans lines can hold one)
      if (line !== lineBefore) {
        if (a < ns) {
          a = t.indexOf('@', ns);
          if (a < 0) a = n;
        }
        if (a < j && this.lineStartEntryAt(a)) break;
      }
      // duplicate field names go to the general path, which reports them
      const bit = 1 << (h & 31);
      if ((mask & bit) !== 0 || nf > 64) {
        let dup = nf > 64;
        const sp = this.ff.spans;
        for (let k = from; k < this.nSpans && !dup; k += 4) if (spansEqual(t, sp[k], sp[k + 1], ns, ne)) dup = true;
        if (dup) break;
      }
      mask |= bit;
      if (ne - ns === 9 && t.charCodeAt(ns) === 95 && spanIs(t, ns, ne, '__proto__')) break;
      if (role === R_CROSSREF) this.hasCrossref = true;
      this.pushSpan(ns, ne, vs, ve, role);
      nf++;
      while (j < n) {
        c = t.charCodeAt(j);
        if (c > 32 || WS[c] === 0) break;
        if (c === NL) {
          line++;
          lineStart = j + 1;
        }
        j++;
      }
      if (c === COMMA) {
        j++;
        continue;
      }
      if (c === RBRACE) result = j + 1;
      break;
    }
    if (result >= 0) {
      // every newline before the end of the entry is counted
      this.curLine = line;
      this.curLineStart = lineStart;
      this.counted = result;
      this.nextNl = -2;
    }
    this.nextOpen = o;
    this.nextClose = cl;
    this.nextQuote = q;
    this.nextAt = a;
    this.nf = nf;
    return result;
  }

  /**
   * Reads a value (`{...}`, `"..."`, a number or a macro, joined by `#`) starting at `j` for the
   * field `field`. Returns the raw value and sets {@link valueEnd}, or returns undefined with
   * {@link failAt}/{@link failMessage} set.
   */
  protected value(j: number, field: string, close: number): string | undefined {
    const t = this.text, n = this.n;
    let result = '';
    let parts = 0;
    for (;;) {
      j = this.skipWs(j);
      if (j >= n) {
        this.failAt = j;
        this.failMessage = `unexpected end of file in the value of field '${field}'`;
        return undefined;
      }
      const c = t.charCodeAt(j);
      let part: string;
      if (c === LBRACE) {
        const end = this.braced(j);
        if (end < 0) {
          this.failMessage = `unbalanced braces in field '${field}' (missing '}')`;
          return undefined;
        }
        part = t.slice(j + 1, end - 1);
        j = end;
      } else if (c === QUOTE) {
        const end = this.quoted(j);
        if (end < 0) {
          if (!this.failMessage) this.failMessage = `unterminated quoted value in field '${field}' (missing '"')`;
          return undefined;
        }
        part = t.slice(j + 1, end - 1);
        j = end;
      } else if (isNameChar(c)) {
        const s = j;
        let digits = true;
        while (j < n) {
          const d = t.charCodeAt(j);
          if (!isNameChar(d)) break;
          if (d < 48 || d > 57) digits = false;
          j++;
        }
        if (digits) part = t.slice(s, j);
        else {
          const name = internName(t, s, j);
          const m = this.lookupMacro(name);
          if (m !== undefined) part = m;
          else {
            part = t.slice(s, j);
            if (!this.undefinedMacros.has(name)) {
              this.undefinedMacros.add(name);
              this.warn(s, `undefined macro '${part}' (kept as text)`);
            }
          }
        }
      } else if ((c === COMMA || c === close) && parts === 0) {
        this.warn(j, `field '${field}' has no value`);
        this.valueEnd = j;
        return '';
      } else {
        this.failAt = j;
        this.failMessage = parts === 0
          ? `expected a value for field '${field}', found '${t[j]}'`
          : `expected a value after '#' in field '${field}', found '${t[j]}'`;
        return undefined;
      }
      result = parts === 0 ? part : result + part;
      parts++;
      j = this.skipWs(j);
      if (j < n && t.charCodeAt(j) === HASH) {
        j++;
        continue;
      }
      this.valueEnd = j;
      return result;
    }
  }

  /**
   * End (exclusive) of the brace group opening at `j`, or -1 when it is not closed before the end
   * of the file or before a line that starts a new entry (then {@link failAt} is set).
   */
  protected braced(j: number): number {
    const t = this.text, n = this.n;
    let o = this.nextOpen, c = this.nextClose, l = this.nextLine;
    let depth = 0;
    let k = j;
    let result = -1;
    for (;;) {
      if (o < k) {
        o = t.indexOf('{', k);
        if (o < 0) o = n;
      }
      if (c < k) {
        c = t.indexOf('}', k);
        if (c < 0) c = n;
      }
      if (l < k) {
        l = t.indexOf('\n', k);
        if (l < 0) l = n;
      }
      if (o < c && o < l) {
        depth++;
        k = o + 1;
      } else if (c < l) {
        k = c + 1;
        if (--depth === 0) {
          result = k;
          break;
        }
      } else if (l < n) {
        if (this.entryStartsAt(l + 1)) {
          this.failAt = l;
          break;
        }
        k = l + 1;
      } else {
        this.failAt = n;
        break;
      }
    }
    this.nextOpen = o;
    this.nextClose = c;
    this.nextLine = l;
    return result;
  }

  /** End (exclusive) of the quoted value opening at `j`, or -1 (see {@link braced}). */
  protected quoted(j: number): number {
    const t = this.text, n = this.n;
    let q = this.nextQuote, o = this.nextOpen, c = this.nextClose, l = this.nextLine;
    let depth = 0;
    let k = j + 1;
    let result = -1;
    this.failMessage = '';
    for (;;) {
      if (q < k) {
        q = t.indexOf('"', k);
        if (q < 0) q = n;
      }
      if (o < k) {
        o = t.indexOf('{', k);
        if (o < 0) o = n;
      }
      if (c < k) {
        c = t.indexOf('}', k);
        if (c < 0) c = n;
      }
      if (l < k) {
        l = t.indexOf('\n', k);
        if (l < 0) l = n;
      }
      const m = Math.min(q, o, c, l);
      if (m >= n) {
        this.failAt = n;
        break;
      }
      k = m + 1;
      if (m === q) {
        if (depth === 0) {
          result = k;
          break;
        }
      } else if (m === o) {
        depth++;
      } else if (m === c) {
        if (--depth < 0) {
          this.failAt = m;
          this.failMessage = `unbalanced '}' inside a quoted value`;
          break;
        }
      } else if (this.entryStartsAt(m + 1)) {
        this.failAt = m;
        break;
      }
    }
    this.nextQuote = q;
    this.nextOpen = o;
    this.nextClose = c;
    this.nextLine = l;
    return result;
  }

  /** Reads a name at `j`; returns its end (== j when there is none). */
  protected nameEnd(j: number): number {
    const t = this.text, n = this.n;
    while (j < n && isNameChar(t.charCodeAt(j))) j++;
    return j;
  }

  /** Whether a `name =` starts at `j` (used to accept a missing comma between fields). */
  protected fieldStartsAt(j: number): boolean {
    const e = this.nameEnd(j);
    if (e === j) return false;
    const k = this.skipWs(e);
    return k < this.n && this.text.charCodeAt(k) === EQUALS;
  }
}
