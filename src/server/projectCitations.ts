/**
 * The keys a document's whole project cites: "cited" means cited in any chapter, so a paper one
 * chapter cites is not "mentioned but not cited" in another. Open documents are read from the
 * editor (their analysis is cached per version); the other files from disk, parsed again only
 * when they change.
 */
import { promises as fs } from 'node:fs';
import { findCitations } from '../core/citations/documentLexer';
import { syntaxForLanguage } from '../core/citations/languages';
import { ServerContext } from './context';
import { pathOf, uriOf } from './documents';
import { languageOfPath } from './projects';

const onDisk = new Map<string, { mtimeMs: number; size: number; keys: string[] }>();

/** The citation keys of a file that is not open, as written. */
async function keysOnDisk(ctx: ServerContext, path: string): Promise<string[]> {
  try {
    const st = await fs.stat(path);
    const hit = onDisk.get(path);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.keys;
    const text = await ctx.documents.readText(uriOf(path));
    const keys = text === undefined ? [] : [...new Set(findCitations(text, syntaxForLanguage(languageOfPath(path))).map((c) => c.key))];
    onDisk.set(path, { mtimeMs: st.mtimeMs, size: st.size, keys });
    if (onDisk.size > 2000) onDisk.delete(onDisk.keys().next().value!);
    return keys;
  } catch {
    return [];
  }
}

/** The papers (by their library key, else the key as written) cited anywhere in the project of `uri`. */
export async function citedInProject(ctx: ServerContext, uri: string): Promise<Set<string>> {
  const out = new Set<string>();
  const add = (key: string) => out.add(ctx.library.get(key)?.key ?? key);
  const open = ctx.documents.get(uri);
  if (open) for (const c of ctx.analyzer.analyze(open).citations) add(c.key);
  const project = await ctx.projects.projectOf(uri);
  for (const path of project?.documents ?? []) {
    const other = uriOf(path);
    if (other === uri || pathOf(uri) === path) continue;
    const doc = ctx.documents.get(other);
    if (doc && syntaxForLanguage(doc.languageId) !== 'plain') for (const c of ctx.analyzer.analyze(doc).citations) add(c.key);
    else if (!doc) for (const k of await keysOnDisk(ctx, path)) add(k);
  }
  return out;
}
