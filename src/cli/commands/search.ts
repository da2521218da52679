import { Args, refuseOptions, UsageError } from '../args';
import { loadLibrary, print } from '../cliLibrary';

/** `citelens search <query>`: the library's best matches. */
export function searchCommand(args: Args): number {
  const query = args.positional.join(' ');
  if (!query.trim()) throw new UsageError('search needs a query');
  refuseOptions(args, 'search', ['--text', '--file', '--line']);
  const { library } = loadLibrary(args);
  const hits = library.search(query, args.limit ?? 10);
  const out = hits.map((h) => ({ key: h.paper.key, title: h.paper.title, authors: h.paper.authors, year: h.paper.year ?? null, score: Math.round(h.score * 1000) / 1000 }));
  // a human reader gets the reason on stderr, not a blank line; --json still prints []
  if (!out.length && !args.json) {
    process.stderr.write(`citelens: no papers match '${query}'\n`);
    return 0;
  }
  print(out, args.json, () => out.map((h) => `${h.key}\t${h.year ?? ''}\t${h.title}`).join('\n'));
  return 0;
}
