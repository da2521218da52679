/** Which editor documents Citelens serves: documents of its languages, plain text (for Search and Cite), and bibliographies. */
import * as vscode from 'vscode';
import { BIBLIOGRAPHY_PATTERN, DOCUMENT_LANGUAGE_IDS, EDITOR_LANGUAGE_IDS } from '../protocol/languages';

const SCHEMES = ['file', 'untitled'];

/** The documents the language server sees (an LSP document selector). */
export const SERVER_SELECTOR: ({ language: string; scheme: string } | { scheme: string; pattern: string })[] = [
  ...[...EDITOR_LANGUAGE_IDS, 'bibtex'].flatMap((language) => SCHEMES.map((scheme) => ({ language, scheme }))),
  { scheme: 'file', pattern: BIBLIOGRAPHY_PATTERN },
];

/** The documents Citelens's own UI works on (not bibliographies). */
export const DOCUMENT_SELECTOR: vscode.DocumentFilter[] = EDITOR_LANGUAGE_IDS.map((language) => ({ language }));

/** Whether `doc` is a document Citelens works on (a LaTeX, Markdown or Typst document, or plain text). */
export function isCitelensDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme !== 'output' && vscode.languages.match(DOCUMENT_SELECTOR, doc) > 0;
}

/** Whether `doc` is one of the documents whose citations Citelens reads (not plain text). */
export function isCitingDocument(doc: vscode.TextDocument): boolean {
  return isCitelensDocument(doc) && DOCUMENT_LANGUAGE_IDS.includes(doc.languageId);
}
