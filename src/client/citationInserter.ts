/**
 * Inserts citations into a document in its own syntax and keeps its bibliography in step: one
 * `WorkspaceEdit` carries the citation and the new BibTeX entries, so they are undone together.
 * Existing bytes of the bibliography are never changed: entries are only appended at its end.
 */
import * as vscode from 'vscode';
import { parseBibtex } from '../core/sources/bibtex/reader';
import { decodeText } from '../core/sources/decodeText';
import { appendEntryText, toBibtex } from '../core/sources/bibtex/writer';
import { syntaxForLanguage } from '../core/citations/languages';
import { citationInsertEdit } from '../core/citations/citationInsertEdit';
import { Paper, normalizeTitle } from '../core/model/paper';
import { Config } from './config';
import { LibraryService } from './libraryService';
import { Logger } from './logger';

/** What a citation insertion did, for callers and tests. */
export interface InsertResult {
  keys: string[];
  bibliography?: vscode.Uri;
  addedEntries: string[];
}

export class CitationInserter {
  /** Keys most recently cited, newest first (the search's empty-query fallback). */
  readonly recent: string[] = [];

  constructor(
    private readonly libraries: LibraryService,
    private readonly config: Config,
    private readonly logger: Logger,
  ) {}

  /** The bibliography a document's new entries go to: the first it names, else the default file. */
  bibliographyFor(doc: vscode.TextDocument): vscode.Uri | undefined {
    const named = this.libraries.bibliographyUris(doc).filter((u) => /\.(bib|bibtex)$/i.test(u.path));
    if (named.length) return named[0];
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri) ?? vscode.workspace.workspaceFolders?.[0];
    const base = folder?.uri ?? (doc.uri.scheme === 'untitled' ? undefined : vscode.Uri.joinPath(doc.uri, '..'));
    if (!base) return undefined;
    const rel = this.config.defaultBibliography;
    return rel.startsWith('/') ? base.with({ path: rel }) : vscode.Uri.joinPath(base, rel);
  }

  /**
   * Adds to `wsEdit` the BibTeX entries of `papers` that `doc`'s bibliography lacks (appended at its
   * end, or a new file). Returns what it planned, and a function that saves the bibliography after
   * the edit when it had no unsaved changes before (so it stays in step on disk).
   */
  async planBibliography(
    doc: vscode.TextDocument,
    papers: readonly Paper[],
    wsEdit: vscode.WorkspaceEdit,
  ): Promise<{ uri: vscode.Uri; added: string[]; saveIfClean: () => Promise<void> } | undefined> {
    const syntax = syntaxForLanguage(doc.languageId);
    if (!this.config.addToBibliography || syntax === 'plain') return undefined;
    const uri = this.bibliographyFor(doc);
    if (!uri) return undefined;
    let bibDoc: vscode.TextDocument | undefined;
    try {
      bibDoc = await vscode.workspace.openTextDocument(uri);
    } catch {
      bibDoc = undefined; // does not exist yet
    }
    // Re-read first: VS Code may still hold the text it read before another program changed the
    // file. Appending to that copy would be refused, or saved over the other program's change.
    if (bibDoc && !bibDoc.isDirty && !(await inStepWithDisk(bibDoc))) {
      const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
      this.logger.info(`not adding ${papers.map((p) => p.key).join(', ')} to ${uri.fsPath}: it changed on disk and VS Code has not reloaded it`);
      void vscode.window.showWarningMessage(`Citelens did not add the BibTeX entry to ${name}: the file changed on disk and VS Code has not reloaded it yet. Cite again in a moment.`);
      return undefined;
    }
    const existing = bibDoc?.getText() ?? '';
    const wasDirty = bibDoc?.isDirty ?? false;
    const missing = missingPapers(existing, papers);
    if (missing.length) {
      const eol = bibDoc?.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
      const text = appendEntryText(existing, missing.map((p) => toBibtex(p, eol)).join(eol));
      if (bibDoc) wsEdit.insert(uri, bibDoc.positionAt(existing.length), text);
      else wsEdit.createFile(uri, { ignoreIfExists: true, contents: new TextEncoder().encode(text) });
    }
    const added = missing.map((p) => p.key);
    return {
      uri,
      added,
      saveIfClean: async () => {
        if (!added.length || wasDirty) return;
        const d = vscode.workspace.textDocuments.find((x) => x.uri.toString() === uri.toString());
        if (d?.isDirty) await d.save();
      },
    };
  }

  /** Appends missing entries of `papers` to `doc`'s bibliography on their own (after a completion). */
  async addToBibliography(doc: vscode.TextDocument, papers: readonly Paper[]): Promise<string[]> {
    const wsEdit = new vscode.WorkspaceEdit();
    const plan = await this.planBibliography(doc, papers, wsEdit);
    if (!plan?.added.length || !(await vscode.workspace.applyEdit(wsEdit))) return [];
    await plan.saveIfClean();
    return plan.added;
  }

  /**
   * Cites `papers` at `position` (default: the cursor) in `editor`: merges into the citation the
   * cursor is in, else inserts a new one; appends missing BibTeX entries to the bibliography.
   */
  async cite(editor: vscode.TextEditor, papers: readonly Paper[], position?: vscode.Position, options: { afterMention?: boolean } = {}): Promise<InsertResult | undefined> {
    if (!papers.length) return undefined;
    const doc = editor.document;
    const syntax = syntaxForLanguage(doc.languageId);
    const keys = papers.map((p) => p.key);
    const at = position ?? editor.selection.active;
    const edit = citationInsertEdit(doc.getText(), doc.offsetAt(at), keys, syntax, {
      latexCommand: this.config.latexCommand,
      template: this.config.citationFormats[doc.languageId],
    });
    // right after a mention in prose: "LongLoRA~\cite{…}" in LaTeX, "LongLoRA [@…]" in Markdown
    if (options.afterMention && edit.start === edit.end && !/\s$/.test(doc.getText().slice(0, edit.start))) {
      edit.newText = (syntax === 'latex' ? '~' : ' ') + edit.newText;
    }
    const wsEdit = new vscode.WorkspaceEdit();
    wsEdit.replace(doc.uri, new vscode.Range(doc.positionAt(edit.start), doc.positionAt(edit.end)), edit.newText);

    const bib = await this.planBibliography(doc, papers, wsEdit);
    const result: InsertResult = { keys, bibliography: bib?.uri, addedEntries: bib?.added ?? [] };
    const ok = await vscode.workspace.applyEdit(wsEdit);
    if (!ok) {
      this.logger.info(`citing ${keys.join(', ')} in ${doc.uri.fsPath}: the edit was refused`);
      return undefined;
    }
    await bib?.saveIfClean();
    for (const k of keys) {
      const i = this.recent.indexOf(k);
      if (i >= 0) this.recent.splice(i, 1);
      this.recent.unshift(k);
    }
    this.recent.length = Math.min(this.recent.length, 20);
    return result;
  }
}

/**
 * True when the unmodified document `doc` holds what its file holds on disk, waiting up to
 * `waitMs` for VS Code to reload it after a change by another program (about 1.5 s in
 * code-server 1.100). Compared with line ends
 * normalised, against the bytes decoded as VS Code does by default (UTF-8, invalid bytes replaced)
 * and as Citelens reads libraries (UTF-8, else Latin-1). A file that cannot be read counts as in step.
 */
async function inStepWithDisk(doc: vscode.TextDocument, waitMs = 5000): Promise<boolean> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(doc.uri);
  } catch {
    return true;
  }
  const norm = (s: string) => s.replace(/\r\n?/g, '\n');
  const disk = new Set([norm(new TextDecoder('utf-8').decode(bytes)), norm(decodeText(bytes).text)]);
  for (const end = Date.now() + waitMs; !disk.has(norm(doc.getText())); ) {
    if (doc.isDirty) return true; // the user's unsaved text: the entry joins it, nothing is saved
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
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
