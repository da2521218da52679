/**
 * System names of papers as the mention matcher looks for them: the ways a name is written in a
 * document, and the hash of its first word run that the matcher indexes it by.
 */
import { isWordCode } from '../citations/characters';
import { HASH_MASK } from './mentionsFold';

export interface NameEntry {
  text: string;
  paper: number;
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
