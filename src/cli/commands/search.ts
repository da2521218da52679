import { Args, UsageError } from '../args';
import { loadLibrary, print } from '../cliLibrary';

/** `citelens search <query>`: the library's best matches. */
export function searchCommand(args: Args): number {
  const query = args.positional.join(' ');
  if (!query.trim()) throw new UsageError('search needs a query');
  const { library } = loadLibrary(args);
  const hits = library.search(query, args.limit ?? 10);
  const out = hits.map((h) => ({ key: h.paper.key, title: h.paper.title, authors: h.paper.authors, year: h.paper.year ?? null, score: Math.round(h.score * 1000) / 1000 }));
  print(out, args.json, () => out.map((h) => `${h.key}\t${h.year ?? ''}\t${h.title}`).join('\n'));
  return 0;
}
