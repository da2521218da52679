/**
 * Citelens: construct the services, register the features, push every disposable. Nothing else.
 * Data flow: sources (LibraryService) → Library (merge) → indexes → features.
 */
import * as vscode from 'vscode';
import { loadBuiltinTopics } from './builtinTopics';
import { CitationInserter } from './citationInserter';
import { registerCiteCommands } from './citeCommands';
import { activeCitedProvider, registerCitedView } from './citedView';
import { registerCompletion } from './completion';
import { Config } from './config';
import { registerDiagnostics } from './diagnostics';
import { DocumentAnalyzer } from './documentAnalysis';
import { PaperDragController, PaperDropProvider, registerPaperDrop } from './dragAndDrop';
import { registerHover } from './hover';
import { registerMentionDecorations } from './mentionDecorations';
import { registerLibraryCommands } from './libraryCommands';
import { LibraryService } from './libraryService';
import { OutputLogger } from './logger';
import { registerNavigation } from './navigation';
import { activePaperCard, registerPaperCard } from './paperCard';
import { renderPaperCard } from './paperCardMarkdown';
import { RelatedService, registerRelated } from './related';
import { acceptItems, activeQuickPick, registerSearchAndCite, typeQuery } from './searchAndCite';
import { registerTopicsView } from './topicsCommands';
import { TopicsProvider } from './topicsView';
import { Paper } from '../core/model/paper';

/** What `activate` returns: the services, for other extensions and the extension-host tests. */
export interface CitelensApi {
  libraries: LibraryService;
  inserter: CitationInserter;
  topics: TopicsProvider;
  analyzer: DocumentAnalyzer;
  related: RelatedService;
  dragAndDrop: PaperDragController;
  /** Milliseconds `activate` took, and from activation until the library was ready. */
  timings: { activateMs: number; readyMs?: number };
  testing: { activeQuickPick: typeof activeQuickPick; typeQuery: typeof typeQuery; acceptItems: typeof acceptItems; activePaperCard: typeof activePaperCard; citedProvider: typeof activeCitedProvider; dropProvider: PaperDropProvider };
}

export function activate(context: vscode.ExtensionContext): CitelensApi {
  const started = Date.now();
  const push = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  const logger = push(new OutputLogger());
  const config = new Config();
  const libraries = push(new LibraryService(context.extensionUri, config, logger, vscode.Uri.joinPath(context.globalStorageUri, 'libraryCache')));
  const library = libraries.library;
  const inserter = new CitationInserter(libraries, config, logger);
  const topics: TopicsProvider = push(new TopicsProvider(library, () => loadBuiltinTopics(context.extensionUri), config, (p: Paper) => renderPaperCard(p, library, { topics: topics.topicsOf(p) })));
  const analyzer = push(new DocumentAnalyzer(library));
  const related = push(new RelatedService(library));
  const dragAndDrop = new PaperDragController();
  const recent = (): Paper[] => inserter.recent.map((k) => library.get(k)).filter((p): p is Paper => !!p);
  const emptyQuery = (editor: vscode.TextEditor | undefined): Paper[] => {
    const near = editor ? related.suggestFor(editor.document, editor.selection, 8).suggestions.map((s) => library.get(s.key)).filter((p): p is Paper => !!p) : [];
    return [...new Set([...near, ...recent()])];
  };

  push(registerLibraryCommands(libraries, logger));
  push(registerTopicsView(topics, config, dragAndDrop));
  push(registerSearchAndCite(libraries, inserter, emptyQuery, logger));
  push(registerCompletion(library, inserter, recent, logger));
  push(registerHover(library, analyzer, (p) => topics.topicsOf(p), logger));
  push(registerNavigation(library, analyzer, logger));
  push(registerMentionDecorations(library, analyzer, config));
  push(
    registerDiagnostics(
      library,
      analyzer,
      config,
      logger,
      (doc) => libraries.bibliographyUris(doc).map((u) => u.toString()),
      (doc, keys) => inserter.addToBibliography(doc, keys.map((k) => library.get(k)).filter((p): p is Paper => !!p)),
    ),
  );
  push(registerCiteCommands(library, inserter, analyzer));
  const dropProvider = new PaperDropProvider(library, inserter, config);
  push(registerPaperDrop(dropProvider));
  push(registerPaperCard({ extensionUri: context.extensionUri, libraries, inserter, logger, relatedEngine: () => related.engine(), topicsOf: async (p) => (await topics.topics(), topics.topicsOf(p)) }));
  push(registerCitedView(libraries));
  push(registerRelated(library, libraries.ready, related, inserter, config, logger));
  const offChange = library.onDidChange(() => {
    topics.refresh();
    void vscode.commands.executeCommand('setContext', 'citelens.onlyBuiltin', library.sourceIds().every((s) => s === 'builtin'));
  });
  push({ dispose: offChange });

  const timings: CitelensApi['timings'] = { activateMs: Date.now() - started };
  logger.info(`Citelens ${context.extension.packageJSON.version} activated in ${timings.activateMs} ms (VS Code ${vscode.version})`);
  void libraries.ready.then(() => {
    timings.readyMs = Date.now() - started;
    logger.info(`library ready ${timings.readyMs} ms after activation: ${library.size} papers (built-in corpus loaded with its prebuilt index in ${libraries.builtinLoad?.ms ?? '-'} ms)`);
  });
  return {
    timings, libraries, inserter, topics, analyzer, related, dragAndDrop, testing: { activeQuickPick, typeQuery, acceptItems, activePaperCard, citedProvider: activeCitedProvider, dropProvider } };
}

export function deactivate(): void {
  /* everything is disposed through context.subscriptions */
}
