/**
 * Citelens: construct the services, register the features, push every disposable. Nothing else.
 * Data flow: sources (LibraryService) → Library → indexes → features.
 */
import * as vscode from 'vscode';
import { CitationInserter } from './features/citationInserter';
import { Config } from './features/config';
import { LibraryService } from './features/libraryService';
import { OutputLogger } from './features/logger';
import { activeQuickPick, registerSearchAndCite } from './features/searchAndCite';
import { registerTopicsView } from './features/topicsCommands';
import { TopicsProvider } from './features/topicsView';
import { registerLibraryCommands } from './features/libraryCommands';
import { loadBuiltinTopics } from './features/builtinTopics';
import { renderPaperCard } from './features/paperCardMarkdown';

/** What `activate` returns: the services, for other extensions and the extension-host tests. */
export interface CitelensApi {
  libraries: LibraryService;
  inserter: CitationInserter;
  topics: TopicsProvider;
  testing: { activeQuickPick: typeof activeQuickPick };
}

export function activate(context: vscode.ExtensionContext): CitelensApi {
  const started = Date.now();
  const logger = new OutputLogger();
  context.subscriptions.push(logger);
  const config = new Config();
  const libraries = new LibraryService(context.extensionUri, config, logger);
  context.subscriptions.push(libraries);
  const inserter = new CitationInserter(libraries, config, logger);
  const topics = new TopicsProvider(libraries.library, () => loadBuiltinTopics(context.extensionUri), config, (p) => renderPaperCard(p, libraries.library));
  context.subscriptions.push(topics);

  context.subscriptions.push(
    registerLibraryCommands(libraries, logger),
    registerTopicsView(topics, config),
    registerSearchAndCite(libraries, inserter, () => inserter.recent.map((k) => libraries.library.get(k)).filter((p) => !!p) as never, logger),
  );
  const offChange = libraries.library.onDidChange(() => topics.refresh());
  context.subscriptions.push({ dispose: offChange });

  logger.info(`Citelens ${context.extension.packageJSON.version} activated in ${Date.now() - started} ms (VS Code ${vscode.version})`);
  void libraries.ready.then(() => logger.info(`library ready ${Date.now() - started} ms after activation: ${libraries.library.size} papers`));
  return { libraries, inserter, topics, testing: { activeQuickPick } };
}

export function deactivate(): void {
  /* everything is disposed through context.subscriptions */
}
