/**
 * The parse benchmark: our BibTeX reader next to the peers (`@orcid/bibtex-parse-js`,
 * `latex-utensils`, `@retorquere/bibtex-parser` with LaTeX decoding and in its verbatim mode)
 * and a floor (read the file and split it at entry starts), on the large real files under
 * `../shared/bibdata` and on a generated 100k-entry library; plus the entries each parser
 * recovers over every `.bib` file there.
 *
 * Timing: wall clock, median of up to 15 runs in one process (slower runs get fewer, see
 * {@link runsFor}). Ours and the peers are timed on the decoded text (that is what every peer
 * takes); the floor includes reading and decoding the file, and so does `oursReadMs`. Each peer
 * runs in a child process of its own, so one peer's heap and garbage never weigh on another's
 * timing, and a peer that runs out of memory cannot stop the benchmark.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseBibtex } from '../src/core/sources/bibtex/reader';
import { decodeText } from '../src/core/sources/decodeText';
import type { Paper } from '../src/core/model/paper';
import { GeneratedLibrary, writeGeneratedLibrary } from './generateLibrary';

/** One peer's result on one file. `ms` is null when it failed (see `error`) or was skipped. */
export interface PeerResult {
  ms: number | null;
  /** Median CPU time of the process (all threads) per run: steadier than wall time on a busy machine. */
  cpuMs?: number;
  entries: number;
  runs: number;
  error?: string;
}

/** One benchmarked file. */
export interface FileResult {
  name: string;
  bytes: number;
  /** Entries our reader recovered (including later duplicates of a key). */
  entries: number;
  /** Read, decode and split at entry starts. */
  floorMs: number;
  /** Our parse of the decoded text (papers made; LaTeX decoded on first read of title/authors/fields). */
  oursMs: number;
  /** CPU time of the same (median per run). */
  oursCpuMs: number;
  /** Read + decode + our parse: the figure comparable to the floor. */
  oursReadMs: number;
  /**
   * Our parse plus reading every paper's values as search and display use them: title, authors,
   * venue, abstract, DOI, arXiv id, URL, keywords (LaTeX decoded; what the library worker sends).
   */
  oursPapersMs: number;
  /** The same plus every paper's record of all its fields, decoded. */
  oursMaterializedMs: number;
  papers: number;
  diagnostics: number;
  peers: Record<string, PeerResult>;
}

/** Entries recovered over every `.bib` file under the bibdata folder. */
export interface Totals {
  files: number;
  ours: number;
  /** Files where ours threw (must be 0). */
  oursThrew: number;
  oursMs: number;
  peers: Record<string, { entries: number; threw: number }>;
  /** Files where some peer recovered more entries than we did. */
  behind: { file: string; ours: number; best: number; peer: string }[];
}

export interface ParseBenchResult {
  files: FileResult[];
  totals?: Totals;
  /** The papers of the generated 100k library, for the search and mention benchmarks. */
  bigPapers: Paper[];
  /** The generated library file (the caller disposes it), for the search benchmark. */
  generated?: GeneratedLibrary;
}

export const PEERS = ['@orcid/bibtex-parse-js', 'latex-utensils', '@retorquere/bibtex-parser', '@retorquere/bibtex-parser (verbatim)'] as const;
type PeerName = (typeof PEERS)[number];

const repoRoot = resolve(__dirname, '..', '..');
const requireFromRepo = createRequire(join(repoRoot, 'package.json'));

/** The large real files of `INDEX.md`, relative to the bibdata folder. */
const REAL_FILES = [
  'retorquere__zotero-better-bibtex/import/Unabbreviate on import #1436-3.bib',
  'plk__biber/tugboat.bib',
  'retorquere__zotero-better-bibtex/import/Maintain the JabRef group and subgroup structure when importing a BibTeX db #97.bib',
  'plk__biber/papers.bib',
  'retorquere__zotero-better-bibtex/export/Bulk performance test.bib',
];
/** The file the generated 100k-entry library is made of, and how many copies. */
export const MAIN_FILE = REAL_FILES[0];
export const COPIES = 14;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const round = (ms: number): number => Math.round(ms * 10) / 10;

/** Runs per measurement: 15, or fewer when one run is slow (keeps the whole bench within minutes). */
function runsFor(firstMs: number): number {
  return firstMs > 8000 ? 1 : firstMs > 2500 ? 3 : firstMs > 500 ? 5 : 15;
}

