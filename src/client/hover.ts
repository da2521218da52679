/**
 * Hover cards for citation keys, paper titles in prose, and system names: the card shows the
 * paper, where it is already cited, and actions (Cite here, Open card, Copy BibTeX).
 */
import * as vscode from 'vscode';
import { CardAction } from '../core/render/cardMarkdown';
import { Library } from '../core/library/library';
import { Paper } from '../core/model/paper';
import { DOCUMENT_SELECTOR, DocumentAnalyzer } from './documentAnalysis';
import { Logger } from './logger';
import { renderPaperCard } from './paperCardMarkdown';

export type TopicsOf = (paper: Paper) => string[];

export function registerHover(library: Library, analyzer: DocumentAnalyzer, topicsOf: TopicsOf, logger: Logger): vscode.Disposable {
  return vscode.languages.registerHoverProvider(DOCUMENT_SELECTOR, {
    provideHover(doc, position) {
      try {
        const offset = doc.offsetAt(position);
        const analysis = analyzer.analyze(doc);
        const cite = analysis.citations.find((c) => c.start <= offset && offset <= c.end);
        if (cite) {
          const paper = library.get(cite.key);
          const range = new vscode.Range(doc.positionAt(cite.start), doc.positionAt(cite.end));
          if (!paper) {
            const md = new vscode.MarkdownString(`Citelens: no library has the key \`${cite.key.replace(/`/g, "'")}\`. [Search the library](command:citelens.searchAndCite?${encodeURIComponent(JSON.stringify([cite.key]))})`);
            md.isTrusted = { enabledCommands: ['citelens.searchAndCite'] };
            return new vscode.Hover(md, range);
          }
          return new vscode.Hover(renderPaperCard(paper, library, { citedHere: analyzer.citedCount(doc, paper.key), topics: topicsOf(paper) }), range);
        }
        const mention = analysis.mentions.find((m) => m.kind !== 'key' && m.start <= offset && offset <= m.end);
        if (!mention) return undefined;
        const paper = library.get(mention.key);
        if (!paper) return undefined;
        const actions: CardAction[] = [
          { title: 'Cite here', command: 'citelens.citeHere', args: [doc.uri.toString(), mention.end, paper.key] },
          { title: 'Open card', command: 'citelens.openPaperCard', args: [paper.key] },
          { title: 'Copy BibTeX', command: 'citelens.copyBibtex', args: [paper.key] },
        ];
        return new vscode.Hover(
          renderPaperCard(paper, library, { citedHere: analyzer.citedCount(doc, paper.key), topics: topicsOf(paper), actions }),
          new vscode.Range(doc.positionAt(mention.start), doc.positionAt(mention.end)),
        );
      } catch (e) {
        logger.error('hover', e);
        return undefined;
      }
    },
  });
}
