/**
 * Search over a large library, measured in child processes of their own (so resident memory is the
 * library's, not the benchmark's), along the extension's own path:
 *
 * - `coldMs`: from reading the file to the first search answered, nothing cached: parse and the
 *   papers as bytes (the library worker's first part), the bytes copied as a message copies them
 *   and read back, the library set up with the source pending its index (searches scan), one
 *   search. `indexedMs`: until the
 *   index (built and sent as cache bytes by the worker) is installed; `p95ScanKeystrokeMs`: a
 *   keystroke meanwhile.
 * - `cachedMs`: from reading the persisted cache file to the first search answered (what a second
 *   start does), median of 5.
 * - `p95KeystrokeMs`: realistic queries typed one character at a time (from the second
 *   character; prefix and typo matching on), p95 over every keystroke.
 * - `rssMB`: resident memory of the second process (a start with the cache present) after the
 *   searches.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Library } from '../src/core/library/library';
import { indexPapers } from '../src/core/search/searchIndex';
import { appendSegment, decodeSourceCache, decodeSourceCacheAsync, encodePapers, segmentOfCache } from '../src/core/library/sourceCache';
import { readLibraryFile } from '../src/core/sources/readLibraryFile';

export interface SearchBenchResult {
  entries: number;
  coldMs: number;
  cachedMs: number | null;
  rssMB: number;
  p95KeystrokeMs: number;
  /** Cold start until the index is complete (searches scan the papers until then). */
  indexedMs: number;
  /** Keystroke p95 while the index is still being built (scanning). */
  p95ScanKeystrokeMs: number;
  /**
   * The longest the extension host's own thread works at once in a cold start: a slice of taking
   * in the worker's papers, the last slice with the merge and a first search made at once (which
   * makes every scan text still missing), or installing the index and searching again.
   */
  mainThreadMs: number;
}

const QUERIES = ['neural network', 'optimization', 'smith 2010', 'graph', 'reinforcement learning', 'transformr', 'deep learning', 'bayesian inference', 'convex', 'language model', 'quantum', 'gravitational waves'];

const now = (): number => performance.now();
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round1 = (x: number): number => Math.round(x * 10) / 10;

const stampOf = (path: string) => {
  const s = statSync(path);
  return { size: s.size, mtimeMs: s.mtimeMs };
};

/** Keystroke times (ms, sorted) of typing every query one character at a time, from the second. */
function keystrokes(library: Library, rounds: number): number[] {
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const q of QUERIES) {
      for (let i = 2; i <= q.length; i++) {
        const t = now();
        library.search(q.slice(0, i), 50);
        times.push(now() - t);
      }
    }
  }
  return times.sort((a, b) => a - b);
}
const p95 = (sorted: number[]): number => round1(sorted[Math.floor(sorted.length * 0.95)]);

/**
 * First child: a cold start as the extension makes it, which also writes the cache file. The
 * worker's part (parse, the papers as bytes; then the index appended) runs in this thread, so `indexedMs` is an upper bound:
 * in the extension the worker indexes while the extension host already answers searches.
 */
