/** Shared helpers for unit tests. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { corpusPapers, CorpusPaper } from '../../src/core/corpus';
import { Paper } from '../../src/core/paper';

/** The repository root (tests run from out/test/unit). */
export const repoRoot = resolve(__dirname, '../../..');

/** ../shared beside the repository, or undefined where a user's clone has none. */
export function sharedDir(): string | undefined {
  const d = resolve(repoRoot, '../shared');
  return existsSync(d) ? d : undefined;
}

let corpus: Paper[] | undefined;
/** The built-in corpus as papers. */
export function builtinPapers(): Paper[] {
  corpus ??= corpusPapers(JSON.parse(readFileSync(join(repoRoot, 'corpus/papers.json'), 'utf8')) as CorpusPaper[]);
  return corpus;
}

export function paper(partial: Partial<Paper> & { key: string }): Paper {
  return { title: partial.key, authors: [], source: 'test', ...partial };
}
