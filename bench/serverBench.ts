/**
 * The language server measured through the protocol, as an editor uses it (`dist/server.js` over
 * stdio, a fresh process and cache folder per start):
 *
 * - `startToHoverMs`: process start to the first hover answered on a built-in paper's title.
 * - On the generated 100k-entry library: `coldFirstSearchMs` (start to the first search that finds a
 *   paper of the library, no cache), `cachedFirstSearchMs` (the same with the cache the cold start
 *   wrote), hover and completion latencies (p95) while the library loads and after, the server's
 *   resident memory (`rssMB`, workers included: they are threads of the process), and
 *   `clientLongestStepMs`, the longest the editor-side process's event loop is held while the
 *   library arrives (what the extension host pays now: receiving notifications).
 * - On a folder of library files (ACM-CR's `data/acm-dl` with `--acm DIR`, else the generated
 *   library split into 900 files): `readyMs` until every file is read, the worst hover and
 *   completion latency meanwhile, and the entries read.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from '../test/server/lspClient';

export interface ServerBenchResult {
  startToHoverMs: number;
  library?: {
    /** Entries read from the library file. */
    entries: number;
    /** Papers the library shows: the generated library's copies are the same papers under new keys, shown once. */
    distinctPapers: number;
    coldFirstSearchMs: number;
    cachedFirstSearchMs: number;
    hoverP95LoadingMs: number;
    completionP95LoadingMs: number;
    hoverP95Ms: number;
    completionP95Ms: number;
    rssMB: number;
    clientLongestStepMs: number;
  };
  folder?: {
    name: string;
    files: number;
    papers: number;
    readyMs: number;
    hoverMaxLoadingMs: number;
    completionMaxLoadingMs: number;
    hoverP95LoadingMs: number;
  };
}

const TITLE = 'Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism';
const DOC = `As ${TITLE} shows, we cite \\cite{lang} here.\n`;
const now = (): number => performance.now();
const p95 = (xs: number[]): number => (xs.length ? Math.round([...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] * 10) / 10 : 0);
const max = (xs: number[]): number => Math.round(Math.max(0, ...xs));

/**
 * Servers started and not yet stopped. A measurement that fails midway leaves its server running,
 * still writing its cache into the temporary folder: it is ended before the folder is removed.
 */
const running = new Set<LspClient>();

/** Shuts a server down the way an editor does (shutdown, exit), waiting for the process to end. */
async function stop(client: LspClient): Promise<void> {
  running.delete(client);
  await client.shutdown();
}

/** Ends every server still running (killed: a failed measurement's server may not answer), waiting for each. */
async function stopAll(): Promise<void> {
  const left = [...running];
  running.clear();
  await Promise.all(left.map(async (c) => {
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
    await c.exited;
  }));
}

/**
 * Removes a temporary folder once its servers are gone. A folder that still cannot be removed is
 * reported and left behind: cleaning up must not replace a measurement's own error or result.
 */
async function removeTempDir(dir: string): Promise<void> {
  await stopAll();
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch (e) {
    process.stderr.write(`bench: could not remove ${dir} (${e instanceof Error ? e.message : String(e)}); left behind\n`);
  }
}

/** A started server with a document open and its cache in `storage`. */
async function start(dir: string, storage: string, libraries: string[]): Promise<{ client: LspClient; uri: string; t0: number }> {
  const t0 = now();
  const client = new LspClient(['--stdio'], { XDG_CACHE_HOME: storage });
  running.add(client);
  client.settings = { libraries };
  await client.initialize(dir, { storagePath: storage });
  const uri = 'file://' + join(dir, 'bench.tex');
  client.open(uri, 'latex', DOC);
  return { client, uri, t0 };
}

const hoverParams = (uri: string) => ({ textDocument: { uri }, position: { line: 0, character: 6 } });
const completionParams = (uri: string) => ({ textDocument: { uri }, position: { line: 0, character: DOC.indexOf('{lang}') + 5 } });

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = now();
  await f();
  return now() - t;
}

async function status(client: LspClient): Promise<{ papers: number; loading: number; entries: number }> {
  const st = await client.request<{ papers: number; loading: number; sources: { source: string; entries: number }[] }>('citelens/libraryStatus', {});
  return { ...st, entries: st.sources.filter((s) => s.source !== 'builtin').reduce((n, s) => n + s.entries, 0) };
}

/** True once every library file is read and some arrived (the built-in corpus alone is 72 papers). */
const loaded = async (client: LspClient): Promise<boolean> => {
  const st = await status(client);
  return st.loading === 0 && st.entries > 0;
};

/** Hovers and completions every 50 ms until `done` says so; their latencies. */
async function probe(client: LspClient, uri: string, done: () => Promise<boolean>, timeoutMs: number): Promise<{ hover: number[]; completion: number[] }> {
  const hover: number[] = [];
  const completion: number[] = [];
  const end = now() + timeoutMs;
  while (!(await done())) {
    if (now() > end) throw new Error('the server did not finish loading in time');
    hover.push(await timed(() => client.request('textDocument/hover', hoverParams(uri))));
    completion.push(await timed(() => client.request('textDocument/completion', completionParams(uri))));
    await new Promise((r) => setTimeout(r, 50));
  }
  return { hover, completion };
}

function serverRssMB(client: LspClient): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${client.proc.pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : -1;
  } catch {
    return -1;
  }
}

