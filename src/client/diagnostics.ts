/**
 * Diagnostics on documents: cited keys no library knows (Warning), and papers mentioned in prose
 * but never cited (Information). Quick fixes: search the library, replace with a near key, cite here.
 */
import * as vscode from 'vscode';
import { Library } from '../core/library/library';
import { Config } from './config';
import { DOCUMENT_SELECTOR, DocumentAnalyzer } from './documentAnalysis';
import { Logger } from './logger';

const UNKNOWN_KEY = 'unknown-key';
const NOT_CITED = 'mentioned-not-cited';
const NOT_IN_BIBLIOGRAPHY = 'not-in-bibliography';
const OTHER_KEY = 'known-under-other-key';

/** Edit distance with an early exit above `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** Library keys close to `key` (case-insensitive equal, or a couple of edits away), best first. */
export function nearKeys(library: Library, key: string, limit = 3): string[] {
  const lower = key.toLowerCase();
  const max = Math.max(1, Math.floor(key.length / 8));
  return library
    .papers()
    .map((p) => ({ k: p.key, d: p.key.toLowerCase() === lower ? 0 : distance(lower, p.key.toLowerCase(), max) }))
    .filter((x) => x.d <= max)
    .sort((a, b) => a.d - b.d)
    .slice(0, limit)
    .map((x) => x.k);
}

/** The bibliography files (source ids) a document names. */
export type BibliographiesOf = (doc: vscode.TextDocument) => string[];

