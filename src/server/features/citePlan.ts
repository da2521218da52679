/**
 * The edits that cite papers: the citation in the document (merged into the citation at the cursor,
 * else a new one in the document's syntax) and the missing BibTeX entries appended to the project's
 * bibliography. The server plans; the editor applies both as one edit (one undo step). A file in an
 * encoding other than UTF-8 is appended to as bytes, never through a lossy decode.
 */
import { promises as fs } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { planCitationInsert } from '../../core/citations/citationInsertEdit';
import { syntaxForLanguage } from '../../core/citations/languages';
import { Paper } from '../../core/model/paper';
import { appendEntryText, toBibtex } from '../../core/sources/bibtex/writer';
import { parseBibtex } from '../../core/sources/bibtex/reader';
import { decodeText } from '../../core/sources/decodeText';
import { normalizeTitle } from '../../core/model/paper';
import { BibliographyEdit, CitePlanParams, CitePlanResult } from '../../protocol/requests';
import { ServerContext, noteCited } from '../context';
import { pathOf } from '../documents';

/** The papers the keys name; unknown keys are left out. */
export function papersOf(ctx: ServerContext, keys: readonly string[]): Paper[] {
  const out: Paper[] = [];
  for (const k of keys) {
    const p = ctx.library.get(k);
    if (p && !out.includes(p)) out.push(p);
  }
  return out;
}

/** The papers of `papers` that the bibliography text does not hold yet (by key, DOI, arXiv id or title). */
export function missingPapers(bibText: string, papers: readonly Paper[]): Paper[] {
  if (!bibText.trim()) return [...papers];
  const have = parseBibtex(bibText, 'bibliography').papers;
  const keys = new Set(have.map((p) => p.key));
  const ids = new Set<string>();
  for (const p of have) {
    if (p.doi) ids.add('doi:' + p.doi.toLowerCase());
    if (p.arxiv) ids.add('arxiv:' + p.arxiv);
    ids.add('title:' + normalizeTitle(p.title));
  }
  const seen = new Set<string>();
  return papers.filter((p) => {
    if (keys.has(p.key) || seen.has(p.key)) return false;
    seen.add(p.key);
    if (p.doi && ids.has('doi:' + p.doi.toLowerCase())) return false;
    if (p.arxiv && ids.has('arxiv:' + p.arxiv)) return false;
    return !ids.has('title:' + normalizeTitle(p.title));
  });
}

/** The bibliography edit that adds what `papers` lack to the document's bibliography. */
export async function planBibliography(ctx: ServerContext, docUri: string, papers: readonly Paper[]): Promise<{ edit?: BibliographyEdit; refused?: string }> {
  const settings = ctx.settings();
  const doc = ctx.documents.get(docUri);
  const syntax = syntaxForLanguage(doc?.languageId ?? '');
  if (!settings.addEntries || syntax === 'plain' || !papers.length) return {};
  const target = await ctx.projects.bibliographyTarget(docUri, settings.defaultBibliography);
  if (!target.uri) return { refused: target.refused };
  const uri = target.uri;
  const open = ctx.documents.get(uri);
  if (open) {
    const text = open.getText();
    const missing = missingPapers(text, papers);
    if (!missing.length) return {};
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    return { edit: { uri, create: false, text: appendEntryText(text, missing.map((p) => toBibtex(p, eol)).join(eol)), position: open.positionAt(text.length), added: missing.map((p) => p.key) } };
  }
  const path = pathOf(uri);
  let bytes: Uint8Array | undefined;
  try {
    if (path) bytes = await fs.readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { refused: `Citelens could not read ${path}: ${(e as Error).message}` };
  }
  if (!bytes) {
    const text = papers.map((p) => toBibtex(p)).join('\n');
    return { edit: { uri, create: true, text, added: papers.map((p) => p.key) } };
  }
  const decoded = decodeText(bytes);
  const missing = missingPapers(decoded.text, papers);
  if (!missing.length) return {};
  const eol = decoded.text.includes('\r\n') ? '\r\n' : '\n';
  const appended = appendEntryText(decoded.text, missing.map((p) => toBibtex(p, eol)).join(eol));
  if (decoded.encoding === 'utf-8') {
    const asDoc = TextDocument.create(uri, 'bibtex', 0, decoded.text);
    return { edit: { uri, create: false, text: appended, position: asDoc.positionAt(decoded.text.length), added: missing.map((p) => p.key) } };
  }
  return { edit: { uri, create: false, bytes: Buffer.from(encodeLatin1(appended)).toString('base64'), expectedSize: bytes.length, added: missing.map((p) => p.key) } };
}

