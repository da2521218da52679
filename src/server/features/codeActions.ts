/**
 * Quick fixes for Citelens's diagnostics: replace an unknown key with a near one, search the library
 * for it, use the key the bibliography has, add the missing entry to the bibliography, cite a
 * mentioned paper right after its mention.
 */
import { CodeAction, CodeActionKind, CodeActionParams, Diagnostic } from 'vscode-languageserver';
import { Library } from '../../core/library/library';
import { ServerCommands } from '../../protocol/requests';
import { ServerContext } from '../context';
import { DiagnosticCodes, DiagnosticData } from './diagnostics';

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
  const found: { k: string; d: number }[] = [];
  for (const p of library.papers()) {
    const d = p.key.toLowerCase() === lower ? 0 : distance(lower, p.key.toLowerCase(), max);
    if (d <= max) found.push({ k: p.key, d });
  }
  return found.sort((a, b) => a.d - b.d).slice(0, limit).map((x) => x.k);
}

function dataOf(d: Diagnostic): DiagnosticData | undefined {
  const data = d.data as DiagnosticData | undefined;
  return data && typeof data.key === 'string' ? data : undefined;
}

export function provideCodeActions(ctx: ServerContext, params: CodeActionParams): CodeAction[] {
  const doc = ctx.documents.get(params.textDocument.uri);
  if (!doc) return [];
  const uri = doc.uri;
  const actions: CodeAction[] = [];
  for (const d of params.context.diagnostics) {
    if (d.source !== 'Citelens') continue;
    const data = dataOf(d);
    const key = data?.key ?? doc.getText(d.range);
    switch (d.code) {
      case DiagnosticCodes.unknownKey:
        for (const near of nearKeys(ctx.library, key)) {
          actions.push({ title: `Replace with ${near}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [uri]: [{ range: d.range, newText: near }] } } });
        }
        if (ctx.options.hoverActions) {
          actions.push({ title: `Search the library for '${key}'`, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title: 'Search', command: 'citelens.searchAndCite', arguments: [key] } });
        }
        break;
      case DiagnosticCodes.otherKey: {
        const paper = ctx.library.get(key);
        if (paper) actions.push({ title: `Replace with ${paper.key}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [uri]: [{ range: d.range, newText: paper.key }] } } });
        break;
      }
      case DiagnosticCodes.notInBibliography:
        if (ctx.library.get(key)) {
          actions.push({ title: 'Add entry to bibliography', kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, command: { title: 'Add entry to bibliography', command: ServerCommands.addEntries, arguments: [uri, [key]] } });
        }
        break;
      case DiagnosticCodes.notCited: {
        const paperKey = data?.paperKey ?? key;
        if (!ctx.library.get(paperKey)) break;
        actions.push({ title: `Cite here (${paperKey})`, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title: 'Cite here', command: ServerCommands.citeHere, arguments: [uri, doc.offsetAt(d.range.end), paperKey] } });
        break;
      }
    }
  }
  return actions;
}
