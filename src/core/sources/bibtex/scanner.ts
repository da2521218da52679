/**
 * The BibTeX scanner's entry reading: `@` signs, `@comment`/`@preamble`, `@string`, entries by the
 * fast path or the general one, papers, and the result.
 */
import type { Diagnostic, Paper } from '../../model/paper';
import type { BibtexEntry, BibtexResult } from './reader';
import { AT, COMMA, CR, EQUALS, LBRACE, LPAREN, NL, QUOTE, RBRACE, RPAREN, WS, isNameChar, isWs } from './chars';
import { R_CROSSREF, R_DATE, R_YEAR, entryRecord, fieldValue, internName, internedRole, rangeOf } from './fieldTable';
import { MAX_DIAGNOSTICS, internals, keyHash } from './scanState';
import { ValueScanner } from './values';
import { inheritFields } from './crossref';
import { BibtexPaper, entryToPaper, yearOf } from './paper';

/** Whether entries may take the fast path (see {@link setFastPathForTests}). */
let fastPathEnabled = true;

/**
 * For tests only: turns the fast path off (every entry then takes the general path), so a test
 * can check that both paths read the same text to the same result.
 */
export function setFastPathForTests(enabled: boolean): void {
  fastPathEnabled = enabled;
}

/** The single-pass scanner behind {@link parseBibtex}. */
export class Scanner extends ValueScanner {
  /** Reads the whole text. */
  run(): void {
    const t = this.text, n = this.n;
    let pos = 0;
    while (pos < n) {
      const at = t.indexOf('@', pos);
      if (at < 0) break;
      const next = this.atSign(at);
      pos = next > at ? next : at + 1;
    }
  }

  /** Handles the `@` at `at`; returns where to continue. */
  private atSign(at: number): number {
    const t = this.text, n = this.n;
    if (this.commentedOut(at)) return at + 1;
    let j = this.skipWs(at + 1);
    const ts = j;
    while (j < n && isNameChar(t.charCodeAt(j))) j++;
    if (j === ts) return at + 1; // a lone '@' in comment text (an e-mail address, a mention)
    const te = j;
    j = this.skipWs(j);
    const open = t.charCodeAt(j);
    if (open !== LBRACE && open !== LPAREN) {
      if (this.atLineStart(at)) this.warn(at, `'@${t.slice(ts, te)}' is not followed by '{' or '(': ignored`);
      return j;
    }
    const type = internName(t, ts, te);
    const close = open === LBRACE ? RBRACE : RPAREN;
    if (type === 'comment' || type === 'preamble') return this.special(at, j, close, type);
    if (type === 'string') return this.stringDef(at, j + 1, close);
    return this.entry(at, j + 1, type, close);
  }

  /**
   * Whether `at` is on a line that starts with `%` (`%@misc{old,`): writers comment entries out
   * so, and biber and every reference manager skip them. Read as an entry, it would be the first
   * of two with its key and hide the entry the writer kept.
   */
  private commentedOut(at: number): boolean {
    const t = this.text;
    let percent = false;
    for (let k = at - 1; k >= 0; k--) {
      const c = t.charCodeAt(k);
      if (c === 10 || c === 13) return percent;
      if (c === 37) percent = true;
      else if (c !== 32 && c !== 9) return false;
    }
    return percent;
  }

  /** Skips `@comment{...}` / `@preamble{...}` (balanced); an unclosed one ends at the next entry line. */
  private special(at: number, open: number, close: number, type: string): number {
    const t = this.text, n = this.n;
    let depth = 0;
    for (let k = open; k < n; k++) {
      const c = t.charCodeAt(k);
      if (c === LBRACE || (k === open && c === LPAREN)) depth++;
      else if (c === RBRACE) {
        depth--;
        if (depth === 0 && close === RBRACE) return k + 1;
      } else if (c === RPAREN && close === RPAREN && depth === 1) return k + 1;
    }
    const resume = this.nextLineStartEntry(open);
    this.warn(at, `@${type} is not closed (missing '${String.fromCharCode(close)}'); skipped to the next line that starts with '@'`);
    return resume;
  }