async function measureLibrary(path: string, query: string, key: string): Promise<ServerBenchResult['library']> {
  const dir = mkdtempSync(join(tmpdir(), 'citelens-server-bench-'));
  const storage = join(dir, 'storage');
  try {
    const firstSearch = async (client: LspClient, t0: number) => {
      for (const end = now() + 120_000; now() < end; ) {
        const r = await client.request<{ hits: { paper: { key: string } }[] }>('citelens/search', { query, limit: 5 });
        if (r.hits.some((h) => h.paper.key === key)) return now() - t0;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no search found ${key} for "${query}"`);
    };
    // cold: no cache; the client's own event loop is watched meanwhile
    let longest = 0;
    let last = now();
    const tick = setInterval(() => {
      const t = now();
      longest = Math.max(longest, t - last - 10);
      last = t;
    }, 10);
    const cold = await start(dir, storage, [path]);
    // hovers and completions go on while the library loads, beside the first search
    const [coldFirstSearchMs, loading] = await Promise.all([firstSearch(cold.client, cold.t0), probe(cold.client, cold.uri, () => loaded(cold.client), 120_000)]);
    clearInterval(tick);
    // wait for the cache file: the index arrives after the papers
    await new Promise((r) => setTimeout(r, 1500));
    const hover: number[] = [];
    const completion: number[] = [];
    for (let i = 0; i < 40; i++) {
      hover.push(await timed(() => cold.client.request('textDocument/hover', hoverParams(cold.uri))));
      completion.push(await timed(() => cold.client.request('textDocument/completion', completionParams(cold.uri))));
    }
    const rssMB = serverRssMB(cold.client);
    const { entries, papers } = await status(cold.client);
    await stop(cold.client);
    // cached: a second start finds the cache the first wrote
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const warm = await start(dir, storage, [path]);
      runs.push(await firstSearch(warm.client, warm.t0));
      await stop(warm.client);
    }
    return {
      entries,
      distinctPapers: papers,
      coldFirstSearchMs: Math.round(coldFirstSearchMs),
      cachedFirstSearchMs: Math.round([...runs].sort((a, b) => a - b)[1]),
      hoverP95LoadingMs: p95(loading.hover),
      completionP95LoadingMs: p95(loading.completion),
      hoverP95Ms: p95(hover),
      completionP95Ms: p95(completion),
      rssMB,
      clientLongestStepMs: Math.round(longest),
    };
  } finally {
    await removeTempDir(dir);
  }
}

/** Every library file under `dir`. */
function libraryFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...libraryFiles(p));
    else if (/\.(bib|json)$/i.test(name)) out.push(p);
  }
  return out;
}

/** The generated library split into `n` files of a folder tree, as a lab's export folder. */
function splitLibrary(path: string, n: number, into: string): void {
  const text = readFileSync(path, 'utf8');
  const entries = text.split(/\n(?=@)/);
  const per = Math.ceil(entries.length / n);
  for (let f = 0; f < n; f++) {
    const sub = join(into, `venue${f % 35}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `part${f}.bib`), entries.slice(f * per, (f + 1) * per).join('\n'));
  }
}

async function measureFolder(folder: string, name: string): Promise<ServerBenchResult['folder']> {
  const dir = mkdtempSync(join(tmpdir(), 'citelens-server-folder-'));
  try {
    const files = libraryFiles(folder).length;
    const s = await start(dir, join(dir, 'storage'), [join(folder, '**', '*.bib')]);
    const loading = await probe(s.client, s.uri, () => loaded(s.client), 300_000);
    const readyMs = now() - s.t0;
    const papers = (await status(s.client)).entries;
    await stop(s.client);
    return { name, files, papers, readyMs: Math.round(readyMs), hoverMaxLoadingMs: max(loading.hover), completionMaxLoadingMs: max(loading.completion), hoverP95LoadingMs: p95(loading.hover) };
  } finally {
    await removeTempDir(dir);
  }
}

/** Measures the server: start to hover, the 100k library at `libraryPath` (if any), a folder of files. */
export async function benchServer(opts: { libraryPath?: string; acmDir?: string; log: (s: string) => void }): Promise<ServerBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'citelens-server-start-'));
  let startToHoverMs: number;
  try {
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await start(dir, join(dir, `storage${i}`), []);
      for (;;) {
        const h = await s.client.request<{ contents: { value: string } } | null>('textDocument/hover', hoverParams(s.uri));
        if (h && /Shoeybi/.test(h.contents.value)) break;
      }
      runs.push(now() - s.t0);
      await stop(s.client);
    }
    startToHoverMs = Math.round([...runs].sort((a, b) => a - b)[1]);
  } finally {
    await removeTempDir(dir);
  }
  const result: ServerBenchResult = { startToHoverMs };
  if (opts.libraryPath) {
    opts.log('language server on the 100k library…');
    // a paper from the first copy of the generated file (later copies are the same papers, shown once)
    const text = readFileSync(opts.libraryPath, 'utf8').slice(0, 2_000_000);
    const m = /@\w+\{([^,\s]+),[^@]*?title\s*=\s*[{"]([A-Za-z][^}"\\$]{30,80})[}"]/.exec(text.slice(text.length / 2));
    if (m) result.library = await measureLibrary(opts.libraryPath, m[2].replace(/[{}\\]/g, ''), m[1]);
  }
  if (opts.acmDir) {
    opts.log(`language server on the folder ${opts.acmDir}…`);
    result.folder = await measureFolder(opts.acmDir, 'ACM-CR data/acm-dl (903 files; tkde.bib and pvldb.bib absent)');
  } else if (opts.libraryPath) {
    opts.log('language server on the 100k library split into 900 files…');
    const split = mkdtempSync(join(tmpdir(), 'citelens-split-'));
    try {
      splitLibrary(opts.libraryPath, 900, split);
      result.folder = await measureFolder(split, 'the generated library in 900 files');
    } finally {
      await removeTempDir(split);
    }
  }
  return result;
}
