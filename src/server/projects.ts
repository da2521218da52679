/**
 * Which bibliographies a document's citations resolve against, and where new entries go. A
 * document's bibliographies are those its project names; new entries go to the first `.bib` of them,
 * else to `citelens.bibliography.defaultFile` in the workspace folder. Writes stay inside a workspace
 * folder (or, with no folder open, the document's own folder): any other target is refused with a
 * message that names the file and the setting.
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { documentBibliographies } from '../core/citations/documentBibliography';
import { languageOfExtension, syntaxForLanguage } from '../core/citations/languages';
import { expandHome } from './library/settingFiles';
import { DocumentStore, pathOf, uriOf } from './documents';

export interface BibliographyTarget {
  uri?: string;
  /** Why no file can be written, for the user. */
  refused?: string;
}

/** True when `path` is `root` or inside it. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export class ProjectService {
  constructor(
    private readonly documents: DocumentStore,
    private readonly folders: () => readonly string[],
  ) {}

  /** The bibliography files (URIs) the document's project names. */
  async bibliographiesOf(uri: string): Promise<string[]> {
    const doc = this.documents.get(uri);
    const text = doc ? doc.getText() : await this.documents.readText(uri);
    if (text === undefined) return [];
    const path = pathOf(uri);
    const syntax = syntaxForLanguage(doc?.languageId ?? languageOfPath(path ?? ''));
    const dir = path ? dirname(path) : undefined;
    const out: string[] = [];
    for (const r of documentBibliographies(text, syntax)) {
      const p = expandHome(r.path);
      if (isAbsolute(p)) out.push(uriOf(p));
      else if (dir) out.push(uriOf(resolve(dir, p)));
    }
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
      if (target && roots.some((r) => isInside(r, target))) return { uri: named[0] };
      return { refused: `Citelens does not write outside the workspace: ${target ?? named[0]} is named by the document but lies outside its folders. Add the entry there yourself.` };
    }
    const base = this.folderOf(path) ?? (path ? dirname(path) : undefined);
    if (!base) return { refused: 'Save the document in a folder first: Citelens needs a folder for its bibliography.' };
    const target = resolve(base, expandHome(defaultFile));
    if (!roots.some((r) => isInside(r, target))) {
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
