import { findCitations } from '../../core/citations/documentLexer';
import { MentionMatcher } from '../../core/analysis/mentions';
import { Args, refuseOptions, UsageError } from '../args';
import { lineCol, loadLibrary, namedBibs, print, readDoc } from '../cliLibrary';

interface MentionOut {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  kind: string;
  key: string;
  cited: boolean;
}

/** `citelens mentions FILE...`: titles, system names and keys named in the prose. */
export function mentionsCommand(args: Args): number {
  if (!args.positional.length) throw new UsageError('mentions needs at least one FILE');
  refuseOptions(args, 'mentions', ['--text', '--file', '--line', '--limit']);
  const out: MentionOut[] = [];
  for (const file of args.positional) {
    const { text, syntax } = readDoc(file);
    const { library } = loadLibrary(args, namedBibs(file, text, syntax));
    const cited = new Set(findCitations(text, syntax).map((c) => library.get(c.key)?.key ?? c.key));
    for (const m of new MentionMatcher(library.papers()).scan(text, syntax)) {
      const s = lineCol(text, m.start);
      const e = lineCol(text, m.end);
      out.push({ file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column, kind: m.kind, key: m.key, cited: m.kind === 'key' || cited.has(m.key) });
    }
  }
  print(out, args.json, () => out.map((m) => `${m.file}:${m.line}:${m.column}: ${m.kind} ${m.key}${m.cited ? '' : ' (not cited)'}`).join('\n'));
  return 0;
}
