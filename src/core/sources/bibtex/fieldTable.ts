/**
 * The field table of one file: the roles of the fields a paper is built from (matched by hash),
 * interned lower-case names, and the column-wise field spans ({@link FileFields}) that the
 * scanner fills and the lazily decoded papers read.
 */
import type { SourceRange } from '../../model/paper';

// Roles of the fields a paper is built from (0: none).
export const R_TITLE = 1, R_AUTHOR = 2, R_EDITOR = 3, R_YEAR = 4, R_DATE = 5, R_JOURNAL = 6,
  R_JOURNALTITLE = 7, R_BOOKTITLE = 8, R_ABSTRACT = 9, R_DOI = 10, R_URL = 11, R_EPRINT = 12,
  R_ARCHIVEPREFIX = 13, R_EPRINTTYPE = 14, R_ARXIVID = 15, R_KEYWORDS = 16, R_GROUPS = 17,
  R_CROSSREF = 18;
const ROLES = new Map<string, number>([
  ['title', R_TITLE], ['author', R_AUTHOR], ['editor', R_EDITOR], ['year', R_YEAR], ['date', R_DATE],
  ['journal', R_JOURNAL], ['journaltitle', R_JOURNALTITLE], ['booktitle', R_BOOKTITLE],
  ['abstract', R_ABSTRACT], ['doi', R_DOI], ['url', R_URL], ['eprint', R_EPRINT],
  ['archiveprefix', R_ARCHIVEPREFIX], ['eprinttype', R_EPRINTTYPE], ['arxivid', R_ARXIVID],
  ['keywords', R_KEYWORDS], ['groups', R_GROUPS], ['crossref', R_CROSSREF],
]);

/** Hash of a name as the fast path computes it while reading the name (ASCII case folded; kept to 30 bits so it stays a small integer in V8). */
export function nameHash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + (name.charCodeAt(i) | 32)) & 0x3fffffff;
  return h;
}
/**
 * Role-name lookup by hash: an open-addressing table of candidate roles (linear probing),
 * each confirmed by comparing the name, so a collision can only cost a comparison.
 */
const ROLE_TABLE_SIZE = 1024;
const ROLE_TABLE = new Uint8Array(ROLE_TABLE_SIZE);
const ROLE_NAMES: string[] = [];
function roleSlot(h: number): number {
  return (h ^ (h >>> 10)) & (ROLE_TABLE_SIZE - 1);
}
for (const [name, role] of ROLES) {
  ROLE_NAMES[role] = name;
  let slot = roleSlot(nameHash(name));
  while (ROLE_TABLE[slot] !== 0) slot = (slot + 1) & (ROLE_TABLE_SIZE - 1);
  ROLE_TABLE[slot] = role;
}

/** The role of the name `t[s..e)` whose hash is `h` (0 when it has none). */
export function roleOf(t: string, s: number, e: number, h: number): number {
  for (let slot = roleSlot(h); ; slot = (slot + 1) & (ROLE_TABLE_SIZE - 1)) {
    const role = ROLE_TABLE[slot];
    if (role === 0) return 0;
    if (spanIs(t, s, e, ROLE_NAMES[role])) return role;
  }
}

/**
 * Interning cache of lower-cased names (fields, types, macros): the same few dozen names repeat
 * in every entry, and reusing one string object per name makes property stores and map lookups
 * hit V8's caches instead of hashing a fresh string each time.
 */
const NAME_CACHE_SIZE = 2048;
const nameCacheRaw: (string | undefined)[] = new Array(NAME_CACHE_SIZE);
const nameCacheLower: string[] = new Array(NAME_CACHE_SIZE);
const nameCacheRole = new Uint8Array(NAME_CACHE_SIZE);
/** Role of the name last returned by {@link internName}. */
export let internedRole = 0;

