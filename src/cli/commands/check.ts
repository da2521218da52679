import { findCitations } from '../../core/citations/documentLexer';
import { Args, refuseOptions, UsageError } from '../args';
import { lineCol, loadLibrary, namedBibs, readDoc } from '../cliLibrary';

/** `citelens check FILE...`: every citation key the bibliographies do not hold; exit 1 if any. */
export function checkCommand(args: Args): number {
  if (!args.positional.length) throw new UsageError('check needs at least one FILE');
  refuseOptions(args, 'check', ['--text', '--file', '--line', '--limit', '--json']);
  let unknown = 0;
  for (const file of args.positional) {
    const { text, syntax } = readDoc(file);
    const { library } = loadLibrary(args, namedBibs(file, text, syntax));
    for (const c of findCitations(text, syntax)) {
      if (library.has(c.key)) continue;
      unknown++;
      const { line, column } = lineCol(text, c.start);
      process.stdout.write(`${file}:${line}:${column}: unknown citation key '${c.key}'\n`);
    }
  }
  return unknown ? 1 : 0;
}
