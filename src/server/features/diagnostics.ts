/**
 * Diagnostics on documents: cited keys no library knows, keys the project's bibliography lacks or
 * holds under another key (warnings), and papers mentioned in prose but never cited (information).
 * Each carries what its quick fix needs in `data`.
 */
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerContext } from '../context';
import { nameOf } from '../documents';

export const DiagnosticCodes = {
  unknownKey: 'unknown-key',
  notInBibliography: 'not-in-bibliography',
  otherKey: 'known-under-other-key',
  notCited: 'mentioned-not-cited',
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
  if (settings.unknownKeys && library.size > 0) {
    const bibs = await ctx.projects.bibliographiesOf(doc.uri);
    const bibSet = new Set(bibs);
    const bibNames = bibs.map(nameOf).join(', ');
    for (const c of citations) {
      const known = library.get(c.key);
      if (!known) {
        // while libraries load, an unknown key may be in a file not read yet: say nothing until they are
        if (ctx.loader.loading) continue;
        out.push(make(c.start, c.end, `Unknown citation key '${c.key}': no library has it.`, DiagnosticSeverity.Warning, DiagnosticCodes.unknownKey, { key: c.key }));
        continue;
      }
      if (!bibSet.size) continue;
      if (bibSet.has(known.source) && known.key !== c.key) {
        // the bibliography has this paper under another key: BibTeX will not find this one
        out.push(make(c.start, c.end, `'${c.key}' is in ${nameOf(known.source)} as '${known.key}'.`, DiagnosticSeverity.Warning, DiagnosticCodes.otherKey, { key: c.key, paperKey: known.key }));
      } else if (!bibSet.has(known.source)) {
        const where = known.source === 'builtin' ? 'is in the built-in corpus but not in' : 'is not in';
        out.push(make(c.start, c.end, `'${c.key}' ${where} ${bibNames} yet.`, DiagnosticSeverity.Warning, DiagnosticCodes.notInBibliography, { key: c.key, paperKey: known.key }));
      }
    }
  }
  if (settings.mentionedNotCited) {
    const cited = new Set(citations.map((c) => library.get(c.key)?.key ?? c.key));
    const reported = new Set<string>();
    const text = doc.getText();
    for (const m of mentions) {
      if (m.kind === 'key' || cited.has(m.key) || reported.has(m.key)) continue;
      const paper = library.get(m.key);
      if (!paper) continue;
      reported.add(m.key);
      const name = text.slice(m.start, m.end).replace(/\s+/g, ' ');
      out.push(make(m.start, m.end, `‘${name.length > 60 ? name.slice(0, 57) + '…' : name}’ is mentioned but not cited.`, DiagnosticSeverity.Information, DiagnosticCodes.notCited, { key: paper.key, paperKey: paper.key }));
    }
  }
  return out;
}
