/**
 * `npm run bench`: the parse benchmark (ours vs peers vs floor, on the large real files and a
 * generated 100k-entry library, plus entries recovered over every `.bib` file), then the search
 * and mention benchmarks on the 100k papers.
 *
 *   npm run bench                  human tables
 *   npm run bench -- --json        one JSON object: {"files": [...], "totals": {...}, "search": {...}, "mentions": {...}}
 *   npm run bench -- --quick       no peers on the generated library, no totals over every file
 *   npm run bench -- --server-only only the language server's figures (through the protocol)
 *   npm run bench -- --acm DIR     the server's folder figures on ACM-CR's data/acm-dl instead of a split library
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeGeneratedLibrary } from './generateLibrary';
import { benchMentions } from './mentionsBench';
import { COPIES, MAIN_FILE, benchParse, parseTable, peerChildMain } from './parseBench';
import { benchSearch, searchChildMain } from './searchBench';
import { ServerBenchResult, benchServer } from './serverBench';

function serverTable(s: ServerBenchResult): string {
  const lines = [`  server start to first hover (built-in corpus): ${s.startToHoverMs} ms`];
  const l = s.library;
  if (l) {
    lines.push(`  ${l.entries.toLocaleString('en-US')} entries (${l.distinctPapers.toLocaleString('en-US')} distinct papers): cold start to first search ${l.coldFirstSearchMs} ms, cached ${l.cachedFirstSearchMs} ms, RSS ${l.rssMB} MB`);
    lines.push(`  hover p95 ${l.hoverP95LoadingMs} ms while loading, ${l.hoverP95Ms} ms after; completion p95 ${l.completionP95LoadingMs} / ${l.completionP95Ms} ms; editor-side longest step ${l.clientLongestStepMs} ms`);
  }
  const f = s.folder;
  if (f) lines.push(`  ${f.name}: ${f.files} files, ${f.papers.toLocaleString('en-US')} entries ready in ${f.readyMs} ms; while loading hover max ${f.hoverMaxLoadingMs} ms (p95 ${f.hoverP95LoadingMs}), completion max ${f.completionMaxLoadingMs} ms`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if ((await searchChildMain(argv)) || (await peerChildMain(argv))) return;
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const acm = argv.includes('--acm') ? argv[argv.indexOf('--acm') + 1] : undefined;
  const acmDir = acm ? (existsSync(join(acm, 'data', 'acm-dl')) ? join(acm, 'data', 'acm-dl') : resolve(acm)) : undefined;
  const log = (s: string): void => {
    if (!json) process.stderr.write(s + '\n');
  };
  if (argv.includes('--server-only')) {
    const main = join(__dirname, '../../../shared/bibdata', MAIN_FILE); // out/bench → the repository's ../shared
    const gen = existsSync(main) ? writeGeneratedLibrary(main, COPIES) : undefined;
    try {
      const server = await benchServer({ libraryPath: gen?.path, acmDir, log });
      if (json) process.stdout.write(JSON.stringify({ server }) + '\n');
      else console.log(`\nLanguage server\n${serverTable(server)}`);
    } finally {
      gen?.dispose();
    }
    return;
  }
  const started = performance.now();
  const parse = await benchParse({ quick, log });
  log('searching…');
  let search = null;
  let mentions;
  let server: ServerBenchResult | null = null;
  try {
    search = parse.generated ? await benchSearch(parse.generated.path) : null;
    log('scanning mentions…');
    mentions = benchMentions(parse.bigPapers);
    log('the language server…');
    server = await benchServer({ libraryPath: parse.generated?.path, acmDir, log });
  } finally {
    parse.generated?.dispose();
  }
  const totalS = Math.round((performance.now() - started) / 1000);
  if (json) {
    const files = parse.files.map(({ name, bytes, entries, floorMs, oursMs, peers, ...extra }) => ({
      name,
      bytes,
      entries,
      floorMs,
      oursMs,
      peers: Object.fromEntries(Object.entries(peers).map(([k, p]) => [k, { ms: p.ms, entries: p.entries, runs: p.runs, ...(p.cpuMs !== undefined ? { cpuMs: p.cpuMs } : {}), ...(p.error ? { error: p.error } : {}) }])),
      ...extra,
    }));
    process.stdout.write(JSON.stringify({ files, totals: parse.totals ?? null, search, mentions, server, seconds: totalS }) + '\n');
    return;
  }
  console.log('\nParse: wall clock, median of up to 15 runs after a warm-up (5 for runs over 0.5 s), each parser in a process of its own.');
  console.log('Ours makes every paper at parse time; title, authors and the decoded fields record are decoded');
  console.log('on first read, so "parse + decode all" (reading them for every paper) is the full decoding cost.\n');
  console.log(parseTable(parse));
  if (search) {
    console.log('\nSearch over the generated library');
    console.log(`  entries ${search.entries.toLocaleString('en-US')}, cold ${search.coldMs} ms (index complete ${search.indexedMs} ms), cached ${search.cachedMs ?? '—'} ms, RSS ${search.rssMB} MB`);
    console.log(`  keystroke p95 ${search.p95KeystrokeMs} ms (${search.p95ScanKeystrokeMs} ms while the index is built); longest main-thread step ${search.mainThreadMs} ms`);
  }
  if (server) console.log(`\nLanguage server (through the protocol, dist/server.js over stdio)\n${serverTable(server)}`);
  console.log('\nMentions');
  console.log(`  ${mentions.titles.toLocaleString('en-US')} titles, ${(mentions.docBytes / 1e6).toFixed(1)} MB document, ${mentions.ms} ms`);
  console.log(`\n(${totalS} s in all)`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