async function measureCold(path: string, cacheFile: string): Promise<Pick<SearchBenchResult, 'coldMs' | 'indexedMs' | 'p95ScanKeystrokeMs' | 'mainThreadMs'>> {
  const t0 = now();
  const result = readLibraryFile(path, readFileSync(path), new Map());
  const papersBytes = encodePapers(result, stampOf(path));
  const copy = papersBytes.slice(); // the worker sends a copy (transferred)
  // the extension host takes the papers in by slices; the last slice, the merge and the first
  // search run in one go
  let sliceStart = now(), longestSlice = 0;
  const received = await decodeSourceCacheAsync(copy, stampOf(path), async () => {
    longestSlice = Math.max(longestSlice, now() - sliceStart);
    await new Promise((r) => setImmediate(r));
    sliceStart = now();
  });
  if (!received) throw new Error('the papers did not read back');
  const library = new Library();
  const install = library.setSourcePending(received);
  library.search('learning', 20);
  const coldMs = now() - t0;
  const mainThreadMs = Math.max(longestSlice, now() - sliceStart);
  const t1 = now();
  const scan = keystrokes(library, 1);
  const typing = now() - t1;
  const cacheBytes = appendSegment(papersBytes, indexPapers(result.papers));
  const tInstall = now();
  install(segmentOfCache(cacheBytes)!);
  library.search('learning', 20);
  const installMs = now() - tInstall;
  const indexedMs = now() - t0 - typing;
  writeFileSync(cacheFile, cacheBytes);
  return { coldMs: Math.round(coldMs), indexedMs: Math.round(indexedMs), p95ScanKeystrokeMs: p95(scan), mainThreadMs: Math.round(Math.max(mainThreadMs, installMs)) };
}

/** Second child: a start with the cache present, then typing; resident memory at the end. */
function measureCached(path: string, cacheFile: string): Pick<SearchBenchResult, 'entries' | 'cachedMs' | 'rssMB' | 'p95KeystrokeMs'> {
  let library = new Library();
  const cachedRuns: number[] = [];
  let entries = 0;
  for (let run = 0; run < 5; run++) {
    (globalThis as { gc?: () => void }).gc?.(); // each run a fresh start: no garbage of the one before
    const t = now();
    const c = decodeSourceCache(readFileSync(cacheFile), stampOf(path));
    if (!c) throw new Error('the cache did not load');
    library = new Library();
    library.setSource(c);
    library.search('learning', 20);
    cachedRuns.push(now() - t);
    entries = c.papers.length;
  }
  const times = keystrokes(library, 2);
  (globalThis as { gc?: () => void }).gc?.();
  return {
    entries,
    cachedMs: Math.round(median(cachedRuns)),
    rssMB: Math.round(process.memoryUsage().rss / 1e6),
    p95KeystrokeMs: p95(times),
  };
}

/** `--search-child cold|cached FILE CACHE`: runs one half of the measurement and prints it as JSON. */
export async function searchChildMain(argv: string[]): Promise<boolean> {
  const i = argv.indexOf('--search-child');
  if (i < 0) return false;
  const [mode, path, cacheFile] = argv.slice(i + 1);
  process.stdout.write(JSON.stringify(mode === 'cold' ? await measureCold(path, cacheFile) : measureCached(path, cacheFile)) + '\n');
  return true;
}

function child<T>(args: string[]): Promise<T> {
  return new Promise((done, fail) => {
    execFile(process.execPath, ['--expose-gc', '--max-old-space-size=6000', process.argv[1], '--search-child', ...args], { maxBuffer: 16 << 20, timeout: 10 * 60_000 }, (err, stdout, stderr) => {
      try {
        done(JSON.parse(stdout.trim().split('\n').pop() ?? '') as T);
      } catch {
        fail(new Error(`search benchmark failed: ${err?.message ?? ''} ${stderr.slice(-500)}`));
      }
    });
  });
}

/** Measures search over the library file at `path`: a cold start and a cached start, each in a fresh process. */
export async function benchSearch(path: string): Promise<SearchBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'citelens-cache-'));
  try {
    const cacheFile = join(dir, 'library.bin');
    const cold = await child<ReturnType<typeof measureCold>>(['cold', path, cacheFile]);
    const cached = await child<ReturnType<typeof measureCached>>(['cached', path, cacheFile]);
    return { entries: cached.entries, coldMs: cold.coldMs, cachedMs: cached.cachedMs, rssMB: cached.rssMB, p95KeystrokeMs: cached.p95KeystrokeMs, indexedMs: cold.indexedMs, p95ScanKeystrokeMs: cold.p95ScanKeystrokeMs, mainThreadMs: cold.mainThreadMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
