/**
 * `npm run bench`: the parse benchmark (ours vs peers vs floor, on the large real files and a
 * generated 100k-entry library, plus entries recovered over every `.bib` file), then the search
 * and mention benchmarks on the 100k papers.
 *
 *   npm run bench                  human tables
 *   npm run bench -- --json        one JSON object: {"files": [...], "totals": {...}, "search": {...}, "mentions": {...}}
 *   npm run bench -- --quick       no peers on the generated library, no totals over every file
 */
import { benchMentions } from './mentionsBench';
import { benchParse, parseTable, peerChildMain } from './parseBench';
import { benchSearch, searchChildMain } from './searchBench';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if ((await searchChildMain(argv)) || (await peerChildMain(argv))) return;
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const log = (s: string): void => {
    if (!json) process.stderr.write(s + '\n');
  };
  const started = performance.now();
  const parse = await benchParse({ quick, log });
  log('searching…');
  let search = null;
  let mentions;
  try {
    search = parse.generated ? await benchSearch(parse.generated.path) : null;
    log('scanning mentions…');
    mentions = benchMentions(parse.bigPapers);
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
    process.stdout.write(JSON.stringify({ files, totals: parse.totals ?? null, search, mentions, seconds: totalS }) + '\n');
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
  console.log('\nMentions');
  console.log(`  ${mentions.titles.toLocaleString('en-US')} titles, ${(mentions.docBytes / 1e6).toFixed(1)} MB document, ${mentions.ms} ms`);
  console.log(`\n(${totalS} s in all)`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
