/**
 * `citelens add KEY... [--to FILE | --for FILE]`: the editor's bibliography writer, headless. Each
 * KEY (a key, DOI, arXiv id or CSL-JSON id of a paper of the library) gets its entry appended to
 * the bibliography, as the editor appends it: bytes in the file's own encoding, every earlier byte
 * kept, a valid key made for an id BibTeX cannot read, nothing added twice. The target is `--to
 * FILE`, else the bibliography of the document `--for FILE` (its project's first `.bib`, else
 * references.bib in its workspace), else references.bib in the current folder.
 */
import { appendFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { paperById } from '../../core/library/paperById';
import { Paper } from '../../core/model/paper';
import { planAppend } from '../../core/sources/bibtex/append';
import { Args, refuseOptions, UsageError } from '../args';
import { InputError, loadLibrary, print, readInput } from '../cliLibrary';
import { projectOfFile, workspaceOf } from '../cliProject';

/** The bibliography `add` writes to (see the module's comment), with a note on how it was chosen. */
async function targetOf(args: Args): Promise<string> {
  if (args.to !== undefined) return resolve(args.to);
  if (args.for !== undefined) {
    const doc = resolve(args.for);
    readInput(doc, 'document'); // a missing, folder or binary document is an error naming it
    const project = await projectOfFile(doc);
    const bib = project.bibliographies.find((b) => /\.(bib|bibtex|biblatex)$/i.test(b.path));
    return bib ? bib.path : resolve(workspaceOf(doc), 'references.bib');
  }
  return resolve('references.bib');
}

export async function addCommand(args: Args): Promise<number> {
  if (!args.positional.length) throw new UsageError('add needs at least one KEY (a key, DOI, arXiv id or CSL-JSON id)');
  if (args.to !== undefined && args.for !== undefined) throw new UsageError('add takes --to or --for, not both');
  refuseOptions(args, 'add', ['--text', '--file', '--line', '--limit']);
  const target = await targetOf(args);
  let existing: Uint8Array | undefined;
  if (existsSync(target)) existing = readInput(target, 'bibliography');
  else if (!existsSync(resolve(target, '..')) || !statSync(resolve(target, '..')).isDirectory()) throw new InputError(`bibliography ${target} cannot be created: its folder does not exist`);
  const { library } = loadLibrary(args, existing ? [target] : []);
  const papers: Paper[] = [];
  const unknown: string[] = [];
  for (const id of args.positional) {
    const p = paperById(id, (k) => library.get(k), () => library.papers());
    if (p) papers.push(p);
    else unknown.push(id);
  }
  if (unknown.length) {
    for (const id of unknown) process.stderr.write(`citelens: no paper in the library has the key, DOI or arXiv id '${id}'\n`);
    process.stderr.write(`citelens: nothing added to ${target}\n`);
    return 1;
  }
  const plan = planAppend(existing, papers, { isTaken: (k, p) => { const q = library.get(k); return q !== undefined && q !== p; } });
  if (plan.bytes.length) {
    try {
      if (existing) appendFileSync(target, plan.bytes);
      else writeFileSync(target, plan.bytes, { flag: 'wx' });
    } catch (e) {
      throw new InputError(`bibliography ${target} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  const idOf = (p: Paper) => args.positional[papers.indexOf(p)];
  const out = {
    file: target,
    added: plan.written.map((w) => ({ key: w.key, id: idOf(w.paper), title: w.paper.title })),
    present: plan.present.map((w) => ({ key: w.key, id: idOf(w.paper), title: w.paper.title })),
  };
  const name = relative(process.cwd(), target) || target;
  print(out, args.json, () => [
    ...out.added.map((a) => `added\t${a.key}\t${a.title}${a.key !== a.id ? `\t(${a.id})` : ''}`),
    ...out.present.map((a) => `present\t${a.key}\t${a.title}${a.key !== a.id ? `\t(${a.id})` : ''}`),
    `${out.added.length} added to ${name}${out.present.length ? `, ${out.present.length} already there` : ''}`,
  ].join('\n'));
  return 0;
}