/** Latin-1 bytes of `text`; characters Latin-1 cannot hold become LaTeX-safe ASCII. */
function encodeLatin1(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 256) out.push(c);
    else for (const b of Buffer.from(`{\\char${c}}`, 'latin1')) out.push(b);
  }
  return Uint8Array.from(out);
}

/** The citation (and bibliography) edits for a cite request. */
export async function planCitation(ctx: ServerContext, params: CitePlanParams): Promise<CitePlanResult> {
  const papers = papersOf(ctx, params.keys);
  const keys = papers.map((p) => p.key);
  const result: CitePlanResult = { keys };
  if (!keys.length) return result;
  const doc = ctx.documents.get(params.uri);
  if (!params.bibliographyOnly) {
    if (!doc) return result;
    const text = doc.getText();
    const syntax = syntaxForLanguage(doc.languageId);
    const settings = ctx.settings();
    const edit = planCitationInsert(text, doc.offsetAt(params.position), keys, syntax, {
      latexCommand: settings.latexCommand,
      template: settings.citationFormats[doc.languageId],
      latexTie: settings.latexTie,
      place: params.atSentenceEnd ? 'sentence' : params.afterMention ? 'mention' : 'cursor',
    });
    result.edit = { range: { start: doc.positionAt(edit.start), end: doc.positionAt(edit.end) }, newText: edit.newText };
  }
  const bib = await planBibliography(ctx, params.uri, papers);
  if (bib.edit) result.bibliography = bib.edit;
  if (bib.refused) result.refused = bib.refused;
  noteCited(ctx, keys);
  return result;
}

/**
 * The plan as an LSP workspace edit, for editors that apply the server's edits themselves. A byte
 * append (a file not in UTF-8) is written here first, since an editor would decode the file.
 */
export async function toWorkspaceEdit(ctx: ServerContext, docUri: string, plan: CitePlanResult): Promise<WorkspaceEdit> {
  const changes: (TextDocumentEdit | CreateFile)[] = [];
  if (plan.edit) changes.push(TextDocumentEdit.create({ uri: docUri, version: ctx.documents.get(docUri)?.version ?? null }, [TextEdit.replace(plan.edit.range, plan.edit.newText)]));
  const bib = plan.bibliography;
  if (bib?.create && bib.text !== undefined) {
    changes.push(CreateFile.create(bib.uri, { ignoreIfExists: true }));
    changes.push(TextDocumentEdit.create({ uri: bib.uri, version: null }, [TextEdit.insert({ line: 0, character: 0 }, bib.text)]));
  } else if (bib?.text !== undefined && bib.position) {
    changes.push(TextDocumentEdit.create({ uri: bib.uri, version: ctx.documents.get(bib.uri)?.version ?? null }, [TextEdit.insert(bib.position, bib.text)]));
  } else if (bib?.bytes) {
    await appendBytes(bib);
  }
  return { documentChanges: changes };
}

/** Appends a plan's bytes to its file, if the file is still the size the plan was made for. */
export async function appendBytes(bib: BibliographyEdit): Promise<boolean> {
  const path = pathOf(bib.uri);
  if (!path || !bib.bytes) return false;
  const st = await fs.stat(path).catch(() => undefined);
  if (!st || st.size !== bib.expectedSize) return false;
  await fs.appendFile(path, Buffer.from(bib.bytes, 'base64'));
  return true;
}