export function registerDiagnostics(
  library: Library,
  analyzer: DocumentAnalyzer,
  config: Config,
  logger: Logger,
  bibliographiesOf: BibliographiesOf,
  addEntries: (doc: vscode.TextDocument, keys: string[]) => Promise<unknown>,
): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('citelens');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const applies = (doc: vscode.TextDocument) => vscode.languages.match(DOCUMENT_SELECTOR, doc) > 0 && doc.languageId !== 'plaintext' && doc.uri.scheme !== 'output';

  const update = (doc: vscode.TextDocument) => {
    if (!applies(doc)) return;
    try {
      const { citations, mentions } = analyzer.analyze(doc);
      const out: vscode.Diagnostic[] = [];
      if (config.unknownKeyDiagnostics && library.size > 0) {
        const bibs = new Set(bibliographiesOf(doc));
        for (const c of citations) {
          const known = library.get(c.key);
          if (known && bibs.size) {
            const range = new vscode.Range(doc.positionAt(c.start), doc.positionAt(c.end));
            const name = (s: string) => vscode.Uri.parse(s).path.split('/').pop();
            if (bibs.has(known.source) && known.key !== c.key) {
              // the document's bibliography has this paper under another key: BibTeX will not find this one
              const d = new vscode.Diagnostic(range, `'${c.key}' is in ${name(known.source)} as '${known.key}'.`, vscode.DiagnosticSeverity.Warning);
              d.source = 'Citelens';
              d.code = OTHER_KEY;
              out.push(d);
            } else if (!bibs.has(known.source)) {
              const d = new vscode.Diagnostic(range, `'${c.key}' is not in ${[...bibs].map(name).join(', ')} yet.`, vscode.DiagnosticSeverity.Warning);
              d.source = 'Citelens';
              d.code = NOT_IN_BIBLIOGRAPHY;
              out.push(d);
            }
          }
          if (known) continue;
          const d = new vscode.Diagnostic(new vscode.Range(doc.positionAt(c.start), doc.positionAt(c.end)), `Unknown citation key '${c.key}': no library has it.`, vscode.DiagnosticSeverity.Warning);
          d.source = 'Citelens';
          d.code = UNKNOWN_KEY;
          out.push(d);
        }
      }
      if (config.mentionsDiagnostics) {
        const cited = new Set(citations.map((c) => library.get(c.key)?.key ?? c.key));
        const reported = new Set<string>();
        for (const m of mentions) {
          if (m.kind === 'key' || cited.has(m.key) || reported.has(m.key)) continue;
          const paper = library.get(m.key);
          if (!paper) continue;
          reported.add(m.key);
          const name = doc.getText(new vscode.Range(doc.positionAt(m.start), doc.positionAt(m.end))).replace(/\s+/g, ' ');
          const d = new vscode.Diagnostic(new vscode.Range(doc.positionAt(m.start), doc.positionAt(m.end)), `‘${name.length > 60 ? name.slice(0, 57) + '…' : name}’ is mentioned but not cited.`, vscode.DiagnosticSeverity.Information);
          d.source = 'Citelens';
          d.code = NOT_CITED;
          (d as vscode.Diagnostic & { citelensKey?: string }).citelensKey = paper.key;
          out.push(d);
        }
      }
      collection.set(doc.uri, out);
    } catch (e) {
      logger.error('diagnostics', e);
    }
  };
  const schedule = (doc: vscode.TextDocument, delay = 400) => {
    const id = doc.uri.toString();
    clearTimeout(timers.get(id));
    timers.set(id, setTimeout(() => {
      timers.delete(id);
      update(doc);
    }, delay));
  };
  const all = () => vscode.workspace.textDocuments.forEach((d) => schedule(d, 50));
  all();
  const off = library.onDidChange(all);

  return vscode.Disposable.from(
    collection,
    { dispose: off },
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
    vscode.workspace.onDidOpenTextDocument((d) => schedule(d, 50)),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      collection.delete(d.uri);
      analyzer.forget(d);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (Config.affects(e, 'diagnostics')) all();
    }),
    vscode.commands.registerCommand('_citelens.addEntries', async (uri: string, keys: string[]) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      if (doc) await addEntries(doc, keys);
    }),
    vscode.languages.registerCodeActionsProvider(
      DOCUMENT_SELECTOR,
      {
        provideCodeActions(doc, _range, context) {
          const actions: vscode.CodeAction[] = [];
          for (const d of context.diagnostics) {
            if (d.source !== 'Citelens') continue;
            if (d.code === UNKNOWN_KEY) {
              const key = doc.getText(d.range);
              for (const near of nearKeys(library, key)) {
                const replace = new vscode.CodeAction(`Replace with ${near}`, vscode.CodeActionKind.QuickFix);
                replace.edit = new vscode.WorkspaceEdit();
                replace.edit.replace(doc.uri, d.range, near);
                replace.diagnostics = [d];
                replace.isPreferred = true;
                actions.push(replace);
              }
              const search = new vscode.CodeAction(`Search the library for '${key}'`, vscode.CodeActionKind.QuickFix);
              search.command = { command: 'citelens.searchAndCite', title: 'Search', arguments: [key] };
              search.diagnostics = [d];
              actions.push(search);
            } else if (d.code === OTHER_KEY || d.code === NOT_IN_BIBLIOGRAPHY) {
              const key = doc.getText(d.range);
              const paper = library.get(key);
              if (!paper) continue;
              const action =
                d.code === OTHER_KEY ? new vscode.CodeAction(`Replace with ${paper.key}`, vscode.CodeActionKind.QuickFix) : new vscode.CodeAction('Add entry to bibliography', vscode.CodeActionKind.QuickFix);
              if (d.code === OTHER_KEY) {
                action.edit = new vscode.WorkspaceEdit();
                action.edit.replace(doc.uri, d.range, paper.key);
              } else action.command = { command: '_citelens.addEntries', title: 'Add entry to bibliography', arguments: [doc.uri.toString(), [key]] };
              action.diagnostics = [d];
              action.isPreferred = true;
              actions.push(action);
            } else if (d.code === NOT_CITED) {
              const key = (d as vscode.Diagnostic & { citelensKey?: string }).citelensKey ?? analyzer.analyze(doc).mentions.find((m) => doc.offsetAt(d.range.start) === m.start)?.key;
              if (!key) continue;
              const cite = new vscode.CodeAction(`Cite here (${key})`, vscode.CodeActionKind.QuickFix);
              cite.command = { command: 'citelens.citeHere', title: 'Cite here', arguments: [doc.uri.toString(), doc.offsetAt(d.range.end), key] };
              cite.diagnostics = [d];
              actions.push(cite);
            }
          }
          return actions;
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
  );
}
