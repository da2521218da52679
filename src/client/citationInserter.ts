/**
 * Applies the server's cite plans in VS Code: one `WorkspaceEdit` carries the citation and the new
 * BibTeX entries, so one undo removes both. The bibliography is saved after the edit when it had no
 * unsaved changes before, and saved again when the edit is undone or redone, so the file on disk and
 * the editor always agree. A bibliography in an encoding other than UTF-8 is appended to as bytes
 * (VS Code's UTF-8 view of it would lose its accented letters).
 */
import * as vscode from 'vscode';
import type { BibliographyEdit, CitePlanParams, CitePlanResult } from '../protocol/requests';
import { Logger } from './logger';
import { CitelensServer, toPosition, toRange } from './serverApi';

/** What a citation insertion did, for callers and tests. */
export interface InsertResult {
  keys: string[];
  bibliography?: vscode.Uri;
  addedEntries: string[];
  /** Why no entry was written (a bibliography outside the workspace), as shown to the user. */
  refused?: string;
}

export class CitationInserter implements vscode.Disposable {
  /**
   * Bibliographies Citelens saved after its own edit, with their text before and after it: an undo
   * or redo of that edit (the text back at either) saves them again.
   */
  private readonly savedByUs = new Map<string, { before: string; after: string }>();
  /** Of those, the ones undone or redone and not saved yet. */
  private readonly toSave = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly server: CitelensServer,
    private readonly logger: Logger,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        const id = e.document.uri.toString();
        const ours = this.savedByUs.get(id);
        if (!ours) return;
        if (e.contentChanges.length) {
          // Undo or redo of a cite puts the text back as it was before or after it (recognised by
          // the text, not by the change's `reason`: undoing the writer's own typing is theirs to save)
          const text = e.document.getText();
          if (text !== ours.before && text !== ours.after) {
            this.savedByUs.delete(id); // the writer edits the file: its saving is theirs again
            this.toSave.delete(id);
            return;
          }
          this.toSave.add(id);
        }
        // the editor and the disk agree again once it is saved; the document may learn that it is
        // dirty only in a later event (with no content change), so the save waits for that
        if (this.toSave.has(id) && e.document.isDirty) {
          this.toSave.delete(id);
          void e.document.save().then(undefined, (err: unknown) => this.logger.error('saving the bibliography after undo', err));
        }
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.savedByUs.delete(d.uri.toString());
        this.toSave.delete(d.uri.toString());
      }),
    );
  }

  /**
   * Cites papers (by key) at `position` (default: the cursor) in `editor`: merged into the citation
   * there, else a new one; missing entries are added to the bibliography.
   */
  async cite(editor: vscode.TextEditor, keys: readonly string[], position?: vscode.Position, options: { afterMention?: boolean; atSentenceEnd?: boolean } = {}): Promise<InsertResult | undefined> {
    if (!keys.length) return undefined;
    const doc = editor.document;
    const at = position ?? editor.selection.active;
    return this.run(doc, { uri: doc.uri.toString(), position: toPosition(at), keys: [...keys], ...options });
  }

  /** Adds the missing entries of `keys` to `doc`'s bibliography on their own (after a completion). */
  async addToBibliography(doc: vscode.TextDocument, keys: readonly string[]): Promise<string[]> {
    const result = await this.run(doc, { uri: doc.uri.toString(), position: { line: 0, character: 0 }, keys: [...keys], bibliographyOnly: true });
    return result?.addedEntries ?? [];
  }

  /**
   * Plans and applies. When VS Code holds an old copy of the bibliography (another program changed
   * the file and VS Code has not reloaded it yet), waits for the reload and plans again on the new
   * text, so the other program's change is kept.
   */
  private async run(doc: vscode.TextDocument, params: CitePlanParams): Promise<InsertResult | undefined> {
    for (let attempt = 0; ; attempt++) {
      const plan = await this.server.citePlan(params);
      if (!params.bibliographyOnly && !plan.edit) return undefined;
      const bib = plan.bibliography;
      const open = bib && bib.text !== undefined && !bib.create ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === bib.uri) : undefined;
      if (open && !open.isDirty && !(await inStepWithDisk(open, 0))) {
        if (attempt === 0 && (await inStepWithDisk(open))) continue;
        const name = open.uri.path.slice(open.uri.path.lastIndexOf('/') + 1);
        this.logger.info(`not adding to ${open.uri.fsPath}: it changed on disk and VS Code has not reloaded it`);
        void vscode.window.showWarningMessage(`Citelens did not add the BibTeX entry to ${name}: the file changed on disk and VS Code has not reloaded it yet. Cite again in a moment.`);
        return undefined;
      }
      // The entry goes at the end of the text the server planned on. When VS Code's copy moved on
      // meanwhile (a reload racing the plan), that is no longer the end: plan again on the new text.
      if (open && bib!.position && !isEnd(open, bib!.position)) {
        if (attempt < 3) {
          await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
          continue;
        }
        const name = open.uri.path.slice(open.uri.path.lastIndexOf('/') + 1);
        void vscode.window.showWarningMessage(`Citelens did not add the BibTeX entry to ${name}: it kept changing while the entry was planned. Cite again in a moment.`);
        return undefined;
      }
      return this.apply(doc, plan);
    }
  }

  /**
   * The plan as a workspace edit (citation and bibliography), without applying it: drag and drop
   * hands it to VS Code. Returns what to do once it is applied.
   */
  async planAsEdit(doc: vscode.TextDocument, plan: CitePlanResult): Promise<{ edit: vscode.WorkspaceEdit; afterApply: () => Promise<void> } | undefined> {
    if (plan.refused) void vscode.window.showWarningMessage(plan.refused);
    const edit = new vscode.WorkspaceEdit();
    if (plan.edit) edit.replace(doc.uri, toRange(plan.edit.range), plan.edit.newText);
    const bib = plan.bibliography;
    let afterApply = async () => undefined as void;
    if (bib) {
      const prepared = await this.prepareBibliography(bib);
      if (prepared) {
        prepared.addTo(edit);
        afterApply = prepared.afterApply;
      }
    }
    return { edit, afterApply };
  }

  private async apply(doc: vscode.TextDocument, plan: CitePlanResult): Promise<InsertResult | undefined> {
    const planned = await this.planAsEdit(doc, plan);
    if (!planned) return undefined;
    if (planned.edit.size && !(await vscode.workspace.applyEdit(planned.edit))) {
      this.logger.info(`citing ${plan.keys.join(', ')} in ${doc.uri.fsPath}: the edit was refused`);
      return undefined;
    }
    await planned.afterApply();
    const bib = plan.bibliography;
    return { keys: plan.keys, bibliography: bib ? vscode.Uri.parse(bib.uri) : undefined, addedEntries: bib?.added ?? [], refused: plan.refused };
  }

  /**
   * How a bibliography edit goes into a workspace edit, and what follows it (saving, or writing the
   * bytes of a file not in UTF-8).
   */
  private async prepareBibliography(bib: BibliographyEdit): Promise<{ addTo: (e: vscode.WorkspaceEdit) => void; afterApply: () => Promise<void> } | undefined> {
    const uri = vscode.Uri.parse(bib.uri);
    const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    if (bib.bytes !== undefined) {
      return {
        addTo: () => undefined,
        afterApply: async () => {
          const current = await vscode.workspace.fs.readFile(uri);
          if (current.length !== bib.expectedSize) {
            void vscode.window.showWarningMessage(`Citelens did not add the BibTeX entry to ${name}: the file changed meanwhile. Cite again.`);
            return;
          }
          const added = Buffer.from(bib.bytes!, 'base64');
          const out = new Uint8Array(current.length + added.length);
          out.set(current, 0);
          out.set(added, current.length);
          await vscode.workspace.fs.writeFile(uri, out);
        },
      };
    }
    if (bib.create) {
      return {
        addTo: (e) => e.createFile(uri, { ignoreIfExists: true, contents: new TextEncoder().encode(bib.text ?? '') }),
        afterApply: async () => undefined,
      };
    }
    if (bib.text === undefined || !bib.position) return undefined;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const wasDirty = open?.isDirty ?? false;
    const before = open?.getText();
    return {
      addTo: (e) => e.insert(uri, new vscode.Position(bib.position!.line, bib.position!.character), bib.text!),
      afterApply: async () => {
        if (wasDirty) return; // the writer's own unsaved edits: the entry joins them, nothing is saved
        const d = vscode.workspace.textDocuments.find((x) => x.uri.toString() === uri.toString());
        if (!d?.isDirty) return;
        const after = d.getText();
        // the text before the edit: the editor's, else the edited text without the entry
        const was = before ?? (after.endsWith(bib.text!) ? after.slice(0, -bib.text!.length) : undefined);
        if ((await d.save()) && was !== undefined) this.savedByUs.set(uri.toString(), { before: was, after });
      },
    };
  }

  dispose(): void {
    vscode.Disposable.from(...this.disposables).dispose();
  }
}

/** Whether `position` is the end of `doc`. */
function isEnd(doc: vscode.TextDocument, position: { line: number; character: number }): boolean {
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  return end.line === position.line && end.character === position.character;
}

/**
 * True when the unmodified document `doc` holds what its file holds on disk, waiting up to
 * `waitMs` for VS Code to reload it after a change by another program. Compared with line ends
 * normalised. A file that cannot be read counts as in step.
 */
async function inStepWithDisk(doc: vscode.TextDocument, waitMs = 5000): Promise<boolean> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(doc.uri);
  } catch {
    return true;
  }
  const norm = (s: string) => s.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '');
  const disk = norm(new TextDecoder('utf-8').decode(bytes));
  for (const end = Date.now() + waitMs; disk !== norm(doc.getText()); ) {
    if (doc.isDirty) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