  /** `@string{name = value}` (several `name = value` pairs separated by commas are accepted). */
  private stringDef(at: number, j: number, close: number): number {
    const t = this.text, n = this.n;
    for (;;) {
      j = this.skipWsAndComments(j);
      if (j >= n) {
        this.error(at, `@string is not closed (missing '${String.fromCharCode(close)}')`);
        return n;
      }
      const c = t.charCodeAt(j);
      if (c === close) return j + 1;
      if (c === COMMA) {
        j++;
        continue;
      }
      const ns = j;
      const ne = this.nameEnd(j);
      if (ne === ns) {
        this.error(j, `expected a macro name in @string, found '${t[j]}'`);
        return this.resumeAfter(j);
      }
      const name = internName(t, ns, ne);
      j = this.skipWs(ne);
      if (t.charCodeAt(j) !== EQUALS) {
        this.error(j, `expected '=' after macro name '${name}' in @string`);
        return this.resumeAfter(j);
      }
      const v = this.value(j + 1, name, close);
      if (v === undefined) {
        this.error(this.failAt, this.failMessage);
        return this.resumeAfter(this.failAt);
      }
      this.macros.set(name, v);
      j = this.valueEnd;
    }
  }

  /** Reads an entry whose body starts at `j` (after the opening delimiter). */
  private entry(at: number, j: number, type: string, close: number): number {
    const t = this.text, n = this.n;
    let lineEnded = false;
    while (j < n && isWs(t.charCodeAt(j))) {
      const c = t.charCodeAt(j++);
      if (c === NL || c === CR) lineEnded = true;
    }
    // `@article{` and nothing more on its line, then a new entry: the broken one (the end of a file
    // cut short, say) must not swallow the next one as its key
    if (lineEnded && j < n && t.charCodeAt(j) === AT && this.entryStartsAt(j)) {
      this.error(at, `@${type} entry has no key and is not closed (missing '${String.fromCharCode(close)}' before the next entry)`);
      return j;
    }
    const ks = j;
    let h = 0;
    while (j < n) {
      const c = t.charCodeAt(j);
      if (c < 128 && (WS[c] === 1 || c === COMMA || c === LBRACE || c === RBRACE || c === EQUALS || c === close)) break;
      h = (Math.imul(h, 31) + (c >= 65 && c <= 90 ? c + 32 : c)) & 0x3fffffff;
      j++;
    }
    let key = t.slice(ks, j);
    while (j < n && isWs(t.charCodeAt(j))) j++;
    let c = j < n ? t.charCodeAt(j) : -1;
    const startLine = this.lineOf(at);
    const startColumn = this.col;
    const index = this.nEntries;
    if (index === this.eCapacity) this.growEntries();
    // An entry without a key (`@misc{, …}`, `@article(foo=bar)`, a key line left empty) keeps its
    // fields among the entries, but makes no paper: it cannot be cited.
    const keyless = c === EQUALS || key.length === 0;
    if (keyless) {
      this.error(ks, `@${type} entry has no citation key: its fields are read, but it cannot be cited`);
      if (c === EQUALS) {
        // what looked like the key is the first field's name
        j = ks;
        c = t.charCodeAt(j);
      }
      key = '';
    }
    let hash = h ^ (h >>> 15);
    if (key.length > 1 && key.charCodeAt(0) === QUOTE && key.charCodeAt(key.length - 1) === QUOTE) {
      key = key.slice(1, -1);
      hash = keyHash(key);
    }

    // duplicate keys (BibTeX compares keys case-insensitively)
    const first = keyless ? undefined : this.findKey(key, hash);
    let makePaper = !keyless;
    if (first !== undefined) {
      const firstKey = this.eKey[first];
      const firstLine = this.ff.ranges[4 * first] + 1;
      if (firstKey === key) {
        makePaper = false;
        this.warn(at, `duplicate key '${key}' (first defined on line ${firstLine}): this entry is ignored`);
      } else {
        this.warn(at, `key '${key}' differs only in case from '${firstKey}' (line ${firstLine}); BibTeX treats them as the same key`);
      }
    } else if (!keyless) this.addKey(key, hash, index);

    const from = this.nSpans;
    this.hasCrossref = false;
    let end = -1;
    let failPos = -1;
    if (c === COMMA && close === RBRACE && fastPathEnabled && !keyless) end = this.fast(j + 1, from);
    if (end < 0) {
      this.nSpans = from;
      this.hasCrossref = false;
      // the general path reads the entry again from its start: the cursors only look forward
      this.nextOpen = this.nextClose = this.nextQuote = this.nextAt = this.nextLine = -1;
      end = this.general(j, c, keyless ? `(no key) on line ${startLine + 1}` : key, close, keyless);
      if (end < 0) failPos = this.failAt;
    }
    const stop = end >= 0 ? end : failPos;
    const endLine = this.lineOf(stop);
    const rs = this.ff.ranges;
    rs[4 * index] = startLine;
    rs[4 * index + 1] = startColumn;
    rs[4 * index + 2] = endLine;
    rs[4 * index + 3] = this.col;
    this.ff.bounds[2 * index] = from;
    this.ff.bounds[2 * index + 1] = this.nSpans;
    this.eOffsets[2 * index] = at;
    this.eOffsets[2 * index + 1] = stop;
    this.eHash[index] = keyless ? 0 : hash;
    this.eKey.push(key);
    this.eType.push(type);
    this.nEntries = index + 1;
    if (makePaper) {
      this.paperEntry.push(index);
      if (this.hasCrossref) {
        this.deferred.push(this.papers.length);
        this.papers.push(undefined);
      } else this.papers.push(this.buildPaper(key, type, index, from));
    }
    if (end >= 0) return end;
    // Resume at the next entry; a fail at an entry start resumes exactly there.
    if (failPos < n && t.charCodeAt(failPos) === AT) return failPos;
    return this.resumeAfter(failPos);
  }

