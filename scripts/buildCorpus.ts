/**
 * Rebuilds corpus/papers.json from the seeds: the page listing (titles and abstracts, exactly as
 * there) joined with papers-metadata.json (arXiv id, year, authors, venue). Keys already in
 * corpus/papers.json are kept for the same arXiv id, so adding a paper never changes another key.
 *
 *   npm run build:corpus [-- SEEDS_DIR]     (default ../shared/seeds)
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { assignKeys } from '../src/core/model/citationKey';
import { parsePageListing } from '../src/core/sources/pageListing';
import { normalizeTitle } from '../src/core/model/paper';
import { CorpusPaper } from '../src/core/sources/corpus';

interface SeedMetadata {
  title: string;
  arxiv: string;
  year: number;
  authors: string[];
  venue: string;
}

const root = resolve(__dirname, '../..');
const seeds = resolve(process.argv[2] ?? join(root, '../shared/seeds'));
const out = join(root, 'corpus/papers.json');

const listingFile = readdirSync(seeds).find((f) => f.endsWith('.txt'));
if (!listingFile) throw new Error(`buildCorpus: no listing (.txt) in ${seeds}`);
const listing = parsePageListing(readFileSync(join(seeds, listingFile), 'utf8'));
const metadata: SeedMetadata[] = JSON.parse(readFileSync(join(seeds, 'papers-metadata.json'), 'utf8'));
const byTitle = new Map(metadata.map((m) => [normalizeTitle(m.title), m]));

const papers = listing.papers.map((p) => {
  const m = byTitle.get(normalizeTitle(p.title));
  if (!m) throw new Error(`buildCorpus: no metadata for "${p.title}"`);
  return { title: p.title, abstract: p.abstract, authors: m.authors, year: m.year, venue: m.venue || undefined, arxiv: m.arxiv };
});

const previous: CorpusPaper[] = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : [];
const existing = new Map(previous.map((p) => [p.arxiv ?? p.title, p.key]));
const keys = assignKeys(papers, (p) => p.arxiv ?? p.title, existing);
const corpus: CorpusPaper[] = papers.map((p, i) => ({ key: keys[i], ...p, url: `https://arxiv.org/abs/${p.arxiv}` }));
writeFileSync(out, JSON.stringify(corpus, null, 1) + '\n');
console.log(`buildCorpus: ${corpus.length} papers → ${out} (skipped ${listing.skipped.length} chrome blocks)`);