/** The lower-cased name written at `t[s..e)`, as a shared string; sets {@link internedRole}. */
export function internName(t: string, s: number, e: number): string {
  const len = e - s;
  if (len > 48) {
    internedRole = 0;
    return t.slice(s, e).toLowerCase();
  }
  const h = (len * 97 + t.charCodeAt(s) * 31 + t.charCodeAt(e - 1) * 7 + t.charCodeAt(s + (len >> 1))) & (NAME_CACHE_SIZE - 1);
  const raw = nameCacheRaw[h];
  if (raw !== undefined && raw.length === len) {
    let i = 0;
    while (i < len && raw.charCodeAt(i) === t.charCodeAt(s + i)) i++;
    if (i === len) {
      internedRole = nameCacheRole[h];
      return nameCacheLower[h];
    }
  }
  const r = t.slice(s, e);
  const lower = r.toLowerCase();
  nameCacheRaw[h] = r;
  nameCacheLower[h] = lower;
  internedRole = nameCacheRole[h] = ROLES.get(lower) ?? 0;
  return lower;
}

/**
 * The raw fields of every entry of one file, column-wise: four 32-bit numbers per field in
 * `spans` — name start, name end, value start, value end in `text` — where a value start of -1
 * means the value is `expanded[value end]` (a value made by macro expansion or `#`). Entry `i`
 * owns the spans from `from[i]` to `to[i]`. Offsets cost no allocation; strings are made when a
 * field is read. `titles`, `authors` and `fields` keep what the lazily decoded papers computed.
 */
export interface FileFields {
  text: string;
  spans: Int32Array;
  /** The role of each field (of the spans at `4k`: `roles[k]`), see `R_TITLE` and the others. */
  roles: Uint8Array;
  expanded: string[];
  /** Entry i's fields are the spans from `bounds[2i]` to `bounds[2i + 1]`. */
  bounds: Int32Array;
  titles: (string | undefined)[];
  authors: (string[] | undefined)[];
  fields: (Record<string, string> | undefined)[];
  /** Entry i's source range at [4i, 4i + 4): start line and column, end line and column. */
  ranges: Int32Array;
}

/** Entry i's source range as an object. */
export function rangeOf(ff: FileFields, i: number): SourceRange {
  const r = ff.ranges, j = 4 * i;
  return { startLine: r[j], startColumn: r[j + 1], endLine: r[j + 2], endColumn: r[j + 3] };
}

/** The (lower-case) name of the field whose spans start at `k`. */
export function fieldName(ff: FileFields, k: number): string {
  return internName(ff.text, ff.spans[k], ff.spans[k + 1]);
}

/** The raw value of the field whose spans start at `k`. */
export function fieldValue(ff: FileFields, k: number): string {
  const s = ff.spans[k + 2];
  return s >= 0 ? ff.text.slice(s, ff.spans[k + 3]) : ff.expanded[ff.spans[k + 3]];
}

/** The raw value of the field of entry `i` with role `role` (`R_TITLE`, ...), or undefined. */
export function entryField(ff: FileFields, i: number, role: number): string | undefined {
  const roles = ff.roles;
  for (let k = ff.bounds[2 * i], e = ff.bounds[2 * i + 1]; k < e; k += 4) if (roles[k >> 2] === role) return fieldValue(ff, k);
  return undefined;
}

/** The raw fields of entry `i` as a record (the first occurrence of each name). */
export function entryRecord(ff: FileFields, i: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let k = ff.bounds[2 * i], e = ff.bounds[2 * i + 1]; k < e; k += 4) {
    const name = fieldName(ff, k);
    if (name === '__proto__') Object.defineProperty(out, name, { value: fieldValue(ff, k), enumerable: true, writable: true, configurable: true });
    else if (out[name] === undefined || !Object.prototype.hasOwnProperty.call(out, name)) out[name] = fieldValue(ff, k);
  }
  return out;
}

/** Whether `t[s..e)` equals the lower-case ASCII `name`, ignoring ASCII case. */
export function spanIs(t: string, s: number, e: number, name: string): boolean {
  if (e - s !== name.length) return false;
  for (let i = 0; i < name.length; i++) {
    let c = t.charCodeAt(s + i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** Whether the spans `t[a..b)` and `t[c..d)` are equal, ignoring ASCII case. */
export function spansEqual(t: string, a: number, b: number, c: number, d: number): boolean {
  if (b - a !== d - c) return false;
  for (let i = 0; i < b - a; i++) {
    let x = t.charCodeAt(a + i), y = t.charCodeAt(c + i);
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}
