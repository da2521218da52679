/**
 * What the project model reads through, and what it finds. The model never touches the disk
 * itself: the language server gives it the open editors' text over the files, the CLI the files,
 * the tests an in-memory double. Paths are absolute file-system paths.
 */
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';

/** The files the project model may read. */
export interface ProjectHost {
  /** The text of a file (an open editor's unsaved text first); undefined when it is not a readable file. */
  readText(path: string): Promise<string | undefined>;
  /** Whether `path` is a file, a directory, or nothing. An open editor's document counts as a file. */
  kind(path: string): Promise<'file' | 'directory' | 'missing'>;
  /** The names of the entries of a directory ([] when it cannot be read). */
  list(dir: string): Promise<string[]>;
}

/** Something wrong in how a project is put together, for the user: the file it is in, and where. */
export interface ProjectProblem {
  /** The file the problem is in (the one naming the missing file, the malformed configuration). */
  file: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  message: string;
}

/** One bibliography of a project, with the file that names it. */
export interface ProjectBibliography {
  path: string;
  /** The file whose text names it (a preamble, a front matter, `_quarto.yml`, a defaults file). */
  namedBy: string;
  /** Whether the file exists (a missing one is where Search and Cite will create it). */
  exists: boolean;
}

/** The project of a document: where its citations resolve, and which documents cite with it. */
export interface Project {
  kind: 'latex' | 'quarto' | 'bookdown' | 'pandoc' | 'single';
  /** The LaTeX root file, the project's configuration (`_quarto.yml`, `_bookdown.yml`), or the document. */
  root: string;
  /** The project's documents (the document itself included): "cited" means cited in any of them. */
  documents: string[];
  /** In the order they are named; the first `.bib` is where new entries go. */
  bibliographies: ProjectBibliography[];
  problems: ProjectProblem[];
}

/** Options of {@link findProject}. */
export interface ProjectOptions {
  /**
   * The workspace folders. Configuration files are looked for from the document's folder up to the
   * folder holding it (or only in the document's folder when none does), and a LaTeX document's root
   * among the files of that folder.
   */
  folders?: readonly string[];
  /**
   * A root found before for this document: kept while it still includes the document (no workspace
   * scan). The document itself means no file included it: it is its own root without a scan.
   */
  rootHint?: string;
}

/** True when `path` is `root` or inside it, by name (a folder named `..notes` is inside). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel));
}

/** The workspace folder holding `path` (the innermost), else undefined. */
export function folderOf(folders: readonly string[] | undefined, path: string): string | undefined {
  let best: string | undefined;
  for (const f of folders ?? []) if (isInside(f, path) && (!best || f.length > best.length)) best = f;
  return best;
}

/** The folders from `dir` up to `top` (both included); only `dir` when `top` does not hold it. */
export function foldersUp(dir: string, top: string | undefined): string[] {
  const out = [normalize(dir)];
  if (!top || !isInside(top, dir)) return out;
  let d = out[0];
  while (d !== normalize(top)) {
    const up = dirname(d);
    if (up === d) break;
    out.push((d = up));
  }
  return out;
}

/** `~/x` → the home folder's `x`, when the host knows a home folder. */
export function expandHomePath(p: string, home: string | undefined): string {
  return home && (p === '~' || p.startsWith('~/')) ? join(home, p.slice(1)) : p;
}

/** `p` as an absolute path from each of `bases` in turn (absolute paths stay as they are). */
export function candidates(p: string, bases: readonly string[]): string[] {
  if (isAbsolute(p)) return [normalize(p)];
  return [...new Set(bases.map((b) => resolve(b, p)))];
}

/** The first of `paths` that is a file, else undefined. */
export async function firstFile(host: ProjectHost, paths: readonly string[]): Promise<string | undefined> {
  for (const p of paths) if ((await host.kind(p)) === 'file') return p;
  return undefined;
}

/** The 1-based line of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The last path segment ("main.tex"), for messages. */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
