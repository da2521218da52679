/**
 * The project of each document (src/core/project), read through the editor: an open document's
 * unsaved text wins over its file, so a new `\input`, an edited `_quarto.yml` or an unsaved entry
 * counts at once. A document's bibliographies are its project's; new entries go to the first `.bib`
 * of them, else to `citelens.bibliography.defaultFile` in the workspace folder. Writes stay inside a
 * workspace folder (or, with no folder open, the document's own folder): any other target is refused
 * with a message that names the file and the setting.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { documentBibliographies } from '../core/citations/documentBibliography';
import { languageOfExtension, syntaxForLanguage } from '../core/citations/languages';
import { findProject, Project } from '../core/project/project';
import { isInside, ProjectHost } from '../core/project/projectHost';
import { expandHome } from './library/settingFiles';
import { DocumentStore, pathOf, uriOf } from './documents';

export { isInside };

export interface BibliographyTarget {
  uri?: string;
  /** Why no file can be written, for the user. */
  refused?: string;
}

/** A project found this recently (and no document changed since) is not looked for again. */
const PROJECT_TTL_MS = 1500;
/** Folder listings are kept this long (they only matter when a LaTeX root or a Quarto chapter is looked for). */
const LIST_TTL_MS = 3000;

/**
 * The real path of `path` with symbolic links resolved, as far as it exists (the rest, a file still
 * to be made, appended as named).
 */
async function realPath(path: string): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(await realPath(parent), basename(path));
  }
}

/**
 * True when writing `path` writes inside one of `roots`, by name and once symbolic links are
 * followed: a `refs.bib` in the folder that links to a file elsewhere is not inside.
 */
export async function writableInside(roots: readonly string[], path: string): Promise<boolean> {
  if (!roots.some((r) => isInside(r, path))) return false;
  const real = await realPath(path);
  for (const r of roots) if (isInside(await realPath(r), real)) return true;
  return false;
}

export class ProjectService {
  private readonly projects = new Map<string, { at: number; project: Promise<Project | undefined> }>();
  /** The root found last for each document: kept while it still includes the document. */
  private readonly roots = new Map<string, string>();
  private readonly texts = new Map<string, { mtimeMs: number; size: number; text: string }>();
  private readonly listings = new Map<string, { at: number; names: Promise<string[]> }>();
  private readonly host: ProjectHost;

  constructor(
    private readonly documents: DocumentStore,
    private readonly folders: () => readonly string[],
  ) {
    this.host = {
      readText: (path) => this.readText(path),
      kind: async (path) => {
        if (this.documents.get(uriOf(path))) return 'file';
        try {
          const st = await fs.stat(path);
          return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : 'missing';
        } catch {
          return 'missing';
        }
      },
      list: (dir) => {
        const hit = this.listings.get(dir);
        if (hit && Date.now() - hit.at < LIST_TTL_MS) return hit.names;
        const names = fs.readdir(dir).catch(() => [] as string[]);
        this.listings.set(dir, { at: Date.now(), names });
        if (this.listings.size > 2000) this.listings.delete(this.listings.keys().next().value!);
        return names;
      },
    };
  }

  /** A file's text: the open editor's, else the file's (read again only when it changed). */
  private async readText(path: string): Promise<string | undefined> {
    const open = this.documents.get(uriOf(path));
    if (open) return open.getText();
    try {
      const st = await fs.stat(path);
      if (!st.isFile()) return undefined;
      const hit = this.texts.get(path);
      if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.text;
      const text = await this.documents.readText(uriOf(path));
      if (text === undefined) return undefined;
      this.texts.set(path, { mtimeMs: st.mtimeMs, size: st.size, text });
      if (this.texts.size > 500) this.texts.delete(this.texts.keys().next().value!);
      return text;
    } catch {
      return undefined;
    }
  }

  /**
   * Documents changed: projects are looked for again when next asked. A document opened, saved or
   * closed may be a file just made (a chapter, a copied project): folder listings are read again too.
   */
  invalidate(files = false): void {
    this.projects.clear();
    if (!files) return;
    this.listings.clear();
    // a document no file included may be included by a file made since: look again
    for (const [uri, root] of this.roots) if (uriOf(root) === uri) this.roots.delete(uri);
  }

  /** The project of a document (undefined for a document that is not a file: an untitled editor). */
  projectOf(uri: string): Promise<Project | undefined> {
    const hit = this.projects.get(uri);
    if (hit && Date.now() - hit.at < PROJECT_TTL_MS) return hit.project;
    const project = this.find(uri);
    this.projects.set(uri, { at: Date.now(), project });
    if (this.projects.size > 200) this.projects.delete(this.projects.keys().next().value!);
    return project;
  }

  private async find(uri: string): Promise<Project | undefined> {
    const path = pathOf(uri);
    if (!path) return undefined;
    const doc = this.documents.get(uri);
    const language = syntaxForLanguage(doc?.languageId ?? languageOfPath(path));
    const project = await findProject(this.host, path, { folders: this.folders(), rootHint: this.roots.get(uri) }, language);
    if (project.kind === 'latex') this.roots.set(uri, project.root);
    return project;
  }

  /** The bibliography files (URIs) of the document's project. */
  async bibliographiesOf(uri: string): Promise<string[]> {
    const project = await this.projectOf(uri);
    if (project) return project.bibliographies.map((b) => uriOf(b.path));
    // an untitled document: only absolute paths it names mean anything
    const doc = this.documents.get(uri);
    if (!doc) return [];
    const out = documentBibliographies(doc.getText(), syntaxForLanguage(doc.languageId))
      .map((r) => expandHome(r.path))
      .filter((p) => isAbsolute(p))
      .map((p) => uriOf(p));
    return [...new Set(out)];
  }

  /** The workspace folder holding `path`, else the first folder, else undefined. */
  folderOf(path: string | undefined): string | undefined {
    const folders = this.folders();
    if (path) for (const f of folders) if (isInside(f, path)) return f;
    return folders[0];
  }

  /** Where a document's new bibliography entries go. */
  async bibliographyTarget(uri: string, defaultFile: string): Promise<BibliographyTarget> {
    const path = pathOf(uri);
    const folders = this.folders();
    const roots = folders.length ? folders : path ? [dirname(path)] : [];
    const named = (await this.bibliographiesOf(uri)).filter((u) => /\.(bib|bibtex|biblatex)$/i.test(u));
    if (named.length) {
      const target = pathOf(named[0]);
      if (target && (await writableInside(roots, target))) return { uri: named[0] };
      return { refused: `Citelens does not write outside the workspace: ${target ?? named[0]} is named by the document's project but lies outside its folders. Add the entry there yourself.` };
    }
    const base = this.folderOf(path) ?? (path ? dirname(path) : undefined);
    if (!base) return { refused: 'Save the document in a folder first: Citelens needs a folder for its bibliography.' };
    const target = resolve(base, expandHome(defaultFile));
    if (!(await writableInside(roots, target))) {
      return { refused: `Citelens does not write outside the workspace: the setting citelens.bibliography.defaultFile (“${defaultFile}”) points to ${target}. Use a path inside the workspace folder.` };
    }
    return { uri: uriOf(target) };
  }
}

/** The language of a file from its extension, for files not open in the editor. */
export function languageOfPath(path: string): string {
  const ext = path.slice(path.lastIndexOf('.') + 1);
  if (/^(bib|bibtex|biblatex)$/i.test(ext)) return 'bibtex';
  return languageOfExtension(ext) ?? 'plaintext';
}
