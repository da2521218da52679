/**
 * Hover cards for citation keys, paper titles in prose and system names: the paper, where it is
 * cited, and (in editors that run command links) Cite here · Open card · Copy BibTeX.
 */
import { Hover, HoverParams, MarkupKind } from 'vscode-languageserver';
import { CardAction } from '../../core/render/cardMarkdown';
import { ServerContext } from '../context';
import { cardContent } from './paperViews';
import { TopicsService } from './topics';

export async function provideHover(ctx: ServerContext, topics: TopicsService, params: HoverParams): Promise<Hover | null> {
  const doc = ctx.documents.get(params.textDocument.uri);
  if (!doc) return null;
  const offset = doc.offsetAt(params.position);
  const analysis = ctx.analyzer.analyze(doc);
  const library = ctx.library;
  const citedHere = (key: string) => {
    const paper = library.get(key);
    return analysis.citations.filter((c) => c.key === key || (paper && library.get(c.key) === paper)).length;
  };
  const cite = analysis.citations.find((c) => c.start <= offset && offset <= c.end);
  const actionsFor = (key: string, citeAt?: number): CardAction[] | undefined => {
    if (!ctx.options.hoverActions) return undefined;
    const actions: CardAction[] = [];
    if (citeAt !== undefined) actions.push({ title: 'Cite here', command: 'citelens.citeHere', args: [doc.uri, citeAt, key] });
    actions.push({ title: 'Open card', command: 'citelens.openPaperCard', args: [key] }, { title: 'Copy BibTeX', command: 'citelens.copyBibtex', args: [key] });
    return actions;
  };
  if (cite) {
    const range = { start: doc.positionAt(cite.start), end: doc.positionAt(cite.end) };
    const paper = library.get(cite.key);
    if (!paper) {
      const search = ctx.options.hoverActions ? ` [Search the library](command:citelens.searchAndCite?${encodeURIComponent(JSON.stringify([cite.key]))})` : '';
      const loading = ctx.loader.loading ? ' (libraries are still loading)' : '';
      return { contents: { kind: MarkupKind.Markdown, value: `Citelens: no library has the key \`${cite.key.replace(/`/g, "'")}\`${loading}.${search}` }, range };
    }
    return { contents: cardContent(paper, { citedHere: citedHere(cite.key), topics: topics.topicsOfNow(paper), actions: actionsFor(paper.key) }), range };
  }
  const mention = analysis.mentions.find((m) => m.kind !== 'key' && m.start <= offset && offset <= m.end);
  if (!mention) return null;
  const paper = library.get(mention.key);
  if (!paper) return null;
  const contents = cardContent(paper, { citedHere: citedHere(paper.key), topics: topics.topicsOfNow(paper), actions: actionsFor(paper.key, mention.end) });
  if (mention.others?.length) {
    // entries sharing the title or name (a preprint and its proceedings version): the writer may mean another
    const keys = mention.others.slice(0, 5).map((k) => '`' + k.replace(/`/g, "'") + '`').join(', ');
    contents.value += `\n\n---\n\nAlso in the library under this ${mention.kind === 'title' ? 'title' : 'name'}: ${keys}${mention.others.length > 5 ? ', …' : ''}`;
  }
  return {
    contents,
    range: { start: doc.positionAt(mention.start), end: doc.positionAt(mention.end) },
  };
}
