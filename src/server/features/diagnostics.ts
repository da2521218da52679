/**
 * Diagnostics on documents: what is wrong in how the document's project is put together, cited
 * keys no library knows, keys the project's bibliographies lack or hold under another key (warnings,
 * judged as `citelens check` judges them), and papers mentioned in prose but cited nowhere in the
 * project (information).
 * Each carries what its quick fix needs in `data`.
 */
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerContext } from '../context';
import { judgeCitation, LoadedBibliography, verdictMessage } from '../../core/project/citationCheck';
import { nameOf, pathOf } from '../documents';
import { citedInProject } from '../projectCitations';

export const DiagnosticCodes = {
  unknownKey: 'unknown-key',
  notInBibliography: 'not-in-bibliography',
  otherKey: 'known-under-other-key',
  notCited: 'mentioned-not-cited',
  /** Something wrong in how the project is put together (a missing root or bibliography, a malformed configuration). */
  project: 'project',
} as const;

/** What a Citelens diagnostic carries for its quick fixes. */
export interface DiagnosticData {
  /** The key as written. */
  key: string;
  /** The library's key of the paper, when a library has it. */
  paperKey?: string;
}

/** Languages whose documents get diagnostics (not plain text). */
const CHECKED = new Set(['latex', 'markdown', 'typst']);

export async function computeDiagnostics(ctx: ServerContext, doc: TextDocument, syntaxOf: (doc: TextDocument) => string): Promise<Diagnostic[]> {
  if (!CHECKED.has(syntaxOf(doc))) return [];
  const settings = ctx.settings();
  const library = ctx.library;
  // cited anywhere in the project: the mentions of a title two entries share go to the cited one
  // (hovers use this too), and a paper another chapter cites is not "not cited" here
  const cited = await citedInProject(ctx, doc.uri);
  ctx.analyzer.setProjectCited(doc.uri, cited);
  const { citations, mentions } = ctx.analyzer.analyze(doc);
  const out: Diagnostic[] = [];
  const make = (start: number, end: number, message: string, severity: DiagnosticSeverity, code: string, data: DiagnosticData): Diagnostic => ({
    range: { start: doc.positionAt(start), end: doc.positionAt(end) },
    message,
    severity,
    source: 'Citelens',
    code,
    data,
  });
  const project = await ctx.projects.projectOf(doc.uri);
  const path = pathOf(doc.uri);
  for (const p of project?.problems ?? []) {
    // a problem in this document is shown where it is; one in another file of the project, at the top
    const line = p.file === path && p.line ? p.line - 1 : 0;
    const at = { line, character: 0 };
    out.push({ range: { start: at, end: at }, message: p.message, severity: DiagnosticSeverity.Warning, source: 'Citelens', code: DiagnosticCodes.project });
  }
  if (settings.unknownKeys && library.size > 0) {
    const bibs = await ctx.projects.bibliographiesOf(doc.uri);
    const loaded: LoadedBibliography[] = bibs.map((source) => ({ source, keys: ctx.loader.keysOf(source) ?? new Set<string>() }));
    const unread = bibs.some((b) => !ctx.loader.keysOf(b));
    for (const c of citations) {
      const verdict = judgeCitation(c.key, library, loaded);
      if (verdict.kind === 'ok') continue;
      // while libraries load, an unknown key may be in a file not read yet: say nothing until they are
      if ((verdict.kind === 'unknown' || unread) && ctx.loader.loading) continue;
      const message = verdictMessage(c.key, verdict, bibs.map(nameOf));
      if (verdict.kind === 'unknown') out.push(make(c.start, c.end, message, DiagnosticSeverity.Warning, DiagnosticCodes.unknownKey, { key: c.key }));
      else if (verdict.kind === 'otherKey') out.push(make(c.start, c.end, message, DiagnosticSeverity.Warning, DiagnosticCodes.otherKey, { key: c.key, paperKey: verdict.paper.key }));
      else out.push(make(c.start, c.end, message, DiagnosticSeverity.Warning, DiagnosticCodes.notInBibliography, { key: c.key, paperKey: verdict.paper.key }));
    }
  }
  if (settings.mentionedNotCited) {
    const reported = new Set<string>();
    const text = doc.getText();
    for (const m of mentions) {
      // a sentence that already cites has its citation for the mention (or the writer chose it)
      // the mention names the entry this document cites; another chapter may cite an entry sharing its title
      if (m.kind === 'key' || m.sentenceCites || cited.has(m.key) || m.others?.some((k) => cited.has(k)) || reported.has(m.key)) continue;
      const paper = library.get(m.key);
      if (!paper) continue;
      reported.add(m.key);
      const name = text.slice(m.start, m.end).replace(/\s+/g, ' ');
      out.push(make(m.start, m.end, `‘${name.length > 60 ? name.slice(0, 57) + '…' : name}’ is mentioned but not cited.`, DiagnosticSeverity.Information, DiagnosticCodes.notCited, { key: paper.key, paperKey: paper.key }));
    }
  }
  return out;
}
