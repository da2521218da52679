/** Why a paper was suggested: the shared terms, phrases and authors, in the paper's own wording. */
import { startsSentence } from '../text/sentences';
import { FieldAnalysis, Rescored } from './relatedTypes';

/** A capitalised word ("Mixture", "Long-Context"), as opposed to "LoRA", "GPT-3" or "llama". */
const TITLE_CASE = /^\p{Lu}\p{Ll}+(?:[-‐‑]\p{L}\p{Ll}*)*$/u;


/** Up to five readable shared terms, phrases or author names, strongest first. */
export function evidenceOf({ fields, termScore, pairScore, runs, author }: Rescored): string[] {
  interface Item {
    label: string;
    weight: number;
    terms: number[];
    fromTitle: boolean;
  }
  const items: Item[] = [];
  // phrases: one item per distinct run (by its terms), in the abstract's wording if it has one
  const seenRuns = new Map<string, Item>();
  for (const r of runs) {
    const sig = r.terms.join(' ');
    const { text, scan } = fields[r.field];
    const label = text.slice(scan.start[r.first], scan.end[r.last]).replace(/\s+/g, ' ');
    const prev = seenRuns.get(sig);
    if (prev) {
      if (r.field === 1 && prev.fromTitle) {
        prev.label = label;
        prev.fromTitle = false;
      }
      continue;
    }
    let weight = 0;
    for (const k of new Set(r.pairs)) weight += pairScore.get(k) ?? 0;
    const terms = [...new Set(r.terms)];
    for (const t of terms) weight += termScore.get(t) ?? 0;
    const item: Item = { label, weight, terms, fromTitle: r.field === 0 };
    seenRuns.set(sig, item);
    items.push(item);
  }
  if (author) items.push({ label: author.label, weight: author.score, terms: [-1], fromTitle: false });
  for (const [t, weight] of termScore) {
    items.push({ label: surfaceOf(t, fields), weight, terms: [t], fromTitle: false });
  }
  items.sort((a, b) => b.weight - a.weight || b.terms.length - a.terms.length);

  const out: string[] = [];
  const covered = new Set<number>();
  const labels = new Set<string>();
  for (const it of items) {
    if (out.length >= 5) break;
    if (it.terms.every((t) => covered.has(t))) continue;
    const norm = it.label.toLowerCase();
    // near-duplicates ("warming" beside "re-warming") add nothing
    if (!norm || [...labels].some((l) => l.includes(norm) || norm.includes(l))) continue;
    labels.add(norm);
    out.push(it.label);
    for (const t of it.terms) covered.add(t);
  }
  return out;
}

/**
 * The wording of a term in a paper: an abstract occurrence as written (keeping "LoRA",
 * "Frontier"), else the title's, lower-cased when it is merely capitalised.
 */
export function surfaceOf(term: number, fields: readonly FieldAnalysis[]): string {
  let capitalised: string | undefined;
  for (const f of [1, 0]) {
    const { text, scan, terms } = fields[f];
    for (let i = 0; i < scan.length; i++) {
      if (terms[i] !== term) continue;
      const s = text.slice(scan.start[i], scan.end[i]);
      if (!TITLE_CASE.test(s)) return s;
      // capitalised only because it opens a sentence (not after "e.g."): the title's wording is better
      const sentenceStart = f === 0 || startsSentence(text, scan.start[i]);
      if (!sentenceStart) return s;
      capitalised ??= s;
    }
  }
  return (capitalised ?? '').toLowerCase();
}
