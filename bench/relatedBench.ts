/**
 * `npm run bench:related -- --acm DIR [--split dev|test|all] [--json] [--params JSON]`: related-paper
 * suggestions measured on ACM-CR (Boudin, 2021), beside a reference BM25 computed in the same run.
 *
 * DIR is a checkout of boudinfl/acm-cr (or its `data` folder): the records are every library file
 * under `data/acm-dl`, the topics `data/topics+qrels/contexts.topics`, the judgements
 * `contexts.qrels`, the citing papers `blacklist.txt`. The split is applied as soon as the topics
 * are read; nothing else sees the others. The default split is `dev`, the one the project tunes
 * on; `test` is kept for judging.
 *
 * Each system runs in a child process of its own, so its time and memory are its own:
 * - citelens: the CLI's path (`related --topics`, the topic title as context): the library loaded as the CLI loads it, one
 *   engine, every paragraph suggested in turn (limit 10, the blacklist excluded). Reported: load
 *   time, index build time, per-paragraph p50 and p95, the whole run including loading, peak RSS.
 * - reference: BM25 with Anserini's settings over the same records (see ./bm25Reference.ts).
 *
 * `--params JSON` overrides ranking parameters of citelens (for measuring one change at a time);
 * `--sweep FILE` (a JSON list of parameter sets) runs citelens once per set on one index, metrics only.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RelatednessEngine } from '../src/core/analysis/related';
import { RelatednessParams } from '../src/core/analysis/relatedTypes';
import { TrecTopic, parseKeyList, parseTrecTopics } from '../src/core/analysis/relatedTrec';
import { loadLibrary } from '../src/cli/cliLibrary';
import { ReferenceBm25 } from './bm25Reference';
import { EvalResult, RunEntry, Split, evaluate, parseQrels, splitTopics } from './trecEval';

/** What a child is told (written to a file: topics of the split only). */
interface ChildJob {
  bibDir: string;
  topics: TrecTopic[];
  blacklist: string[];
  params?: Partial<RelatednessParams>;
  sweep?: Partial<RelatednessParams>[];
  /** Judgements of the split's topics (sweep mode evaluates in the child). */
  qrels?: [string, string[]][];
}

interface ChildResult {
  papers: number;
  /** Resident memory after loading, after building the index (MB). */
  rssLoadedMB: number;
  rssBuiltMB: number;
  /** CPU seconds of the whole child (user + system): less sensitive than wall time to a busy machine. */
  cpuS: number;
  loadMs: number;
  buildMs: number;
  queryMs: number[];
  /** CPU time of each paragraph's suggestions (ms). */
  queryCpuMs: number[];
  totalMs: number;
  rssMB: number;
  run: [string, RunEntry[]][];
  /**
   * The other query form: citelens on the paragraph alone (no document title); the reference on
   * title + paragraph. Either way, the comparison says what the title adds.
   */
  runOther: [string, RunEntry[]][];
  sweep?: { params: Partial<RelatednessParams>; recall: number; ndcg: number }[];
}

const LIMIT = 10;
const now = () => performance.now();
const quantile = (xs: readonly number[], f: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(f * s.length))] : 0;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function loadPapers(bibDir: string) {
  const { library } = loadLibrary({ command: 'related', positional: [], bibs: [bibDir], json: false, builtin: false, help: false }, [], { searchIndex: false, note: () => undefined });
  return library.papers();
}

