/**
 * Navigation on citation keys: Go to Definition (the entry in its .bib; for a built-in paper, a
 * read-only page showing its BibTeX), Find All References (every citation of the key in the
 * workspace's documents), and Rename Symbol (documents and .bib together, one WorkspaceEdit).
 */
import * as vscode from 'vscode';
import { toBibtex } from '../core/sources/bibtex/writer';
import { cardMarkdown } from '../core/render/cardMarkdown';
import { findCitations } from '../core/citations/documentLexer';
import { DOCUMENT_GLOB, DOCUMENT_LANGUAGES, languageOfExtension, syntaxForLanguage } from '../core/citations/languages';
import { Library } from '../core/library/library';
import { BUILTIN_SOURCE, Paper } from '../core/model/paper';
import { DOCUMENT_SELECTOR, DocumentAnalyzer } from './documentAnalysis';
import { Logger } from './logger';

/** Scheme of the read-only pages for built-in papers. */
export const PAPER_SCHEME = 'citelens-paper';

/** Text of a workspace file: the open document's (unsaved edits included) or the file on disk. */
async function readText(uri: vscode.Uri): Promise<{ text: string; languageId: string; doc?: vscode.TextDocument }> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return { text: open.getText(), languageId: open.languageId, doc: open };
  const bytes = await vscode.workspace.fs.readFile(uri);
  const ext = uri.path.slice(uri.path.lastIndexOf('.') + 1);
  return { text: new TextDecoder().decode(bytes), languageId: languageOfExtension(ext) ?? 'plaintext' };
}

function positionAt(text: string, offset: number): vscode.Position {
  let line = 0;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return new vscode.Position(line, offset - last - 1);
}

/** Every citation of `keys` in the workspace's documents (and open untitled ones). */
export async function findReferences(keys: ReadonlySet<string>): Promise<vscode.Location[]> {
  const uris = new Map<string, vscode.Uri>();
  for (const u of await vscode.workspace.findFiles(DOCUMENT_GLOB, '**/{node_modules,.git}/**', 5000)) uris.set(u.toString(), u);
  for (const d of vscode.workspace.textDocuments) if (d.uri.scheme !== PAPER_SCHEME && DOCUMENT_LANGUAGES.has(d.languageId)) uris.set(d.uri.toString(), d.uri);
  const out: vscode.Location[] = [];
  for (const uri of uris.values()) {
    try {
      const { text, languageId, doc } = await readText(uri);
      for (const c of findCitations(text, syntaxForLanguage(languageId))) {
        if (!keys.has(c.key)) continue;
        const start = doc ? doc.positionAt(c.start) : positionAt(text, c.start);
        const end = doc ? doc.positionAt(c.end) : positionAt(text, c.end);
        out.push(new vscode.Location(uri, new vscode.Range(start, end)));
      }
    } catch {
      /* unreadable file: skip */
    }
  }
  return out;
}

/** The range of an entry's key in its .bib text, from the entry's start line. */
async function bibKeyRange(paper: Paper): Promise<vscode.Location | undefined> {
  if (paper.source === BUILTIN_SOURCE || !paper.range) return undefined;
  const uri = vscode.Uri.parse(paper.source);
  const { text, doc } = await readText(uri);
  const lines = text.split('\n');
  for (let line = paper.range.startLine; line < Math.min(lines.length, paper.range.startLine + 3); line++) {
    const m = /@\s*[A-Za-z]+\s*[{(]\s*/.exec(lines[line]);
    const col = m ? m.index + m[0].length : -1;
    if (m && lines[line].startsWith(paper.key, col)) {
      const start = new vscode.Position(line, col);
      return new vscode.Location(doc?.uri ?? uri, new vscode.Range(start, start.translate(0, paper.key.length)));
    }
  }
  const p = new vscode.Position(paper.range.startLine, paper.range.startColumn);
  return new vscode.Location(uri, new vscode.Range(p, p));
}

export function registerNavigation(library: Library, analyzer: DocumentAnalyzer, logger: Logger): vscode.Disposable {
  const paperUri = (key: string) => vscode.Uri.from({ scheme: PAPER_SCHEME, path: `/${key}.md` });
  /** The key as cited and the key the library knows the paper by (they differ for a merged duplicate). */
  const keysOf = (paper: Paper | undefined, key: string) => new Set(paper ? [key, paper.key] : [key]);
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(PAPER_SCHEME, {
      provideTextDocumentContent(uri) {
        const key = decodeURIComponent(uri.path.replace(/^\//, '').replace(/\.md$/, ''));
        const p = library.get(key);
        if (!p) return `No paper with key ${key} in the library.`;
        return `${cardMarkdown(p, { abstractSentences: 100 })}\n\n\`\`\`bibtex\n${toBibtex(p)}\`\`\`\n`;
      },
    }),
    vscode.languages.registerDefinitionProvider(DOCUMENT_SELECTOR, {
      async provideDefinition(doc, position) {
        try {
          const cite = analyzer.citationAt(doc, position);
          const paper = cite && library.get(cite.key);
          if (!paper) return undefined;
          if (paper.source === BUILTIN_SOURCE) return new vscode.Location(paperUri(paper.key), new vscode.Position(0, 0));
          return await bibKeyRange(paper);
        } catch (e) {
          logger.error('go to definition', e);
          return undefined;
        }
      },
    }),
    vscode.languages.registerReferenceProvider(DOCUMENT_SELECTOR, {
      async provideReferences(doc, position) {
        try {
          const cite = analyzer.citationAt(doc, position);
          if (!cite) return undefined;
          return await findReferences(keysOf(library.get(cite.key), cite.key));
        } catch (e) {
          logger.error('find references', e);
          return undefined;
        }
      },
    }),
    vscode.languages.registerRenameProvider(DOCUMENT_SELECTOR, {
      prepareRename(doc, position) {
        const cite = analyzer.citationAt(doc, position);
        if (!cite) throw new Error('Place the cursor on a citation key to rename it.');
        const paper = library.get(cite.key);
        if (paper && paper.source === BUILTIN_SOURCE) throw new Error(`${cite.key} is a built-in paper's key; add it to your bibliography to rename it.`);
        return { range: new vscode.Range(doc.positionAt(cite.start), doc.positionAt(cite.end)), placeholder: cite.key };
      },
      async provideRenameEdits(doc, position, newName) {
        const cite = analyzer.citationAt(doc, position);
        if (!cite) return undefined;
        if (!/^[^\s,{}%#~"'()=\\]+$/.test(newName)) throw new Error(`"${newName}" is not a valid citation key.`);
        const edit = new vscode.WorkspaceEdit();
        for (const loc of await findReferences(new Set([cite.key]))) edit.replace(loc.uri, loc.range, newName);
        const paper = library.get(cite.key);
        const def = paper && paper.key === cite.key ? await bibKeyRange(paper) : undefined;
        if (def) edit.replace(def.uri, def.range, newName);
        return edit;
      },
    }),
  );
}
