/**
 * The documents the server sees: those the editor has open (their unsaved text wins) and, for
 * everything else, the files on disk. URIs are compared as the editor writes them (`vscode-uri`).
 */
import { promises as fs } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { decodeText } from '../core/sources/decodeText';

/** The part of `TextDocuments` the server uses (an in-memory double in tests). */
export interface OpenDocuments {
  get(uri: string): TextDocument | undefined;
  all(): TextDocument[];
}

/** The file-system path of a `file:` URI, else undefined. */
export function pathOf(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    return u.scheme === 'file' ? u.fsPath : undefined;
  } catch {
    return undefined;
  }
}

/** The `file:` URI of a path, as the editor writes it. */
export function uriOf(path: string): string {
  return URI.file(path).toString();
}

/** The last path segment of a URI ("main.tex"). */
export function nameOf(uri: string): string {
  const path = URI.parse(uri).path;
  return path.slice(path.lastIndexOf('/') + 1);
}

export class DocumentStore {
  /** Open documents edited since they were opened or saved: their text differs from the file's. */
  private readonly dirty = new Set<string>();

  constructor(readonly open: OpenDocuments) {}

  get(uri: string): TextDocument | undefined {
    return this.open.get(uri);
  }

  /** The open document whose unsaved text differs from its file (else the file on disk is the truth). */
  unsaved(uri: string): TextDocument | undefined {
    return this.dirty.has(uri) ? this.open.get(uri) : undefined;
  }

  /** Keeps track of unsaved edits: call on change (true), and on open, save and close (false). */
  setDirty(uri: string, dirty: boolean): void {
    if (dirty) this.dirty.add(uri);
    else this.dirty.delete(uri);
  }

  /** The text of a document: the open editor's, else the file's (UTF-8, else Latin-1); undefined when unreadable. */
  async readText(uri: string): Promise<string | undefined> {
    const doc = this.open.get(uri);
    if (doc) return doc.getText();
    const path = pathOf(uri);
    if (!path) return undefined;
    try {
      const st = await fs.stat(path);
      if (!st.isFile()) return undefined;
      return decodeText(await fs.readFile(path)).text;
    } catch {
      return undefined;
    }
  }
}
