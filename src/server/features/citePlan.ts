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
import { AppendPlan, mixesLineEnds, planAppend, planAppendText } from '../../core/sources/bibtex/append';
import { decodeText } from '../../core/sources/decodeText';
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

export { missingPapers } from '../../core/sources/bibtex/append';

/** What adding papers to the bibliography does: the edit, or why not, and the key each paper is cited by. */
export interface BibliographyPlan {
  edit?: BibliographyEdit;
  refused?: string;
  /** The key each paper has in the bibliography (a new valid key, or the key of the entry it matched). */
  keys: Map<Paper, string>;
}

/**
 * The bibliography edit that adds what `papers` lack to the document's bibliography. The entries
 * are appended as bytes in the file's encoding (see `planAppend`) unless an editor can take them as
 * text without loss: a UTF-8 file without mixed line ends (an editor would make them one on saving),
 * or a file open in the editor whose text is what its bytes say. A Latin-1 file that the editor
 * holds in a lossy UTF-8 view is never edited there: its bytes are appended (the editor reloads
 * it), or, with unsaved changes in that view, the edit is refused.
 */
export async function planBibliography(ctx: ServerContext, docUri: string, papers: readonly Paper[]): Promise<BibliographyPlan> {
  const keys = new Map<Paper, string>();
  const settings = ctx.settings();
  const doc = ctx.documents.get(docUri);
  const syntax = syntaxForLanguage(doc?.languageId ?? '');
  if (!settings.addEntries || syntax === 'plain' || !papers.length) return { keys };
  const target = await ctx.projects.bibliographyTarget(docUri, settings.defaultBibliography);
  if (!target.uri) return { refused: target.refused, keys };
  const uri = target.uri;
  const path = pathOf(uri);
  let bytes: Uint8Array | undefined;
  try {
    if (path) bytes = await fs.readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return { refused: `Citelens could not read ${path}: ${(e as Error).message}`, keys };
  }
  // a key the library gives another paper is not made for a new entry
  const options = { isTaken: (k: string, p: Paper) => { const q = ctx.library.get(k); return q !== undefined && q !== p; } };
  const done = (plan: AppendPlan, edit: BibliographyEdit | undefined): BibliographyPlan => {
    for (const { paper, key } of [...plan.written, ...plan.present]) keys.set(paper, key);
    return { edit: plan.written.length ? edit : undefined, keys };
  };
  const disk = bytes ? decodeText(bytes) : undefined;
  const open = ctx.documents.get(uri);
  const unsaved = ctx.documents.unsaved(uri) !== undefined;
  if (open) {
    const text = open.getText();
    // the editor's text is the file's (UTF-8, or opened with the file's own encoding)
    const lossless = !disk || disk.encoding === 'utf-8' || text === disk.text;
    // saved, its mixed line ends would become one: the bytes go to the file instead (the editor reloads it)
    const mixed = disk !== undefined && !unsaved && mixesLineEnds(disk.text);
    if (lossless && !mixed) {
      const plan = planAppendText(text, disk?.encoding ?? 'utf-8', papers, options);
      return done(plan, { uri, create: false, text: plan.text, position: open.positionAt(text.length), added: plan.written.map((w) => w.key) });
    }
    if (!lossless && unsaved) {
      const name = decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));
      return { refused: `Citelens did not add the BibTeX entry to ${name}: the file is in Latin-1 and has unsaved changes in an editor that shows it as UTF-8, which cannot hold its accented letters. Save or revert it (reopen it with the Latin-1 encoding), then cite again.`, keys };
    }
  }
  if (!bytes) {
    const plan = planAppend(undefined, papers, options);
    return done(plan, { uri, create: true, text: plan.text, added: plan.written.map((w) => w.key) });
  }
  const plan = planAppend(bytes, papers, options);
  if (disk!.encoding === 'utf-8' && !mixesLineEnds(disk!.text) && !open) {
    const asDoc = TextDocument.create(uri, 'bibtex', 0, disk!.text);
    return done(plan, { uri, create: false, text: plan.text, position: asDoc.positionAt(disk!.text.length), added: plan.written.map((w) => w.key) });
  }
  return done(plan, { uri, create: false, bytes: Buffer.from(plan.bytes).toString('base64'), expectedSize: bytes.length, added: plan.written.map((w) => w.key) });
}

/** The citation (and bibliography) edits for a cite request. */
export async function planCitation(ctx: ServerContext, params: CitePlanParams): Promise<CitePlanResult> {
  const papers = papersOf(ctx, params.keys);
  const result: CitePlanResult = { keys: papers.map((p) => p.key) };
  if (!papers.length) return result;
  const doc = ctx.documents.get(params.uri);
  // the bibliography first: a paper is cited by the key its entry has there (a new valid key for
  // an id BibTeX cannot read, or the key of the entry it matched)
  const bib = await planBibliography(ctx, params.uri, papers);
  const keys = papers.map((p) => bib.keys.get(p) ?? p.key);
  result.keys = keys;
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
  if (bib.edit) result.bibliography = bib.edit;
  if (bib.refused) result.refused = bib.refused;
  noteCited(ctx, papers.map((p) => p.key));
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
