/** Short plain-text renderings of a paper: the lines of pickers, completion items and trees. */
import { Paper } from '../model/paper';

/** "Mohammad Shoeybi" → "Shoeybi"; "Shoeybi, Mohammad" → "Shoeybi". */
export function shortName(author: string): string {
  const a = author.trim();
  if (a.includes(',')) return a.split(',')[0].trim();
  const parts = a.split(/\s+/);
  return parts[parts.length - 1];
}

/** "Shoeybi, Patwary, Puri et al. · 2019 · NeurIPS" */
export function paperDetail(p: Pick<Paper, 'authors' | 'year' | 'venue'>, authorCount = p.authors.length): string {
  const names = p.authors.slice(0, 3).map(shortName);
  const authors = names.length ? names.join(', ') + (authorCount > 3 ? ' et al.' : '') : '';
  return [authors, p.year ? String(p.year) : '', p.venue ?? ''].filter(Boolean).join(' · ');
}

/** "Shoeybi et al. · 2019" */
export function firstAuthorYear(p: Pick<Paper, 'authors' | 'year'>, authorCount = p.authors.length): string {
  const first = p.authors.length ? shortName(p.authors[0]) + (authorCount > 1 ? ' et al.' : '') : '';
  return [first, p.year ? String(p.year) : ''].filter(Boolean).join(' · ');
}
