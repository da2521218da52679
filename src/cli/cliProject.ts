/**
 * The CLI's view of a document's project: the project model (src/core/project) reading the files
 * on disk. The "workspace" is the repository holding the file (the folder with `.git`), else the
 * current folder when it holds the file, else the file's own folder.
 */
import { existsSync, promises as fs, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { findProject, Project } from '../core/project/project';
import { isInside, ProjectHost } from '../core/project/projectHost';
import { decodeText } from '../core/sources/decodeText';

export const diskHost: ProjectHost = {
  async readText(path) {
    try {
      if (!statSync(path).isFile()) return undefined;
      return decodeText(await fs.readFile(path)).text;
    } catch {
      return undefined;
    }
  },
  async kind(path) {
    try {
      const st = statSync(path);
      return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'missing';
    } catch {
      return 'missing';
    }
  },
  async list(dir) {
    try {
      return await fs.readdir(dir);
    } catch {
      return [];
    }
  },
};

/** The folder standing for the workspace of `file` (see the module's comment). */
export function workspaceOf(file: string): string {
  for (let d = dirname(file); ; d = dirname(d)) {
    if (existsSync(resolve(d, '.git'))) return d;
    if (dirname(d) === d) break;
  }
  const cwd = process.cwd();
  return isInside(cwd, file) ? cwd : dirname(file);
}

/** The project of a document file. */
export function projectOfFile(file: string): Promise<Project> {
  const path = resolve(file);
  return findProject(diskHost, path, { folders: [workspaceOf(path)] });
}
