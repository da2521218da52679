/**
 * The read-only pages of built-in papers (`citelens-paper:/KEY.md`): Go to Definition on a built-in
 * paper's key opens its card and BibTeX there. The server writes the page.
 */
import * as vscode from 'vscode';
import { CitelensServer } from './serverApi';

/** Scheme of the read-only pages for built-in papers. */
export const PAPER_SCHEME = 'citelens-paper';

export function registerPaperPages(server: CitelensServer): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(PAPER_SCHEME, {
    provideTextDocumentContent(uri) {
      const key = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.md$/, ''));
      return server.paperPage(key);
    },
  });
}
