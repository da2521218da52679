/** Short plain-text renderings of a paper shared by the QuickPick, completion and the tree. */
import { Paper } from '../core/model/paper';

/** "Shoeybi, Patwary, Puri et al. · 2019 · NeurIPS" */
export function paperDetail(p: Paper): string {
  const names = p.authors.slice(0, 3).map(shortName);
  const authors = names.length ? names.join(', ') + (p.authors.length > 3 ? ' et al.' : '') : '';
  return [authors, p.year ? String(p.year) : '', p.venue ?? ''].filter(Boolean).join(' · ');
}

/** "Mohammad Shoeybi" → "Shoeybi". */
export function shortName(author: string): string {
  const a = author.trim();
  if (a.includes(',')) return a.split(',')[0].trim();
  const parts = a.split(/\s+/);
  return parts[parts.length - 1];
}

/** "Shoeybi · 2019" */
export function firstAuthorYear(p: Paper): string {
  const first = p.authors.length ? shortName(p.authors[0]) + (p.authors.length > 1 ? ' et al.' : '') : '';
  return [first, p.year ? String(p.year) : ''].filter(Boolean).join(' · ');
}