function childMain(kind: string, jobFile: string): void {
  const t0 = now();
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as ChildJob;
  const exclude = new Set(job.blacklist);
  const papers = loadPapers(job.bibDir);
  const loadMs = now() - t0;
  const rssLoadedMB = Math.round(process.memoryUsage().rss / 2 ** 20);
  let rssBuiltMB = 0;
  const queryMs: number[] = [];
  const queryCpuMs: number[] = [];
  const run: [string, RunEntry[]][] = [];
  const runOther: [string, RunEntry[]][] = [];
  let buildMs = 0;
  let sweep: ChildResult['sweep'];
  let cpuAtEnd: NodeJS.CpuUsage | undefined;
  let endMs: number | undefined;
  if (kind === 'reference') {
    const b0 = now();
    const bm25 = new ReferenceBm25(papers);
    buildMs = now() - b0;
    for (const t of job.topics) {
      const q0 = now();
      run.push([t.id, bm25.search(t.text, LIMIT, exclude)]);
      queryMs.push(now() - q0);
      runOther.push([t.id, bm25.search(`${t.title}\n${t.text}`, LIMIT, exclude)]);
    }
  } else if (job.sweep) {
    const qrels = new Map(job.qrels!.map(([t, keys]) => [t, new Set(keys)]));
    sweep = [];
    const base = new RelatednessEngine(papers);
    for (const params of job.sweep) {
      const engine = base.retuned(params);
      const r = new Map(job.topics.map((t) => [t.id, engine.suggest(t.text, { limit: LIMIT, exclude, context: t.title })]));
      const e = evaluate(r, qrels, exclude);
      sweep.push({ params, recall: e.recall, ndcg: e.ndcg });
      process.stderr.write(`${JSON.stringify(params)}\trecall@10 ${e.recall.toFixed(4)}\tnDCG@10 ${e.ndcg.toFixed(4)}\n`);
    }
  } else {
    const b0 = now();
    const engine = new RelatednessEngine(papers, job.params);
    buildMs = now() - b0;
    rssBuiltMB = Math.round(process.memoryUsage().rss / 2 ** 20);
    for (const t of job.topics) {
      const q0 = now();
      const c0 = process.cpuUsage();
      const s = engine.suggest(t.text, { limit: LIMIT, exclude, context: t.title });
      const c = process.cpuUsage(c0);
      queryMs.push(now() - q0);
      queryCpuMs.push((c.user + c.system) / 1000);
      run.push([t.id, s.map((x) => ({ key: x.key, score: x.score }))]);
    }
    cpuAtEnd = process.cpuUsage();
    endMs = now() - t0;
    for (const t of job.topics) runOther.push([t.id, engine.suggest(t.text, { limit: LIMIT, exclude }).map((x) => ({ key: x.key, score: x.score }))]);
  }
  // the figures of the run as the CLI makes it (not the second, comparison pass)
  const cpu = cpuAtEnd ?? process.cpuUsage();
  const totalMs = endMs ?? now() - t0;
  const result: ChildResult = { papers: papers.length, rssLoadedMB, rssBuiltMB, cpuS: (cpu.user + cpu.system) / 1e6, loadMs, buildMs, queryMs, queryCpuMs, totalMs, rssMB: Math.round(process.resourceUsage().maxRSS / 1024), run, runOther, sweep };
  process.stdout.write(JSON.stringify(result));
}

function runChild(kind: string, jobFile: string): Promise<ChildResult> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [process.argv[1], '--related-child', kind, jobFile], { maxBuffer: 256 << 20, timeout: 30 * 60_000 }, (err, stdout, stderr) => {
      if (stderr) process.stderr.write(stderr);
      if (err) fail(new Error(`${kind} failed: ${err.message}`));
      else done(JSON.parse(stdout) as ChildResult);
    });
  });
}