/**
 * Warm-up before the timed runs, the same rule for every parser: untimed runs until one second
 * of warm-up has passed (at most 50 runs, at least 1). V8 needs several runs over a file before a
 * parser's code is optimized and its heap has grown to size; the median then measures the
 * steady state, not the JIT. (Per-run times of our reader on the 3 MB file drop from ~25 to
 * ~15 ms after about 20 runs, half a second: a cap of 10 runs timed some runs before that.)
 */
const WARMUP_MS = 1000;
const WARMUP_MAX = 50;

/**
 * Times `f` in this process: the warm-up (the first run decides how many timed runs follow, see
 * {@link runsFor}; a single slow run is timed as it is), then the median of the timed runs.
 * Returns the median and the last result.
 */
function timeRuns<T>(f: () => T, maxRuns = 15): { ms: number; cpuMs: number; runs: number; result: T } {
  const times: number[] = [];
  const cpu: number[] = [];
  const started = performance.now();
  const c0 = process.cpuUsage();
  let result: T = f();
  const first = performance.now() - started;
  const runs = Math.min(maxRuns, runsFor(first));
  if (runs === 1) {
    const c = process.cpuUsage(c0);
    return { ms: first, cpuMs: (c.user + c.system) / 1000, runs: 1, result };
  }
  for (let w = 1; w < WARMUP_MAX && performance.now() - started < WARMUP_MS; w++) result = f();
  result = undefined as T;
  while (times.length < runs) {
    result = undefined as T;
    const c = process.cpuUsage();
    const t = performance.now();
    result = f();
    times.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpu.push((d.user + d.system) / 1000);
  }
  return { ms: median(times), cpuMs: median(cpu), runs, result };
}

/** A one-line error message. */
function errorLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 160);
}

/** Read + decode + split at entry starts (the floor). */
function floor(path: string): number {
  const text = readFileSync(path, 'utf8');
  const parts: string[] = [];
  let p = text.charCodeAt(0) === 64 ? 0 : text.indexOf('\n@');
  while (p !== -1) {
    const start = text.charCodeAt(p) === 64 ? p : p + 1;
    const q = text.indexOf('\n@', start);
    parts.push(text.slice(start, q === -1 ? text.length : q + 1));
    p = q;
  }
  return parts.length;
}

/** Loads a peer and returns a function from text to the number of entries it recovered. */
async function loadPeer(name: PeerName): Promise<(text: string) => number> {
  switch (name) {
    case '@orcid/bibtex-parse-js': {
      const orcid = requireFromRepo('@orcid/bibtex-parse-js') as { toJSON(s: string): { citationKey?: string; entryTags?: unknown }[] };
      return (text) => orcid.toJSON(text).filter((e) => e.citationKey !== undefined && e.entryTags !== undefined).length;
    }
    case 'latex-utensils': {
      const lu = requireFromRepo('latex-utensils') as typeof import('latex-utensils');
      // (latex-utensils reports @comment blocks as entries too: not counted)
      return (text) => lu.bibtexParser.parse(text).content.filter((e) => lu.bibtexParser.isEntry(e) && !/^(comment|string|preamble)$/i.test(e.entryType)).length;
    }
    case '@retorquere/bibtex-parser': {
      // ESM only (its CommonJS build requires an ESM-only dependency)
      const esmDir = join(dirname(dirname(requireFromRepo.resolve('@retorquere/bibtex-parser'))), 'esm');
      const rt = (await import(pathToFileURL(join(esmDir, 'index.js')).href)) as { parse(s: string, o?: object): { entries: unknown[] } };
      return (text) => rt.parse(text).entries.length;
    }
    case '@retorquere/bibtex-parser (verbatim)': {
      const esmDir = join(dirname(dirname(requireFromRepo.resolve('@retorquere/bibtex-parser'))), 'esm');
      const v = (await import(pathToFileURL(join(esmDir, 'verbatim.js')).href)) as { parse(s: string): { entries: unknown[] } };
      return (text) => v.parse(text).entries.length;
    }
  }
}

/**
 * Child-process modes of the bench script (`--peer NAME --file PATH [--runs N]` times one peer on
 * one file; `--peer-totals NAME --list FILE` counts a peer's entries over a list of files).
 * Prints one JSON line; returns false when `argv` asks for neither.
 */
