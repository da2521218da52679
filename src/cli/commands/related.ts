import { RelatednessEngine } from '../../core/analysis/related';
import { Args, UsageError } from '../args';
import { loadLibrary, namedBibs, print, readDoc, Syntax } from '../cliLibrary';

/** `citelens related`: papers related to a passage, a file, or the paragraph at a line. */
export function relatedCommand(args: Args): number {
  if (args.text !== undefined && args.file !== undefined) throw new UsageError('related takes --text or --file, not both');
  if (args.line !== undefined && args.file === undefined) throw new UsageError('--line needs --file');
  if (args.positional.length) throw new UsageError(`related takes no ${args.positional[0]}: give the passage with --text or --file`);
  let passage = args.text;
  let syntax: Syntax = 'plain';
  let extra: string[] = [];
  if (passage === undefined) {
    if (!args.file) throw new UsageError('related needs --text or --file');
    const doc = readDoc(args.file);
    syntax = doc.syntax;
    extra = namedBibs(args.file, doc.text, doc.syntax);
    passage = args.line ? paragraphAtLine(doc.text, args.line) : doc.text;
  }
  const { library } = loadLibrary(args, extra);
  const engine = new RelatednessEngine(library.papers());
  const out = engine
    .suggest(passage, { limit: args.limit ?? 10, syntax: syntax === 'typst' ? 'plain' : syntax })
    .map((s) => ({ key: s.key, title: s.title, score: Math.round(s.score * 1000) / 1000, evidence: s.evidence, cited: s.cited }));
  if (!out.length && !args.json) {
    process.stderr.write('citelens: no papers match the passage\n');
    return 0;
  }
  print(out, args.json, () => out.map((s) => `${s.key}\t${s.score}\t${s.title}\n\t${s.evidence.join(', ')}`).join('\n'));
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
