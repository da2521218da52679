import { findCitations } from '../../core/citations/documentLexer';
import { MentionMatcher } from '../../core/analysis/mentions';
import { resolve } from 'node:path';
import { Args, refuseOptions, UsageError } from '../args';
import { lineCol, loadLibrary, print, readDoc } from '../cliLibrary';
import { projectOfFile } from '../cliProject';

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

/** `citelens mentions FILE...`: titles, system names and keys named in the prose; "cited" means anywhere in the project. */
export async function mentionsCommand(args: Args): Promise<number> {
  if (!args.positional.length) throw new UsageError('mentions needs at least one FILE');
  refuseOptions(args, 'mentions', ['--text', '--file', '--line', '--limit']);
  const out: MentionOut[] = [];
  for (const file of args.positional) {
    const { text, syntax } = readDoc(file);
    const project = await projectOfFile(file);
    const { library } = loadLibrary(args, project.bibliographies.filter((b) => b.exists).map((b) => b.path));
    const cited = new Set(findCitations(text, syntax).map((c) => library.get(c.key)?.key ?? c.key));
    for (const other of project.documents) {
      const doc = other === resolve(file) ? undefined : readDocIfAny(other);
      for (const c of doc ? findCitations(doc.text, doc.syntax) : []) cited.add(library.get(c.key)?.key ?? c.key);
    }
    for (const m of new MentionMatcher(library.papers()).scan(text, syntax, { cited })) {
      const s = lineCol(text, m.start);
      const e = lineCol(text, m.end);
      out.push({ file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column, kind: m.kind, key: m.key, cited: m.kind === 'key' || cited.has(m.key) });
    }
  }
  print(out, args.json, () => out.map((m) => `${m.file}:${m.line}:${m.column}: ${m.kind} ${m.key}${m.cited ? '' : ' (not cited)'}`).join('\n'));
  return 0;
}

function readDocIfAny(file: string): ReturnType<typeof readDoc> | undefined {
  try {
    return readDoc(file);
  } catch {
    return undefined;
  }
}