export async function peerChildMain(argv: string[]): Promise<boolean> {
  const arg = (k: string): string | undefined => {
    const i = argv.indexOf(k);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const peer = arg('--peer') as PeerName | undefined;
  const totalsPeer = arg('--peer-totals') as PeerName | undefined;
  const oursFile = arg('--ours');
  if (oursFile) {
    process.stdout.write(JSON.stringify(oursOn(oursFile).result) + '\n');
    return true;
  }
  if (peer) {
    const file = arg('--file')!;
    const maxRuns = Number(arg('--runs') ?? 15);
    const out: PeerResult = { ms: null, entries: 0, runs: 0 };
    try {
      const parse = await loadPeer(peer);
      const text = readFileSync(file, 'utf8');
      const r = timeRuns(() => parse(text), maxRuns);
      Object.assign(out, { ms: round(r.ms), cpuMs: round(r.cpuMs), entries: r.result, runs: r.runs });
    } catch (e) {
      out.error = errorLine(e);
    }
    process.stdout.write(JSON.stringify(out) + '\n');
    return true;
  }
  if (totalsPeer) {
    const files = readFileSync(arg('--list')!, 'utf8').split('\n').filter(Boolean);
    const parse = await loadPeer(totalsPeer);
    const counts: Record<string, number> = {};
    for (const f of files) {
      try {
        counts[f] = parse(decodeText(readFileSync(f)).text);
      } catch {
        counts[f] = -1;
      }
    }
    process.stdout.write(JSON.stringify(counts) + '\n');
    return true;
  }
  return false;
}

/** Runs this script in a child process with `args`; resolves with its parsed JSON output. */
function child<T>(args: string[], timeoutMs: number): Promise<T | { error: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--max-old-space-size=6000', process.argv[1], ...args], { maxBuffer: 64 << 20, timeout: timeoutMs }, (err, stdout) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        done(JSON.parse(line) as T);
      } catch {
        done({ error: err ? (err.killed ? `timed out after ${timeoutMs / 1000} s` : errorLine(err)) : 'no output' });
      }
    });
  });
}

async function peerOn(peer: PeerName, file: string, maxRuns: number): Promise<PeerResult> {
  const r = await child<PeerResult>(['--peer', peer, '--file', file, '--runs', String(maxRuns)], 10 * 60_000);
  return 'ms' in r ? r : { ms: null, entries: 0, runs: 0, error: r.error };
}

/** Benchmarks our reader on one file in a child process of its own (like every peer). */
async function oursInChild(path: string): Promise<Omit<FileResult, 'name' | 'peers'> | { error: string }> {
  return child<Omit<FileResult, 'name' | 'peers'>>(['--ours', path], 10 * 60_000);
}

/** Benchmarks our reader on one file (in this process). */
function oursOn(path: string): { result: Omit<FileResult, 'name' | 'peers'>; papers: Paper[] } {
  const bytes = readFileSync(path);
  const text = decodeText(bytes).text;
  const floorMs = timeRuns(() => floor(path)).ms;
  const parsed = timeRuns(() => parseBibtex(text, path));
  const withRead = timeRuns(() => parseBibtex(decodeText(readFileSync(path)).text, path));
  const papersRead = timeRuns(() => {
    const r = parseBibtex(text, path);
    let n = 0;
    for (const p of r.papers) n += p.title.length + p.authors.length + (p.venue?.length ?? 0);
    return n;
  });
  const materialized = timeRuns(() => {
    const r = parseBibtex(text, path);
    let n = 0;
    for (const p of r.papers) n += p.title.length + p.authors.length + (p.venue?.length ?? 0) + Object.keys(p.fields ?? {}).length;
    return n;
  });
  const r = parsed.result;
  return {
    result: {
      bytes: bytes.length,
      entries: r.entries.length,
      floorMs: round(floorMs),
      oursMs: round(parsed.ms),
      oursCpuMs: round(parsed.cpuMs),
      oursReadMs: round(withRead.ms),
      oursPapersMs: round(papersRead.ms),
      oursMaterializedMs: round(materialized.ms),
      papers: r.papers.length,
      diagnostics: r.diagnostics.length,
    },
    papers: r.papers,
  };
}

