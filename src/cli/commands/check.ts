import { relative } from 'node:path';
import { findCitations } from '../../core/citations/documentLexer';
import { judgeCitation, LoadedBibliography, verdictMessage } from '../../core/project/citationCheck';
import { Args, refuseOptions, UsageError } from '../args';
import { lineCol, loadLibrary, readDoc } from '../cliLibrary';
import { projectOfFile } from '../cliProject';

/**
 * `citelens check FILE...`: every citation key the project's bibliographies (those its root,
 * `_quarto.yml`, `index.Rmd` or defaults file name, and any `--bib`) do not hold, as the editor
 * warns: unknown keys, and keys only the built-in corpus has. Problems in how the project is put
 * together go to stderr. Exit 1 if any key would not resolve.
 */
export async function checkCommand(args: Args): Promise<number> {
  if (!args.positional.length) throw new UsageError('check needs at least one FILE');
  refuseOptions(args, 'check', ['--text', '--file', '--line', '--limit', '--json']);
  let bad = 0;
  const libraries = new Map<string, ReturnType<typeof loadLibrary>>();
  const problemsShown = new Set<string>();
  for (const file of args.positional) {
    const { text, syntax } = readDoc(file);
    const project = await projectOfFile(file);
    for (const p of project.problems) {
      const line = `${relative(process.cwd(), p.file) || p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`;
      if (!problemsShown.has(p.message)) process.stderr.write(line + '\n');
      problemsShown.add(p.message);
    }
    const named = project.bibliographies.filter((b) => b.exists).map((b) => b.path);
    const bibs = [...new Set([...named, ...args.bibs])];
    const id = named.join('\n');
    let loaded = libraries.get(id);
    if (!loaded) {
      libraries.set(id, (loaded = loadLibrary(args, named)));
      for (const r of loaded.results) {
        const first = r.diagnostics[0];
        if (!first || problemsShown.has(r.source)) continue;
        problemsShown.add(r.source);
        const more = r.diagnostics.length > 1 ? ` (and ${r.diagnostics.length - 1} more problems)` : '';
        process.stderr.write(`${relative(process.cwd(), r.source) || r.source}:${first.line}: ${first.message}${more}; ${r.papers.length} entries read\n`);
      }
    }
    const { library, results } = loaded;
    const loadedBibs: LoadedBibliography[] = results.filter((r) => bibs.includes(r.source)).map((r) => ({ source: r.source, keys: new Set(r.papers.map((p) => p.key)) }));
    const names = project.bibliographies.length ? project.bibliographies.map((b) => b.path) : args.bibs;
    for (const c of findCitations(text, syntax)) {
      const verdict = judgeCitation(c.key, library, loadedBibs);
      if (verdict.kind === 'ok') continue;
      bad++;
      const { line, column } = lineCol(text, c.start);
      const message = verdict.kind === 'unknown' ? `unknown citation key '${c.key}'` : verdictMessage(c.key, verdict, names);
      process.stdout.write(`${file}:${line}:${column}: ${message}\n`);
    }
  }
  return bad ? 1 : 0;
}
