/** Helpers for extension-host tests: the extension's API, a scratch folder in the workspace, waiting. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CitelensTestApi } from '../../src/client/extension';
import type { Paper } from '../../src/core/model/paper';
import { TestRequests, type LibraryStatusResult, type PaperResult } from '../../src/protocol/requests';

export type CitelensApi = CitelensTestApi;

export async function citelens(): Promise<CitelensApi> {
  const ext = vscode.extensions.getExtension<CitelensApi>('citelens.citelens');
  assert.ok(ext, 'the Citelens extension is installed');
  const api = await ext.activate();
  assert.ok(api, 'the extension runs in test mode and hands back its test API');
  await api.ready;
  return api;
}

/** The paper a key names in the server's library, or null. */
export function paper(api: CitelensApi, key: string, uri?: vscode.Uri): Promise<PaperResult | null> {
  return api.server.paper(key, uri?.toString());
}

/** The library's status as the server reports it. */
export async function status(api: CitelensApi): Promise<LibraryStatusResult> {
  const s = await api.server.libraryStatus();
  assert.ok(s, 'the server answers the library status');
  return s;
}

/** The keys of the first `limit` search hits for `query`. */
export async function searchKeys(api: CitelensApi, query: string, limit = 10): Promise<string[]> {
  return (await api.server.search({ query, limit })).hits.map((h) => h.paper.key);
}

/** Adds papers to the server's library as a source of their own (a test request). */
export async function addSource(api: CitelensApi, source: string, papers: Paper[]): Promise<void> {
  assert.equal(await api.server.test(TestRequests.setSource, { source, papers }), true, 'the server takes test sources');
}

export async function removeSource(api: CitelensApi, source: string): Promise<void> {
  await api.server.test(TestRequests.removeSource, { source });
}

/**
 * For a `describe` block that writes bibliographies: a scratch folder (`name`) and a test-only
 * library source holding `papers` (papers no other suite cites: a .bib entry for a corpus paper
 * would stand in for the corpus copy in later suites), made before its tests and removed after;
 * editors are closed, reverting, after each test. Read `api` and `dir` inside the tests.
 */
export function writerSuite(name: string, source: string, papers: Paper[]): { readonly api: CitelensApi; readonly dir: vscode.Uri } {
  const s = {} as { api: CitelensApi; dir: vscode.Uri };
  before(async () => {
    s.api = await citelens();
    s.dir = await scratch(name);
    await addSource(s.api, source, papers);
  });
  afterEach(() => closeAllReverting());
  after(async () => {
    await removeSource(s.api, source);
    await vscode.workspace.fs.delete(s.dir, { recursive: true });
  });
  return s;
}

/** A fresh folder inside the workspace for one test file's documents. */
export async function scratch(name: string): Promise<vscode.Uri> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(root, 'the tests run with a workspace folder open');
  const dir = vscode.Uri.joinPath(root, `scratch-${name}-${Date.now()}`);
  await vscode.workspace.fs.createDirectory(dir);
  return dir;
}

export async function write(uri: vscode.Uri, text: string): Promise<vscode.Uri> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

export async function readDisk(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

export async function open(uri: vscode.Uri, languageId?: string): Promise<vscode.TextEditor> {
  let doc = await vscode.workspace.openTextDocument(uri);
  if (languageId && doc.languageId !== languageId) doc = await vscode.languages.setTextDocumentLanguage(doc, languageId);
  return vscode.window.showTextDocument(doc);
}

export async function until<T>(get: () => T | Promise<T>, what: string, ms = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Places the cursor at the first occurrence of `marker` in the editor (and removes nothing). */
export function cursorAt(editor: vscode.TextEditor, marker: string, offsetInMarker = 0): vscode.Position {
  const i = editor.document.getText().indexOf(marker);
  assert.ok(i >= 0, `marker ${marker} in the document`);
  const pos = editor.document.positionAt(i + offsetInMarker);
  editor.selection = new vscode.Selection(pos, pos);
  return pos;
}

/** Answers the open Search and Cite QuickPick: types `query`, waits for `key`, accepts it. */
export async function answerSearch(api: CitelensApi, query: string, key: string): Promise<void> {
  const search = await until(() => api.activeSearch(), 'the Search and Cite QuickPick');
  await search.type(query);
  const item = await until(() => search.pick.items.slice(0, 6).find((i) => i.paper?.key === key), `${key} among the top results for "${query}"`);
  search.accept([item]);
}

/** Closes every editor, reverting unsaved untitled documents first so no save prompt appears. */
export async function closeAllReverting(): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputText && t.isDirty);
    if (!tab) break;
    await vscode.window.showTextDocument((tab.input as vscode.TabInputText).uri, { preview: false });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  // VS Code reuses "Untitled-1" for the next untitled document: wait until the old one is gone
  for (const end = Date.now() + 5000; Date.now() < end && vscode.workspace.textDocuments.some((d) => d.isUntitled && !d.isClosed); ) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

let untitledCount = 0;
/**
 * A new untitled document with `content`, under a name of its own: VS Code reuses "Untitled-1"
 * for `openTextDocument({content})` right after the previous one closed, and may hand back the
 * old text (seen in code-server 1.100), so each test's document gets a unique untitled URI.
 */
export async function openUntitled(language: string, content: string): Promise<vscode.TextEditor> {
  const ext = ({ latex: 'tex', markdown: 'md', json: 'json' } as Record<string, string>)[language] ?? 'txt';
  const uri = vscode.Uri.from({ scheme: 'untitled', path: `citelens-test-${Date.now()}-${++untitledCount}.${ext}` });
  let doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
  const editor = await vscode.window.showTextDocument(doc);
  await editor.edit((b) => b.insert(new vscode.Position(0, 0), content));
  assert.equal(doc.getText(), content);
  editor.selection = new vscode.Selection(0, 0, 0, 0);
  await until(() => vscode.window.activeTextEditor?.document === doc, 'the document to be active');
  return editor;
}
