import { RelatednessEngine } from '../../core/analysis/related';
import { documentTitle } from '../../core/analysis/relatedContext';
import { TrecFormatError, parseKeyList, parseTrecTopics, trecRunLines } from '../../core/analysis/relatedTrec';
import { decodeText } from '../../core/sources/decodeText';
import { Args, UsageError } from '../args';
import { InputError, loadLibrary, print, readDoc, readInput, Syntax } from '../cliLibrary';
import { projectOfFile } from '../cliProject';

/** `citelens related`: papers related to a passage, a file, the paragraph at a line, or each topic of a TREC topics file. */
export async function relatedCommand(args: Args): Promise<number> {
  if (args.topics !== undefined) return relatedTopics(args, (s) => process.stdout.write(s), (s) => process.stderr.write(s));
  if (args.exclude !== undefined) throw new UsageError('--exclude goes with --topics');
  if (args.text !== undefined && args.file !== undefined) throw new UsageError('related takes --text or --file, not both');
  if (args.line !== undefined && args.file === undefined) throw new UsageError('--line needs --file');
  if (args.positional.length) throw new UsageError(`related takes no ${args.positional[0]}: give the passage with --text or --file`);
  let passage = args.text;
  let syntax: Syntax = 'plain';
  let extra: string[] = [];
  let context: string | undefined;
  if (passage === undefined) {
    if (!args.file) throw new UsageError('related needs --text or --file (or --topics)');
    const doc = readDoc(args.file);
    syntax = doc.syntax;
    extra = (await projectOfFile(args.file)).bibliographies.filter((b) => b.exists).map((b) => b.path);
    passage = args.line ? paragraphAtLine(doc.text, args.line) : doc.text;
    if (args.line) context = documentTitle(doc.text, doc.syntax === 'latex' ? 'latex' : 'markdown');
  }
  const { library } = loadLibrary(args, extra, { searchIndex: false });
  const engine = new RelatednessEngine(library.papers());
  const out = engine
    .suggest(passage, { limit: args.limit ?? 10, syntax: syntax === 'typst' ? 'plain' : syntax, context })
    .map((s) => ({ key: s.key, title: s.title, score: Math.round(s.score * 1000) / 1000, evidence: s.evidence, cited: s.cited }));
  if (!out.length && !args.json) {
    process.stderr.write('citelens: no papers match the passage\n');
    return 0;
  }
  print(out, args.json, () => out.map((s) => `${s.key}\t${s.score}\t${s.title}\n\t${s.evidence.join(', ')}`).join('\n'));
  return 0;
}

/**
 * `related --topics FILE`: one TREC run over every topic of the file, the library loaded and
 * indexed once. Empty topics and library problems are reported on `err`; the run goes to `out`.
 */
export function relatedTopics(args: Args, out: (s: string) => void, err: (s: string) => void): number {
  if (args.text !== undefined || args.file !== undefined) throw new UsageError('--topics does not go with --text or --file');
  if (args.positional.length) throw new UsageError(`related takes no ${args.positional[0]}`);
  const file = args.topics!;
  let topics: ReturnType<typeof parseTrecTopics>;
  try {
    topics = parseTrecTopics(decodeText(readInput(file, 'topics file')).text, file);
  } catch (e) {
    if (e instanceof TrecFormatError) throw new InputError(e.message);
    throw e;
  }
  const exclude = args.exclude === undefined ? undefined : parseKeyList(decodeText(readInput(args.exclude, '--exclude file')).text);
  for (const p of topics.problems) err(`citelens: ${file}:${p.line}: ${p.message}\n`);
  const { library, results } = loadLibrary(args, [], { searchIndex: false, note: (m) => err(m + '\n') });
  let errors = 0;
  for (const r of results) for (const d of r.diagnostics) if (d.severity === 'error' && errors++ < 20) err(`citelens: ${d.source}:${d.line}: ${d.message}\n`);
  if (errors > 20) err(`citelens: … and ${errors - 20} more library errors\n`);
  const engine = new RelatednessEngine(library.papers());
  const limit = args.limit ?? 10;
  // written topic by topic: a long batch shows progress and keeps memory flat
  for (const t of topics.topics) {
    // the topic's title (the citing document's) is context, as a writer's document title is
    const lines = trecRunLines(t.id, engine.suggest(t.text, { limit, exclude, context: t.title }));
    if (lines.length) out(lines.join('\n') + '\n');
  }
  return 0;
}

/** The paragraph (blank-line separated) containing 1-based `line`. */
export function paragraphAtLine(text: string, line: number): string {
  const lines = text.split(/\r?\n/);
  const i = Math.min(Math.max(line - 1, 0), lines.length - 1);
  let s = i;
  let e = i;
  while (s > 0 && lines[s - 1].trim()) s--;
  while (e < lines.length - 1 && lines[e + 1].trim()) e++;
  return lines.slice(s, e + 1).join('\n');
}