  /**
   * The general path of an entry body, from just after the key (`j`, where the character `c` is).
   * Reports every problem; returns the end of the entry, or -1 with {@link failAt} set when it
   * could not be read to its end (the fields read so far are kept).
   */
  private general(j: number, c: number, key: string, close: number, keyless = false): number {
    const t = this.text, n = this.n;
    const closeCh = String.fromCharCode(close);
    let nf = 0;
    const names: string[] = [];
    let seen: Set<string> | undefined;
    let failPos = -1;
    let failMsg = '';
    let end = -1;
    if (c === COMMA) j++;
    else if (c === close) end = j + 1;
    else if (c === -1) {
      failPos = n;
      failMsg = `entry '${key}' is not closed (missing '${closeCh}' at the end of the file)`;
    } else if (keyless && this.fieldStartsAt(j)) {
      // the fields start right away
    } else if (this.fieldStartsAt(j)) {
      this.warn(j, `missing ',' after the citation key '${key}'`);
    } else {
      failPos = j;
      failMsg = `expected ',' after the citation key '${key}', found '${t[j]}'`;
    }
    while (end < 0 && failPos < 0) {
      j = this.skipWsAndComments(j);
      if (j >= n) {
        failPos = n;
        failMsg = `entry '${key}' is not closed (missing '${closeCh}' at the end of the file)`;
        break;
      }
      c = t.charCodeAt(j);
      if (c === close) {
        end = j + 1;
        break;
      }
      if (c === COMMA) {
        j++;
        continue;
      }
      if (c === AT && this.entryStartsAt(j)) {
        failPos = j;
        failMsg = `entry '${key}' is not closed (missing '${closeCh}' before the next entry)`;
        break;
      }
      const ns = j;
      const ne = this.nameEnd(j);
      if (ne === ns) {
        failPos = j;
        failMsg = `unexpected '${t[j]}' in entry '${key}' where a field name was expected`;
        break;
      }
      const name = internName(t, ns, ne);
      const role = internedRole;
      j = this.skipWs(ne);
      if (j >= n || t.charCodeAt(j) !== EQUALS) {
        failPos = j;
        failMsg = `expected '=' after field name '${name}' in entry '${key}'`;
        break;
      }
      const v = this.value(j + 1, name, close);
      if (v === undefined) {
        failPos = this.failAt;
        failMsg = `${this.failMessage} in entry '${key}'`;
        break;
      }
      let dup = false;
      if (seen !== undefined) dup = seen.has(name);
      else {
        for (let i = 0; i < names.length; i++) if (names[i] === name) dup = true;
        if (names.length >= 32) seen = new Set(names);
      }
      if (dup) this.warn(ns, `duplicate field '${name}' in entry '${key}': the first value is kept`);
      else {
        names.push(name);
        seen?.add(name);
        if (role === R_CROSSREF) this.hasCrossref = true;
        this.pushSpan(ns, ne, -1, this.ff.expanded.push(v) - 1, role);
        nf++;
      }
      j = this.skipWsAndComments(this.valueEnd);
      if (j >= n) continue; // reported as not closed at the loop head
      c = t.charCodeAt(j);
      if (c === COMMA) j++;
      else if (c === close) end = j + 1;
      else if (c === AT && this.entryStartsAt(j)) continue; // reported at the loop head
      else if (this.fieldStartsAt(j)) this.warn(j, `missing ',' after field '${name}' in entry '${key}'`);
      else {
        failPos = j;
        failMsg = `expected ',' or '${closeCh}' after the value of field '${name}' in entry '${key}', found '${t[j]}'`;
      }
    }
    this.nf = nf;
    if (failPos >= 0) {
      this.error(failPos, failMsg);
      this.failAt = failPos;
      return -1;
    }
    return end;
  }

