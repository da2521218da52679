/**
 * Benchmark of the mention matcher (issue 5): a generated 1 MB LaTeX document scanned against a
 * large library (100k synthetic titles when none is given). Also exports the deterministic
 * generators the unit test uses, so the test and `npm run bench` measure the same thing.
 */
import { MentionMatcher, titleWords } from '../src/core/analysis/mentions';
import { Paper } from '../src/core/model/paper';

/** A small deterministic PRNG (mulberry32), so generated libraries and documents are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COMMON = ('the of and a to in for with on is are by from as large language models model learning efficient ' +
  'training scaling long context fine tuning data attention transformer neural networks via towards we our this that ' +
  'retrieval generation reasoning benchmark evaluation survey method approach analysis deep multi task pre trained').split(' ');
const SYLLABLES = 'ka lo ra mi te su no vi ze pa ro li da ne fo gu ha je ki lu ma ni po qu re si ta vo wu xi yo zu ber con dis ent gra ion ver'.split(' ');

/** A vocabulary of `size` pseudo-words (plus common title words first). */
export function syntheticVocabulary(size: number, seed = 1): string[] {
  const r = rng(seed);
  const words = new Set(COMMON);
  while (words.size < size) {
    const k = 2 + Math.floor(r() * 3);
    let w = '';
    for (let i = 0; i < k; i++) w += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

/** Picks a word with a Zipf-like bias towards the start of the vocabulary. */
function zipf(r: () => number, vocab: readonly string[]): string {
  const x = r();
  return vocab[Math.floor(vocab.length * x * x * x)];
}

function camel(r: () => number): string {
  const parts = 2 + Math.floor(r() * 2);
  let s = '';
  for (let i = 0; i < parts; i++) {
    const syl = SYLLABLES[Math.floor(r() * SYLLABLES.length)];
    s += r() < 0.3 ? syl.toUpperCase() : syl[0].toUpperCase() + syl.slice(1);
  }
  return s;
}

/**
 * `count` synthetic papers: titles of 5–14 words drawn from a shared vocabulary, 40% of them with a
 * CamelCase system name before a colon ("KaLORA: …"), keys `synth0`, `synth1` ….
 */
export function syntheticPapers(count: number, seed = 7): Paper[] {
  const r = rng(seed);
  const vocab = syntheticVocabulary(8000, seed + 1);
  const out: Paper[] = [];
  for (let i = 0; i < count; i++) {
    const len = 5 + Math.floor(r() * 10);
    const words: string[] = [];
    for (let k = 0; k < len; k++) words.push(zipf(r, vocab));
    words[0] = words[0][0].toUpperCase() + words[0].slice(1);
    const title = r() < 0.4 ? `${camel(r)}${i}: ${words.join(' ')}` : words.join(' ');
    out.push({ key: `synth${i}`, title, authors: ['A. Author'], year: 2000 + (i % 25), source: 'synthetic' });
  }
  return out;
}

/**
 * A LaTeX document of about `bytes` bytes: prose from the same vocabulary as the titles (so the
 * trie walks many title prefixes), with a library title every few sentences (some in `\emph{}`,
 * some broken across lines), system names, `\cite{…}` commands, math and comments.
 */
export function syntheticDocument(papers: readonly Paper[], bytes: number, seed = 3): string {
  const r = rng(seed);
  const vocab = syntheticVocabulary(8000, 8);
  const parts: string[] = [];
  let size = 0;
  let sentence = 0;
  while (size < bytes) {
    const words: string[] = [];
    const len = 8 + Math.floor(r() * 20);
    for (let k = 0; k < len; k++) words.push(zipf(r, vocab));
    let s = words.join(' ');
    s = s[0].toUpperCase() + s.slice(1);
    sentence++;
    if (papers.length && sentence % 7 === 0) {
      const p = papers[Math.floor(r() * papers.length)];
      const title = sentence % 14 === 0 ? `\\emph{${p.title.replace(/ /, '\n  ')}}` : p.title;
      s += ` as shown in ${title}~\\cite{${p.key}}`;
    }
    if (papers.length && sentence % 11 === 0) {
      const p = papers[Math.floor(r() * papers.length)];
      const name = p.title.includes(':') ? p.title.slice(0, p.title.indexOf(':')) : 'ordinary';
      s += ` and we fine-tune ${name} with $x^2 + \\Sigma$`;
    }
    if (sentence % 17 === 0) s += ' % a comment about Sigma';
    s += sentence % 9 === 0 ? '.\n\n' : '.\n';
    parts.push(s);
    size += s.length;
  }
  return parts.join('');
}

/** Median of `runs` timings of `f` in milliseconds (after one warm-up run). */
export function medianMs(f: () => void, runs = 5): number {
  f();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    f();
    t.push(performance.now() - s);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

/**
 * Scans a generated 1 MB LaTeX document against `papers` and reports the document size in bytes,
 * the number of distinct titles indexed and the median scan time in ms (the matcher is built once,
 * outside the timing). When `papers` holds fewer than 100k distinct titles (a library made of
 * copies of one `.bib`, or none), synthetic papers fill it up to 100k, so the figure always means
 * "1 MB against 100k titles".
 */
export function benchMentions(papers: Paper[]): { docBytes: number; titles: number; ms: number } {
  const distinct = new Set<string>();
  for (const p of papers) {
    const w = titleWords(p.title ?? '');
    if (w.length >= 4) distinct.add(w.join(' '));
  }
  const library = distinct.size >= 100_000 ? papers : [...papers, ...syntheticPapers(100_000 - distinct.size)];
  const matcher = new MentionMatcher(library);
  const doc = syntheticDocument(library, 1_000_000);
  const ms = medianMs(() => matcher.scan(doc, 'latex'), 7);
  return { docBytes: Buffer.byteLength(doc, 'utf8'), titles: matcher.titleCount, ms: Math.round(ms * 10) / 10 };
}
