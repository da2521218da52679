/**
 * The files an entry of `citelens.libraries` names: a path or a glob, absolute, `~/…`, or relative to
 * a workspace folder. Globs are walked on disk here (no editor search API), so absolute globs such as
 * `/data/bib/**\/*.bib` work; symbolic-link loops are walked once; a glob that matches nothing or more
 * than {@link MAX_LIBRARY_FILES} files says so.
 */
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { formatOf } from '../../core/sources/readLibraryFile';

/** At most this many library files from one setting entry: a glob over a whole disk is a mistake. */
export const MAX_LIBRARY_FILES = 5000;

/** Folders a glob never walks into. */
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface ResolvedEntry {
  files: string[];
  /** A message for the library status, when the entry needs the user's attention. */
  message?: string;
}

/** `~` and `~/…` from the user's home folder (any platform). */
export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/') || path.startsWith('~\\')) return join(homedir(), path.slice(2));
  return path;
}

export function isGlob(entry: string): boolean {
  return /[*?[\]{}]/.test(entry);
}

/**
 * The absolute paths of the library files `entry` names. A plain path is returned whether or not it
 * exists (the loader reports a missing file); a glob returns the library files it matches.
 */
export async function resolveLibraryEntry(entry: string, folders: readonly string[]): Promise<ResolvedEntry> {
  const expanded = expandHome(entry.trim());
  const absolute = isAbsolute(expanded);
  if (!isGlob(expanded)) {
    if (absolute) return { files: [resolve(expanded)] };
    if (!folders.length) return { files: [], message: `“${entry}” is relative, and no workspace folder is open to resolve it from.` };
    return { files: [resolve(folders[0], expanded)] };
  }
  const bases = absolute ? [''] : folders;
  if (!bases.length) return { files: [], message: `“${entry}” is relative, and no workspace folder is open to resolve it from.` };
  const found = new Set<string>();
  let truncated = false;
  for (const base of bases) {
    const pattern = (absolute ? expanded : resolve(base, expanded)).split(sep).join('/');
    const { root, rest } = splitGlobRoot(pattern);
    const match = picomatch(rest, { dot: false });
    truncated = (await walk(root, '', match, found)) || truncated;
    if (truncated) break;
  }
  const files = [...found].sort();
  if (truncated) return { files, message: `“${entry}” matches more than ${MAX_LIBRARY_FILES.toLocaleString('en-US')} files; only the first ${MAX_LIBRARY_FILES.toLocaleString('en-US')} are read. Narrow the pattern.` };
  if (!files.length) return { files, message: `“${entry}” matches no library file (.bib, .json, .txt).` };
  return { files };
}

/** The folder before the first glob character, and the pattern relative to it. */
function splitGlobRoot(pattern: string): { root: string; rest: string } {
  const parts = pattern.split('/');
  const i = parts.findIndex((p) => isGlob(p));
  const root = parts.slice(0, i).join('/') || '/';
  return { root, rest: parts.slice(i).join('/') };
}

/** Walks `root`, adding matching library files; returns true when the limit was reached. */
async function walk(root: string, rel: string, match: (p: string) => boolean, found: Set<string>, seen = new Set<string>()): Promise<boolean> {
  const dir = rel ? join(root, rel) : root;
  let real: string;
  try {
    real = await fs.realpath(dir);
  } catch {
    return false;
  }
  if (seen.has(real)) return false; // a symbolic-link loop, or a folder reached twice
  seen.add(real);
  let names: import('node:fs').Dirent[];
  try {
    names = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const d of names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const childRel = rel ? `${rel}/${d.name}` : d.name;
    let isDir = d.isDirectory();
    let isFile = d.isFile();
    if (d.isSymbolicLink()) {
      try {
        const st = await fs.stat(join(dir, d.name));
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        continue; // a broken link
      }
    }
    if (isDir) {
      if (SKIPPED_DIRS.has(d.name)) continue;
      if (await walk(root, childRel, match, found, seen)) return true;
    } else if (isFile && formatOf(d.name) && match(childRel)) {
      found.add(join(dir, d.name));
      if (found.size >= MAX_LIBRARY_FILES) return true;
    }
  }
  return false;
}
