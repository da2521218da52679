import { Args, refuseOptions, UsageError } from '../args';
import { loadLibrary, print } from '../cliLibrary';

/** `citelens library`: what each library file holds and what is wrong in it. */
export function libraryCommand(args: Args): number {
  if (args.positional.length) throw new UsageError(`library takes no FILE (${args.positional[0]}); name library files with --bib`);
  refuseOptions(args, 'library', ['--text', '--file', '--line', '--limit']);
  const { results } = loadLibrary(args);
  const out = results.map((r) => ({ source: r.source, entries: r.papers.length, diagnostics: r.diagnostics.map((d) => ({ line: d.line, column: d.column, message: d.message })) }));
  print(out, args.json, () =>
    out
      .map((s) => `${s.source}: ${s.entries} entries, ${s.diagnostics.length} problems` + s.diagnostics.map((d) => `\n  ${s.source}:${d.line}:${d.column}: ${d.message}`).join(''))
      .join('\n'),
  );
  return 0;
}