  /**
   * Builds the paper of the entry just read. Only its year is read now (a number, usually without
   * making a string); the other values are read when first asked for (see {@link BibtexPaper}).
   */
  private buildPaper(key: string, type: string, index: number, from: number): Paper {
    const nf = this.nf, roles = this.ff.roles, sp = this.ff.spans, t = this.text;
    const paper = new BibtexPaper(key, this.source, this.ff, index);
    let year: string | undefined, date: string | undefined;
    for (let i = 0, r = from >> 2; i < nf; i++, r++) {
      const role = roles[r];
      if (role !== R_YEAR && role !== R_DATE) continue;
      const k = 4 * r;
      if (role === R_YEAR && sp[k + 3] - sp[k + 2] === 4 && sp[k + 2] >= 0) {
        // the usual four-digit year, read without making a string
        const s = sp[k + 2];
        const d0 = t.charCodeAt(s) - 48, d1 = t.charCodeAt(s + 1) - 48, d2 = t.charCodeAt(s + 2) - 48, d3 = t.charCodeAt(s + 3) - 48;
        if ((d0 === 1 || d0 === 2) && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9 && d3 >= 0 && d3 <= 9) {
          paper.year = d0 * 1000 + d1 * 100 + d2 * 10 + d3;
          break;
        }
      }
      if (role === R_YEAR) year = fieldValue(this.ff, k);
      else date = fieldValue(this.ff, k);
    }
    if (paper.year === undefined) {
      const y = yearOf(year ?? date);
      if (y !== undefined) paper.year = y;
    }
    paper.entryType = type;
    return paper as unknown as Paper;
  }

  /** Builds the result: crossref inheritance for the deferred papers, diagnostics in order. */
  finish(): BibtexResult {
    const diagnostics = this.diagnostics;
    const unresolved = new Map<number, Diagnostic>();
    const papers = this.papers;
    if (this.deferred.length) {
      const records = new Map<number, Record<string, string>>();
      const entryOf = (i: number): BibtexEntry => {
        let f = records.get(i);
        if (!f) records.set(i, (f = entryRecord(this.ff, i)));
        return { key: this.eKey[i], type: this.eType[i], fields: f, range: rangeOf(this.ff, i), raw: '' };
      };
      for (const p of this.deferred) {
        const e = entryOf(this.paperEntry[p]);
        const fields = inheritFields(e, (k) => {
          const i = this.findKey(k);
          return i === undefined ? undefined : entryOf(i);
        });
        if (fields === e.fields) {
          const d: Diagnostic = {
            source: this.source, line: e.range.startLine + 1, column: e.range.startColumn + 1,
            message: `crossref '${e.fields.crossref}' of entry '${e.key}' not found`, severity: 'warning',
          };
          unresolved.set(p, d);
          if (diagnostics.length < MAX_DIAGNOSTICS) diagnostics.push(d);
          else this.dropped++;
        }
        papers[p] = entryToPaper(e, this.source, fields);
      }
      diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    }
    if (this.dropped > 0) {
      diagnostics.push({ source: this.source, line: 1, column: 1, message: `${this.dropped} more problems not shown`, severity: 'warning' });
    }
    const result = { source: this.source, papers: papers as Paper[], diagnostics, macros: this.macros } as BibtexResult;
    const { eKey, eType, eOffsets, text, ff } = this;
    // the decoded values, filled in on first read (dense arrays: any paper may be read first)
    ff.titles = new Array<string | undefined>(this.nEntries).fill(undefined);
    ff.authors = new Array<string[] | undefined>(this.nEntries).fill(undefined);
    ff.fields = new Array<Record<string, string> | undefined>(this.nEntries).fill(undefined);
    // the columns were sized by estimate: give back what a file of unusual shape left unused
    if (this.nSpans < ff.spans.length >> 1) {
      ff.spans = ff.spans.slice(0, this.nSpans);
      ff.roles = ff.roles.slice(0, this.nSpans >> 2);
    }
    // `entries` is made on first read, then stored as a plain property.
    Object.defineProperty(result, 'entries', {
      get(this: BibtexResult): BibtexEntry[] {
        const entries: BibtexEntry[] = new Array(eKey.length);
        for (let i = 0; i < eKey.length; i++) {
          entries[i] = { key: eKey[i], type: eType[i], fields: entryRecord(ff, i), range: rangeOf(ff, i), raw: text.slice(eOffsets[2 * i], eOffsets[2 * i + 1]) };
        }
        Object.defineProperty(this, 'entries', { value: entries, writable: true, enumerable: true, configurable: true });
        return entries;
      },
      set(this: BibtexResult, v: BibtexEntry[]) {
        Object.defineProperty(this, 'entries', { value: v, writable: true, enumerable: true, configurable: true });
      },
      enumerable: true,
      configurable: true,
    });
    internals.set(result, { undefinedMacros: this.undefinedMacros, unresolvedCrossrefs: unresolved, paperEntry: this.paperEntry });
    return result;
  }
}
