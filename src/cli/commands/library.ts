import { Args } from '../args';
import { loadLibrary, print } from '../cliLibrary';

/** `citelens library`: what each library file holds and what is wrong in it. */
export function libraryCommand(args: Args): number {
  const { results } = loadLibrary(args);
  const out = results.map((r) => ({ source: r.source, entries: r.papers.length, diagnostics: r.diagnostics.map((d) => ({ line: d.line, column: d.column, message: d.message })) }));
  print(out, args.json, () =>
    out
      .map((s) => `${s.source}: ${s.entries} entries, ${s.diagnostics.length} problems` + s.diagnostics.map((d) => `\n  ${s.source}:${d.line}:${d.column}: ${d.message}`).join(''))
      .join('\n'),
  );
  return 0;
}
