/**
 * The project of a document, for the editor, diagnostics, write-back, the Cited view and the CLI
 * alike: its root, the documents that cite together, the bibliographies their citations resolve
 * against, and what is wrong in how it is put together (each problem once, naming its file). Bad
 * input never throws: a cycle, a missing root or bibliography, a malformed configuration is a
 * problem, and the rest of the project is still found.
 */
import { dirname, relative } from 'node:path';
import { documentBibliographies } from '../citations/documentBibliography';
import { latexProject } from './latexProject';
import { markdownProject } from './markdownProject';
import { Project, ProjectBibliography, ProjectHost, ProjectOptions, candidates, folderOf } from './projectHost';

export type { Project, ProjectBibliography, ProjectHost, ProjectOptions, ProjectProblem } from './projectHost';

/** How a project's files are named in messages: from the workspace folder, else in full. */
export function displayPath(folders: readonly string[] | undefined, path: string): string {
  const folder = folderOf(folders, path);
  return folder ? relative(folder, path) || path : path;
}

/** The kind of document a path is, from its extension. */
export function documentKind(path: string): 'latex' | 'markdown' | 'typst' | undefined {
  if (/\.(tex|ltx)$/i.test(path)) return 'latex';
  if (/\.(md|markdown|qmd|rmd)$/i.test(path)) return 'markdown';
  if (/\.typ$/i.test(path)) return 'typst';
  return undefined;
}

/** A Typst document: the bibliographies its own `#bibliography(…)` names. */
async function typstProject(host: ProjectHost, doc: string): Promise<Project> {
  const text = (await host.readText(doc)) ?? '';
  const bibliographies: ProjectBibliography[] = [];
  for (const r of documentBibliographies(text, 'typst')) {
    const path = candidates(r.path, [dirname(doc)])[0];
    bibliographies.push({ path, namedBy: doc, exists: (await host.kind(path)) === 'file' });
  }
  return { kind: 'single', root: doc, documents: [doc], bibliographies, problems: [] };
}

/**
 * The project of the document at `path` (an absolute path). `language` overrides the kind the
 * extension gives (an open editor's language, say).
 */
export async function findProject(host: ProjectHost, path: string, options: ProjectOptions = {}, language?: 'latex' | 'markdown' | 'typst' | 'plain'): Promise<Project> {
  const show = (p: string) => displayPath(options.folders, p);
  const kind = language && language !== 'plain' ? language : documentKind(path);
  let project: Project;
  if (kind === 'latex') project = await latexProject(host, path, options, show);
  else if (kind === 'markdown') project = await markdownProject(host, path, options, show);
  else if (kind === 'typst') project = await typstProject(host, path);
  else project = { kind: 'single', root: path, documents: [path], bibliographies: [], problems: [] };
  const seen = new Set<string>();
  project.problems = project.problems.filter((p) => !seen.has(p.message) && !!seen.add(p.message));
  return project;
}
