/**
 * Navigation on citation keys: Go to Definition (the entry's key in its `.bib`, wherever it is now;
 * for a built-in paper, a read-only page in editors that show one), Find All References (every
 * citation of the key in the workspace's documents), and Rename (documents and `.bib` together; a key
 * that cannot be found in its `.bib` is refused, never inserted).
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Location, PrepareRenameParams, Range, ReferenceParams, RenameParams, ResponseError, ErrorCodes, TextDocumentPositionParams, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { findCitations } from '../../core/citations/documentLexer';
import { languageOfExtension, syntaxForLanguage } from '../../core/citations/languages';
import { BUILTIN_SOURCE, Paper } from '../../core/model/paper';
import { ServerContext } from '../context';
import { uriOf } from '../documents';
import { languageOfPath } from '../projects';

/** Scheme of the read-only pages for built-in papers (shown by the VS Code client). */
export const PAPER_SCHEME = 'citelens-paper';

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', '_site', '_book', '_freeze']);
const MAX_DOCUMENTS = 5000;

/**
 * Where the key of entry `key` is in a `.bib` text, wherever the entry now is: the offset of its
 * first character, or -1 when no entry has it (then rename refuses; it never inserts). Of several,
 * the one nearest `nearLine`. `@string`, `@comment` and `@preamble` hold no entry keys.
 */
export function entryKeyOffset(text: string, key: string, nearLine = 0): number {
  const re = /@\s*([A-Za-z]+)\s*[{(]\s*/g;
  let best = -1;
  let bestDistance = Infinity;
  let line = 0;
  let counted = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index + m[0].length;
    if (!text.startsWith(key, at) || /^(string|comment|preamble)$/i.test(m[1])) continue;
    // the key ends at a comma (after optional white space) or at the entry's end
    let k = at + key.length;
    while (k < text.length && /\s/.test(text[k])) k++;
    const after = text.charCodeAt(k);
    if (!(after === 44 || after === 125 || after === 41 || Number.isNaN(after))) continue;
    for (; counted < at; counted++) if (text.charCodeAt(counted) === 10) line++;
    const d = Math.abs(line - nearLine);
    if (d < bestDistance) {
      best = at;
      bestDistance = d;
    }
  }
  return best;
}

/** The location of a paper's key in its `.bib` (its text as the editor has it), or undefined. */
export async function entryKeyLocation(ctx: ServerContext, paper: Paper): Promise<Location | undefined> {
  if (paper.source === BUILTIN_SOURCE) return undefined;
  const text = await ctx.documents.readText(paper.source);
  if (text === undefined) return undefined;
  const at = entryKeyOffset(text, paper.key, paper.range?.startLine ?? 0);
  if (at < 0) return undefined;
  const doc = ctx.documents.get(paper.source) ?? TextDocument.create(paper.source, 'bibtex', 0, text);
  return Location.create(paper.source, { start: doc.positionAt(at), end: doc.positionAt(at + paper.key.length) });
}

export async function provideDefinition(ctx: ServerContext, params: TextDocumentPositionParams): Promise<Location | null> {
  const doc = ctx.documents.get(params.textDocument.uri);
  if (!doc) return null;
  const cite = ctx.analyzer.citationAt(doc, doc.offsetAt(params.position));
  const paper = cite && ctx.library.get(cite.key);
  if (!paper) return null;
  if (paper.source === BUILTIN_SOURCE) {
    return ctx.options.hoverActions ? Location.create(`${PAPER_SCHEME}:/${encodeURIComponent(paper.key)}.md`, Range.create(0, 0, 0, 0)) : null;
  }
  return (await entryKeyLocation(ctx, paper)) ?? (paper.range ? Location.create(paper.source, Range.create(paper.range.startLine, paper.range.startColumn, paper.range.startLine, paper.range.startColumn)) : null);
}

/** Document files under the workspace folders (plus the open documents). */
async function workspaceDocuments(ctx: ServerContext): Promise<string[]> {
  const found = new Set<string>(ctx.documents.open.all().filter((d) => syntaxForLanguage(d.languageId) !== 'plain').map((d) => d.uri));
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (found.size >= MAX_DOCUMENTS || depth > 12) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name) && !e.name.startsWith('.')) await walk(join(dir, e.name), depth + 1);
      } else if (e.isFile() && languageOfExtension(e.name.slice(e.name.lastIndexOf('.') + 1))) {
        found.add(uriOf(join(dir, e.name)));
        if (found.size >= MAX_DOCUMENTS) return;
      }
    }
  };
  for (const f of ctx.folders()) await walk(f, 0);
  return [...found];
}

