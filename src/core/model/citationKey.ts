/**
 * Citation keys in Better BibTeX's default form, `auth.lower + shorttitle(3,3) + year`:
 *
 * 1. `auth.lower`: the first author's family name, ASCII-folded, lower-cased, letters and digits only
 *    ("Shoeybi" → "shoeybi", "Müller" → "muller", "van der Berg" → "vanderberg").
 * 2. `shorttitle(3,3)`: the title split into words at whitespace, hyphens, dashes and slashes;
 *    each word ASCII-folded and stripped to letters and digits; empty words and function words
 *    (see {@link FUNCTION_WORDS}, case-insensitive) dropped; the first three kept, each with its
 *    first letter upper-cased and the rest as written ("Megatron-LM: Training …" → "MegatronLMTraining").
 * 3. `year`: the four-digit year, or nothing when unknown.
 *
 * Clashes get suffixes a, b, c … in the order the papers are given; keys already assigned are kept
 * (see {@link assignKeys}), so adding a paper never changes another paper's key.
 */
import { familyName, foldAscii } from './paper';

/** Words Better BibTeX's `shorttitle` skips (its function-word list, English and common particles). */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    'a ab aboard about above across after against al along amid among an and anti around as at before behind below ' +
    'beneath beside besides between beyond but by d da das de del dell dello dei degli della delle dem den der des ' +
    'despite die do down du during ein eine einem einen einer eines el en et except for from gli i il in inside into ' +
    'is l la las le les like lo los near nor of off on onto or over past per plus round save since so some sur than ' +
    'the through to toward towards un una unas uno unos under underneath une unlike until up upon versus via von ' +
    'while with within without yet zu zum'
  ).split(' '),
);

function alnum(s: string): string {
  return foldAscii(s).replace(/[^A-Za-z0-9]/g, '');
}

/** The `auth.lower` part: first author's family name, folded and lower-cased ("" without authors). */
export function authorPart(authors: readonly string[]): string {
  return authors.length ? alnum(familyName(authors[0])).toLowerCase() : '';
}

/** The `shorttitle(3,3)` part. */
export function titlePart(title: string, words = 3): string {
  const out: string[] = [];
  for (const raw of title.split(/[\s\-\u2010-\u2015/]+/)) {
    const w = alnum(raw);
    if (!w || FUNCTION_WORDS.has(w.toLowerCase())) continue;
    out.push(w[0].toUpperCase() + w.slice(1));
    if (out.length === words) break;
  }
  return out.join('');
}

/** The base key of a paper, before any clash suffix. Never empty: falls back to "paper". */
export function baseKey(paper: { title: string; authors: readonly string[]; year?: number }): string {
  const key = authorPart(paper.authors) + titlePart(paper.title) + (paper.year ? String(paper.year) : '');
  return key || 'paper';
}

/** The clash suffixes: a, b, …, z, aa, ab, … */
export function suffix(n: number): string {
  let s = '';
  let i = n;
  do {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return s;
}

/**
 * Assigns a unique key to every paper. `existing` maps a paper's identity (see `identity`) to a key
 * it already has; those keys are kept. Other papers get their base key, or base key + a/b/c… when
 * that is taken. Returns keys in the order of `papers`.
 */
export function assignKeys<P extends { title: string; authors: readonly string[]; year?: number }>(
  papers: readonly P[],
  identity: (p: P) => string,
  existing: ReadonlyMap<string, string> = new Map(),
): string[] {
  const taken = new Set<string>();
  const keys: (string | undefined)[] = papers.map((p) => {
    const k = existing.get(identity(p));
    if (k !== undefined && !taken.has(k)) {
      taken.add(k);
      return k;
    }
    return undefined;
  });
  return papers.map((p, i) => {
    const have = keys[i];
    if (have !== undefined) return have;
    const base = baseKey(p);
    let key = base;
    for (let n = 0; taken.has(key); n++) key = base + suffix(n);
    taken.add(key);
    return key;
  });
}
