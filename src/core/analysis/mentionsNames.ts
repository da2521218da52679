/**
 * System names of papers as the mention matcher looks for them: the ways a name is written in a
 * document, and the hash of its first word run that the matcher indexes it by.
 */
import { isWordCode } from '../citations/characters';
import { HASH_MASK } from './mentionsFold';

export interface NameEntry {
  /** The name as written in a document (one of its variants). */
  text: string;
  /** The paper it names first; others sharing the name are the matcher's alternatives. */
  paper: number;
  /** An ordinary lower-case word: matched only where marked as a name. */
  ordinary: boolean;
}

const SUPERSCRIPTS: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '+': '⁺', '-': '⁻', n: 'ⁿ', i: 'ⁱ',
};

/**
 * The ways a name is written in a document: as is, and for a superscript (`E^2-LLM`) also
 * `E$^2$-LLM`, `E$^{2}$-LLM`, `E\textsuperscript{2}-LLM`, `E^2^-LLM` (Pandoc) and `E²-LLM`.
 */
export function nameVariants(name: string): string[] {
  const out = new Set([name]);
  const sup = /\^(?:\{([^{}]+)\}|([0-9]+|[A-Za-z+-]))/g;
  if (name.includes('^')) {
    const rep = (f: (x: string) => string): string => name.replace(sup, (_m, a: string | undefined, b: string | undefined) => f(a ?? b ?? ''));
    out.add(rep((x) => '$^' + x + '$'));
    out.add(rep((x) => '$^{' + x + '}$'));
    out.add(rep((x) => '\\textsuperscript{' + x + '}'));
    out.add(rep((x) => '^' + x + '^'));
    out.add(rep((x) => '^{' + x + '}'));
    out.add(rep((x) => '^' + x));
    const uni = rep((x) => ([...x].every((ch) => SUPERSCRIPTS[ch]) ? [...x].map((ch) => SUPERSCRIPTS[ch]).join('') : '\u0000'));
    if (!uni.includes('\u0000')) out.add(uni);
  }
  return [...out];
}

/** Hash of the first word run of `s` (case-sensitive), or undefined when `s` does not start with a word character. */
export function firstRunHash(s: string): number | undefined {
  let h = 0;
  let i = 0;
  while (i < s.length && isWordCode(s.charCodeAt(i))) { h = (Math.imul(h, 31) + s.charCodeAt(i)) & HASH_MASK; i++; }
  return i === 0 ? undefined : h;
}

/** Words that open numbered titles without being names: "Chapter 3", "Part 2", "Table 1". */
const NOT_NAMES = new Set(['chapter', 'part', 'volume', 'vol', 'section', 'figure', 'table', 'appendix', 'lecture', 'lesson', 'unit',
  'week', 'day', 'step', 'phase', 'level', 'version', 'issue', 'number', 'no', 'report', 'book', 'session', 'episode', 'season',
  'year', 'exercise', 'example', 'problem', 'question', 'task', 'track', 'round', 'stage', 'module', 'page', 'act', 'article']);

/**
 * A model name with a size or version that opens a title: "Mistral 7B", "Llama 2: Open …",
 * "GPT-4 Technical Report", "Qwen2.5-Math: …", "Gemma 2". A capitalised word, then (after a
 * space or hyphen, or joined) a version or size; undefined when the title does not open so.
 */
export function versionedName(title: string): string | undefined {
  const m = /^([A-Z][A-Za-z]*[a-z][A-Za-z]*|[A-Z]{2,})((?:[- ]?)(?:v?\d+(?:\.\d+)*(?:[xX]\d+)?[BMKbmk]?)(?:-[A-Z][A-Za-z]*)?)(?=$|[\s:,;.!?)])/.exec(title);
  if (!m || NOT_NAMES.has(m[1].toLowerCase())) return undefined;
  if (/^ ?(?:1[89]|20)\d\d$/.test(m[2])) return undefined; // "Horizon 2020": a year, not a version
  const name = m[1] + m[2];
  return name.length <= 30 ? name : undefined;
}

/**
 * The ways a versioned name is written: "Llama 2" also as "Llama-2" and "Llama2", "GPT-4" also
 * as "GPT 4" and "GPT4". Names without a version are returned as they are.
 */
export function versionVariants(name: string): string[] {
  const m = /^(.*?[A-Za-z])([- ]?)(v?\d[\w.]*)$/.exec(name);
  if (!m) return [name];
  return [...new Set([name, `${m[1]} ${m[3]}`, `${m[1]}-${m[3]}`, `${m[1]}${m[3]}`])];
}

/**
 * Whether a name is ordinary words rather than a name: a lower-case word ("corpus", "tune",
 * "recipes": R packages named after what they do), or a phrase in sentence case ("Reinforcement
 * learning", "Deep residual learning": a title's head that is a field, not a system). Such a name
 * is matched only where it is marked as a name (emphasis, quotes, a command argument such as
 * `\pkg{tune}`), never in running prose.
 */
export function isOrdinaryWordName(name: string): boolean {
  if (/^[a-z]+$/.test(name)) return true;
  const words = name.split(/\s+/);
  return words.length > 1 && words.slice(1).some((w) => /^\p{Ll}{2,}$/u.test(w));
}