function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const child = argValue(argv, '--related-child');
  if (child) return childMain(child, argv[argv.indexOf('--related-child') + 2]);
  const acm = argValue(argv, '--acm');
  if (!acm) throw new Error('usage: npm run bench:related -- --acm DIR [--split dev|test|all] [--json] [--params JSON] [--sweep FILE]');
  const split = (argValue(argv, '--split') ?? 'dev') as Split;
  if (!['dev', 'test', 'all'].includes(split)) throw new Error(`--split is dev, test or all, not ${split}`);
  const json = argv.includes('--json');
  const root = existsSync(join(acm, 'data', 'acm-dl')) ? join(acm, 'data') : resolve(acm);
  const qdir = join(root, 'topics+qrels');
  const bibDir = join(root, 'acm-dl');

  // the split first: only its topics go any further
  const topics = splitTopics(parseTrecTopics(readFileSync(join(qdir, 'contexts.topics'), 'utf8'), 'contexts.topics').topics, split);
  const ids = new Set(topics.map((t) => t.id));
  const blacklist = parseKeyList(readFileSync(join(qdir, 'blacklist.txt'), 'utf8'));
  const qrels = parseQrels(readFileSync(join(qdir, 'contexts.qrels'), 'utf8'), ids, blacklist);
  const params = argValue(argv, '--params') ? (JSON.parse(argValue(argv, '--params')!) as Partial<RelatednessParams>) : undefined;
  const sweepFile = argValue(argv, '--sweep');
  const tmp = mkdtempSync(join(tmpdir(), 'citelens-related-'));
  const log = (s: string) => (json ? undefined : process.stderr.write(s + '\n'));
  try {
    const job: ChildJob = { bibDir, topics, blacklist: [...blacklist], params };
    if (sweepFile) {
      job.sweep = JSON.parse(readFileSync(sweepFile, 'utf8')) as Partial<RelatednessParams>[];
      job.qrels = [...qrels].map(([t, s]) => [t, [...s]]);
    }
    const jobFile = join(tmp, 'job.json');
    writeFileSync(jobFile, JSON.stringify(job));
    if (sweepFile) {
      const r = await runChild('ours', jobFile);
      process.stdout.write(JSON.stringify(r.sweep) + '\n');
      return;
    }
    log(`ACM-CR ${split} split: ${topics.length} paragraphs; running citelens…`);
    const ours = await runChild('ours', jobFile);
    log('running the reference BM25…');
    const ref = await runChild('reference', jobFile);
    const eo = evaluate(new Map(ours.run), qrels, blacklist);
    const er = evaluate(new Map(ref.run), qrels, blacklist);
    const eoParagraph = evaluate(new Map(ours.runOther), qrels, blacklist);
    const erTitle = evaluate(new Map(ref.runOther), qrels, blacklist);
    const report = {
      split,
      paragraphs: topics.length,
      judgedTopics: eo.topics,
      records: ours.papers,
      note: 'distinct records after merging duplicates; tkde.bib and pvldb.bib are absent from the stored copy of ACM-CR',
      reference: { recall10: round(er.recall, 4), ndcg10: round(er.ndcg, 4) },
      citelens: { recall10: round(eo.recall, 4), ndcg10: round(eo.ndcg, 4) },
      ratio: { recall10: round(eo.recall / er.recall, 3), ndcg10: round(eo.ndcg / er.ndcg, 3) },
      // the same comparison with the same query text on both sides
      paragraphOnly: { citelens: { recall10: round(eoParagraph.recall, 4), ndcg10: round(eoParagraph.ndcg, 4) }, ratio: { recall10: round(eoParagraph.recall / er.recall, 3), ndcg10: round(eoParagraph.ndcg / er.ndcg, 3) } },
      titleAndParagraph: { reference: { recall10: round(erTitle.recall, 4), ndcg10: round(erTitle.ndcg, 4) }, ratio: { recall10: round(eo.recall / erTitle.recall, 3), ndcg10: round(eo.ndcg / erTitle.ndcg, 3) } },
      topicsBetterWorse: pairwise(eo, er),
      speed: {
        loadMs: Math.round(ours.loadMs),
        buildMs: Math.round(ours.buildMs),
        paragraphP50Ms: round(quantile(ours.queryMs, 0.5)),
        paragraphP95Ms: round(quantile(ours.queryMs, 0.95)),
        paragraphCpuP50Ms: round(quantile(ours.queryCpuMs, 0.5)),
        paragraphCpuP95Ms: round(quantile(ours.queryCpuMs, 0.95)),
        allParagraphsIncludingLoadMs: Math.round(ours.totalMs),
        peakRssMB: ours.rssMB,
        rssAfterLoadMB: ours.rssLoadedMB,
        rssAfterIndexMB: ours.rssBuiltMB,
        cpuSeconds: round(ours.cpuS),
      },
      referenceSpeed: { buildMs: Math.round(ref.buildMs), paragraphP50Ms: round(quantile(ref.queryMs, 0.5)), peakRssMB: ref.rssMB },
    };
    if (json) {
      process.stdout.write(JSON.stringify(report) + '\n');
      return;
    }
    const s = report.speed;
    console.log(
      [
        `ACM-CR, ${split} split: ${topics.length} paragraphs (${eo.topics} judged), ${ours.papers.toLocaleString('en-US')} records (${report.note})`,
        `  (both systems see the same records, the blacklist excluded, 10 suggestions per paragraph)`,
        `                                        recall@10  nDCG@10`,
        `  reference BM25 (paragraph)            ${er.recall.toFixed(4)}     ${er.ndcg.toFixed(4)}`,
        `  citelens (paragraph + topic title)    ${eo.recall.toFixed(4)}     ${eo.ndcg.toFixed(4)}   ${report.ratio.recall10.toFixed(3)}×  ${report.ratio.ndcg10.toFixed(3)}×`,
        `  citelens (paragraph alone)            ${eoParagraph.recall.toFixed(4)}     ${eoParagraph.ndcg.toFixed(4)}   ${report.paragraphOnly.ratio.recall10.toFixed(3)}×  ${report.paragraphOnly.ratio.ndcg10.toFixed(3)}×`,
        `  reference BM25 (paragraph + title)    ${erTitle.recall.toFixed(4)}     ${erTitle.ndcg.toFixed(4)}   (citelens with the title: ${report.titleAndParagraph.ratio.recall10.toFixed(3)}×  ${report.titleAndParagraph.ratio.ndcg10.toFixed(3)}×)`,
        `  paragraphs better / worse than the reference (nDCG@10): ${report.topicsBetterWorse.better} / ${report.topicsBetterWorse.worse}`,
        `  citelens: load ${round(s.loadMs / 1000)} s, index ${round(s.buildMs / 1000)} s; per paragraph p50 ${s.paragraphP50Ms} ms, p95 ${s.paragraphP95Ms} ms wall (CPU ${s.paragraphCpuP50Ms} / ${s.paragraphCpuP95Ms} ms); ` +
          `all paragraphs including loading ${round(s.allParagraphsIncludingLoadMs / 1000)} s wall, ${s.cpuSeconds} s CPU; ` +
          `RSS ${s.rssAfterLoadMB} MB loaded, ${s.rssAfterIndexMB} MB indexed, peak ${s.peakRssMB} MB`,
      ].join('\n'),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function pairwise(a: EvalResult, b: EvalResult): { better: number; worse: number } {
  let better = 0;
  let worse = 0;
  for (const [t, x] of a.perTopic) {
    const y = b.perTopic.get(t)!;
    if (x.ndcg > y.ndcg) better++;
    else if (x.ndcg < y.ndcg) worse++;
  }
  return { better, worse };
}

main().catch((e) => {
  process.stderr.write(`bench:related: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