/** Every `.bib` file under `dir`. */
function bibFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (name.toLowerCase().endsWith('.bib')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Entries recovered by us and by each peer over every `.bib` file under `dir`. */
async function totalsOver(dir: string, tmpList: string, log: (s: string) => void): Promise<Totals> {
  const files = bibFiles(dir);
  writeFileSync(tmpList, files.join('\n'));
  log(`counting entries over ${files.length} files (peers in parallel child processes)…`);
  const peerNames: PeerName[] = ['@retorquere/bibtex-parser', 'latex-utensils', '@orcid/bibtex-parse-js'];
  const peerRuns = peerNames.map((p) => child<Record<string, number>>(['--peer-totals', p, '--list', tmpList], 15 * 60_000));
  const ours: Record<string, number> = {};
  let oursThrew = 0;
  const t0 = performance.now();
  for (const f of files) {
    try {
      ours[f] = parseBibtex(decodeText(readFileSync(f)).text, f).entries.length;
    } catch {
      ours[f] = 0;
      oursThrew++;
    }
  }
  const oursMs = performance.now() - t0;
  const peerCounts = await Promise.all(peerRuns);
  const totals: Totals = { files: files.length, ours: 0, oursThrew, oursMs: Math.round(oursMs), peers: {}, behind: [] };
  for (const f of files) totals.ours += ours[f];
  peerNames.forEach((p, i) => {
    const c = peerCounts[i];
    const t = { entries: 0, threw: 0 };
    if ('error' in c && typeof c.error === 'string') {
      totals.peers[p] = { entries: -1, threw: -1 };
      return;
    }
    const counts = c as Record<string, number>;
    for (const f of files) {
      const n = counts[f] ?? -1;
      if (n < 0) t.threw++;
      else t.entries += n;
    }
    totals.peers[p] = t;
  });
  for (const f of files) {
    let best = -1;
    let who = '';
    peerNames.forEach((p, i) => {
      const c = peerCounts[i] as Record<string, number>;
      if (c && typeof c[f] === 'number' && c[f] > best) {
        best = c[f];
        who = p;
      }
    });
    if (best > ours[f]) totals.behind.push({ file: relative(dir, f), ours: ours[f], best, peer: who });
  }
  return totals;
}

/** Options of {@link benchParse}. */
export interface ParseBenchOptions {
  /** Skip the peers on the generated library and the totals over every file. */
  quick: boolean;
  log: (s: string) => void;
}

/** The whole parse benchmark. */
export async function benchParse(opts: ParseBenchOptions): Promise<ParseBenchResult> {
  const bibdata = resolve(repoRoot, '../shared/bibdata');
  const files: FileResult[] = [];
  let bigPapers: Paper[] = [];
  let generated: GeneratedLibrary | undefined;
  if (!existsSync(bibdata)) {
    opts.log(`(${bibdata} is absent: only the generated library is measured)`);
  }
  const real = REAL_FILES.map((f) => join(bibdata, f)).filter((p) => existsSync(p));
  for (const path of real) {
    const name = basename(path);
    opts.log(`parsing ${name}…`);
    const result = await oursInChild(path);
    if ('error' in result) throw new Error(`our reader failed on ${name}: ${result.error}`);
    const peers: Record<string, PeerResult> = {};
    for (const peer of PEERS) {
      // decoding mode takes ~13 s a run on 3 MB: measured once, on the main file only
      if (peer === '@retorquere/bibtex-parser' && path !== join(bibdata, MAIN_FILE)) continue;
      if (opts.quick && peer === '@retorquere/bibtex-parser') continue;
      peers[peer] = await peerOn(peer, path, peer === '@retorquere/bibtex-parser' ? 1 : 15);
    }
    files.push({ name, ...result, peers });
  }
  // the generated 100k-entry library
  const mainPath = join(bibdata, MAIN_FILE);
  if (existsSync(mainPath)) {
    const gen = writeGeneratedLibrary(mainPath, COPIES);
    generated = gen;
    try {
      opts.log(`parsing the generated library (${(gen.bytes / 1e6).toFixed(1)} MB)…`);
      const result = await oursInChild(gen.path);
      if ('error' in result) throw new Error(`our reader failed on the generated library: ${result.error}`);
      // the papers for the search and mention benchmarks (untimed)
      bigPapers = parseBibtex(decodeText(readFileSync(gen.path)).text, gen.path).papers;
      const peers: Record<string, PeerResult> = {};
      if (!opts.quick) {
        for (const peer of PEERS) {
          if (peer === '@retorquere/bibtex-parser') {
            peers[peer] = { ms: null, entries: 0, runs: 0, error: 'skipped: over 120 s a run with LaTeX decoding' };
            continue;
          }
          peers[peer] = await peerOn(peer, gen.path, peer === 'latex-utensils' ? 1 : 15);
        }
      }
      files.push({ name: `generated ${COPIES}× ${basename(MAIN_FILE)}`, ...result, peers });
    } catch (e) {
      gen.dispose();
      throw e;
    }
  }
  let totals: Totals | undefined;
  if (!opts.quick && existsSync(bibdata)) {
    const list = join(tmpdir(), `citelens-bench-files-${process.pid}.txt`);
    try {
      totals = await totalsOver(bibdata, list, opts.log);
    } finally {
      try {
        unlinkSync(list);
      } catch {
        /* already gone */
      }
    }
  }
  return { files, totals, bigPapers, generated };
}

/** The human table of the parse benchmark. */
export function parseTable(r: ParseBenchResult): string {
  const lines: string[] = [];
  const fmt = (ms: number | null): string => (ms === null ? '—' : ms >= 100 ? `${Math.round(ms)}` : ms.toFixed(1));
  for (const f of r.files) {
    lines.push(`${f.name}  (${(f.bytes / 1e6).toFixed(1)} MB, ${f.entries.toLocaleString('en-US')} entries, ${f.diagnostics} diagnostics)`);
    lines.push(`  floor (read + split)          ${fmt(f.floorMs).padStart(8)} ms`);
    lines.push(`  ours (parse)                  ${fmt(f.oursMs).padStart(8)} ms   ${(f.oursMs / f.floorMs).toFixed(1)}× floor   (cpu ${fmt(f.oursCpuMs)} ms)`);
    lines.push(`  ours (read + decode + parse)  ${fmt(f.oursReadMs).padStart(8)} ms   ${(f.oursReadMs / f.floorMs).toFixed(1)}× floor`);
    lines.push(`  ours (parse + paper values)   ${fmt(f.oursPapersMs).padStart(8)} ms   ${(f.oursPapersMs / f.floorMs).toFixed(1)}× floor`);
    lines.push(`  ours (parse + decode all)     ${fmt(f.oursMaterializedMs).padStart(8)} ms   ${(f.oursMaterializedMs / f.floorMs).toFixed(1)}× floor`);
    let fastest: { name: string; ms: number } | undefined;
    for (const [name, p] of Object.entries(f.peers)) {
      const ratio = p.ms === null ? '' : `${(p.ms / f.oursMs).toFixed(1)}× ours`;
      const cpu = p.cpuMs !== undefined ? `, cpu ${fmt(p.cpuMs)} ms = ${(p.cpuMs / f.oursCpuMs).toFixed(1)}× ours` : '';
      const what = p.ms === null ? `(${p.error ?? 'skipped'})` : `${p.entries.toLocaleString('en-US')} entries, ${p.runs} run${p.runs === 1 ? '' : 's'}${cpu}`;
      lines.push(`  ${name.padEnd(29)} ${fmt(p.ms).padStart(8)} ms   ${ratio.padEnd(12)} ${what}`);
      if (p.ms !== null && (!fastest || p.ms < fastest.ms)) fastest = { name, ms: p.ms };
    }
    if (fastest) {
      const cpu = f.peers[fastest.name].cpuMs;
      lines.push(`  → fastest peer ${fastest.name}: ours is ${(fastest.ms / f.oursMs).toFixed(1)}× faster (parse; ${cpu !== undefined ? (cpu / f.oursCpuMs).toFixed(1) : '?'}× in CPU time), ${(fastest.ms / f.oursPapersMs).toFixed(1)}× (paper values), ${(fastest.ms / f.oursMaterializedMs).toFixed(1)}× (decode all)`);
    }
    lines.push('');
  }
  const t = r.totals;
  if (t) {
    lines.push(`Entries recovered over ${t.files} .bib files: ours ${t.ours.toLocaleString('en-US')} (threw on ${t.oursThrew}, ${t.oursMs} ms in all)`);
    for (const [p, v] of Object.entries(t.peers)) lines.push(`  ${p.padEnd(28)} ${v.entries.toLocaleString('en-US')} (threw on ${v.threw})`);
    lines.push(t.behind.length ? `  files where a peer recovered more: ${t.behind.map((b) => `${b.file} (ours ${b.ours}, ${b.peer} ${b.best})`).join('; ')}` : '  no file where a peer recovered more entries than ours');
  }
  return lines.join('\n');
}
