/** Shared helpers for unit tests. */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { corpusPapers, CorpusPaper } from '../../src/core/sources/corpus';
import { Paper } from '../../src/core/model/paper';

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

/**
 * Property-test settings shared by the fast-check suites. The normal suite (and CI) runs with a
 * fixed seed so that a red run always means a change broke something, never that the dice found
 * an old bug; `CITELENS_LONG=1` runs twenty times as many cases from a fresh random seed (printed
 * by fast-check on failure), and `CITELENS_FC_SEED=n` replays one.
 */
export const LONG_PROPERTIES = process.env.CITELENS_LONG === '1';
export function propertyRuns(n: number): number {
  return LONG_PROPERTIES ? n * 20 : n;
}
export function propertySeed(): number | undefined {
  const fixed = Number(process.env.CITELENS_FC_SEED);
  if (Number.isInteger(fixed)) return fixed;
  return LONG_PROPERTIES ? undefined : 20261126;
}
