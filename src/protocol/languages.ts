/**
 * What of the one language table (`core/citations/languages`) the client needs: the languages it
 * hands to the server, and the bibliography files whose unsaved text the server reads.
 */
import { DOCUMENT_LANGUAGES, EDITOR_LANGUAGES } from '../core/citations/languages';

/** Language ids of the documents Citelens reads. */
export const DOCUMENT_LANGUAGE_IDS: readonly string[] = [...DOCUMENT_LANGUAGES];

/** Language ids whose editors Citelens serves (documents, and plain text on request). */
export const EDITOR_LANGUAGE_IDS: readonly string[] = [...EDITOR_LANGUAGES];

/** Bibliography files the server reads from the editor while they are open (their unsaved text counts). */
export const BIBLIOGRAPHY_PATTERN = '**/*.{bib,bibtex,biblatex}';