/** Every citation of `keys` in the workspace's documents. */
export async function findReferences(ctx: ServerContext, keys: ReadonlySet<string>): Promise<Location[]> {
  const out: Location[] = [];
  for (const uri of await workspaceDocuments(ctx)) {
    const open = ctx.documents.get(uri);
    const text = open ? open.getText() : await ctx.documents.readText(uri);
    if (text === undefined) continue;
    const language = open?.languageId ?? languageOfPath(uri);
    let doc: TextDocument | undefined = open;
    for (const c of findCitations(text, syntaxForLanguage(language))) {
      if (!keys.has(c.key)) continue;
      doc ??= TextDocument.create(uri, language, 0, text);
      out.push(Location.create(uri, { start: doc.positionAt(c.start), end: doc.positionAt(c.end) }));
    }
  }
  return out;
}

export async function provideReferences(ctx: ServerContext, params: ReferenceParams): Promise<Location[] | null> {
  const doc = ctx.documents.get(params.textDocument.uri);
  if (!doc) return null;
  const cite = ctx.analyzer.citationAt(doc, doc.offsetAt(params.position));
  if (!cite) return null;
  const paper = ctx.library.get(cite.key);
  return findReferences(ctx, new Set(paper ? [cite.key, paper.key] : [cite.key]));
}

export function prepareRename(ctx: ServerContext, params: PrepareRenameParams): { range: Range; placeholder: string } | null {
  const doc = ctx.documents.get(params.textDocument.uri);
  if (!doc) return null;
  const cite = ctx.analyzer.citationAt(doc, doc.offsetAt(params.position));
  if (!cite) throw new ResponseError(ErrorCodes.InvalidRequest, 'Place the cursor on a citation key to rename it.');
  const paper = ctx.library.get(cite.key);
  if (paper && paper.source === BUILTIN_SOURCE) throw new ResponseError(ErrorCodes.InvalidRequest, `${cite.key} is a built-in paper's key; add it to your bibliography to rename it.`);
  return { range: { start: doc.positionAt(cite.start), end: doc.positionAt(cite.end) }, placeholder: cite.key };
}

export async function provideRename(ctx: ServerContext, params: RenameParams): Promise<WorkspaceEdit | null> {
  const doc = ctx.documents.get(params.textDocument.uri);
  if (!doc) return null;
  const cite = ctx.analyzer.citationAt(doc, doc.offsetAt(params.position));
  if (!cite) return null;
  const newName = params.newName;
  if (!/^[^\s,{}%#~"'()=\\]+$/.test(newName)) throw new ResponseError(ErrorCodes.InvalidParams, `"${newName}" is not a valid citation key.`);
  const paper = ctx.library.get(cite.key);
  const changes: Record<string, TextEdit[]> = {};
  const add = (uri: string, range: Range) => (changes[uri] ??= []).push(TextEdit.replace(range, newName));
  if (paper && paper.key === cite.key && paper.source !== BUILTIN_SOURCE) {
    const def = await entryKeyLocation(ctx, paper);
    if (!def) throw new ResponseError(ErrorCodes.InvalidRequest, `Citelens cannot find the entry ${cite.key} in ${paper.source}: save or reload that file, then rename again.`);
    add(def.uri, def.range);
  }
  for (const loc of await findReferences(ctx, new Set([cite.key]))) add(loc.uri, loc.range);
  return { changes };
}
