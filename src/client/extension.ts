/**
 * Citelens in VS Code: starts the language server (which reads, parses and indexes the libraries and
 * answers hover, completion, navigation and diagnostics), then registers what only VS Code shows: the
 * Topics, Cited and Related views, Search and Cite, the paper card, the status bar, decorations, drag
 * and drop. Constructs, pushes, delegates; nothing else.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CitationInserter } from './citationInserter';
import { registerCiteCommands } from './citeCommands';
import { CitedProvider, registerCitedView } from './citedView';
import { Config } from './config';
import { PaperDragController, PaperDropProvider, registerPaperDrop } from './dragAndDrop';
import { createLanguageClient, ServerHealth } from './languageClient';
import { registerLibraryCommands } from './libraryCommands';
import { OutputLogger } from './logger';
import { registerMentionDecorations } from './mentionDecorations';
import { registerPaperPages } from './navigation';
import { PaperCardPanel, registerPaperCard } from './paperCard';
import { activeRelated, registerRelated } from './related';
import { activeSearch, registerSearchAndCite } from './searchAndCite';
import { CitelensServer } from './serverApi';
import { registerStatusBar } from './statusBar';
import { registerTopicsView } from './topicsCommands';
import { TopicsProvider } from './topicsView';

/** What `activate` returns when the extension runs for its own tests (nothing otherwise). */
export interface CitelensTestApi {
  server: CitelensServer;
  client: LanguageClient;
  inserter: CitationInserter;
  topics: TopicsProvider;
  cited: CitedProvider;
  card: PaperCardPanel;
  dragAndDrop: PaperDragController;
  dropProvider: PaperDropProvider;
  /** Settles when the server runs and its first round of libraries is loaded. */
  ready: Promise<void>;
  /** Milliseconds from the bundle's first line to the end of `activate`. */
  timings: { activateMs: number; readyMs?: number };
  activeSearch: typeof activeSearch;
  activeRelated: typeof activeRelated;
  /** Server restarts after a crash, and the messages shown about them. */
  health: ServerHealth;
}

export function activate(context: vscode.ExtensionContext): CitelensTestApi | undefined {
  // set by the bundle's first line (esbuild banner): activation is timed from module load
  const started = (globalThis as { __citelensLoadStart?: number }).__citelensLoadStart ?? Date.now();
  const push = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  const logger = push(new OutputLogger());
  const config = new Config();
  // the client needs the inserter and the server's view, which need the client: tied up once built
  const late: { server?: CitelensServer; inserter?: CitationInserter } = {};
  const health: ServerHealth = { restarts: 0, messages: 0 };
  const client = createLanguageClient({ context, health, outputChannel: logger.channel, inserter: () => late.inserter, onLibraryChanged: (p) => late.server?.libraryChanged(p) });
  push({ dispose: () => void client.stop().catch(() => undefined) });
  const starting = client.start().catch((e: unknown) => {
    logger.error('starting the Citelens language server', e);
    void vscode.window.showErrorMessage(`Citelens could not start its language server: ${e instanceof Error ? e.message : String(e)}. "Citelens: Show Output" has the details.`);
    throw e;
  });
  const server = (late.server = push(new CitelensServer(() => starting.then(() => client), logger)));
  const inserter = (late.inserter = push(new CitationInserter(server, logger)));
  const topics = push(new TopicsProvider(server, config));
  const cited = new CitedProvider(server);
  const card = new PaperCardPanel(context.extensionUri, server, inserter, logger, context.workspaceState);
  const dragAndDrop = new PaperDragController();
  const dropProvider = new PaperDropProvider(server, inserter);

  push(registerStatusBar(server));
  push(registerLibraryCommands(server, logger));
  push(registerTopicsView(topics, config, server, dragAndDrop));
  push(registerSearchAndCite(server, inserter, logger));
  push(registerCiteCommands(server, inserter));
  push(registerPaperPages(server));
  push(registerMentionDecorations(server, config));
  push(registerPaperDrop(dropProvider));
  push(registerPaperCard(card, server));
  push(registerCitedView(cited));
  push(registerRelated(server, inserter, config, logger));
  push(server.onDidChangeLibrary((p) => void vscode.commands.executeCommand('setContext', 'citelens.onlyBuiltin', p.onlyBuiltin)));

  const timings: CitelensTestApi['timings'] = { activateMs: Date.now() - started };
  logger.info(`Citelens ${context.extension.packageJSON.version} activated in ${timings.activateMs} ms from module load (VS Code ${vscode.version})`);
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  const ready = starting.then(async () => {
    // the status answers while files load: ready is when none is left to read
    for (let status = await server.libraryStatus(); status && status.loading > 0; status = await server.libraryStatus()) await new Promise((r) => setTimeout(r, 50));
    timings.readyMs = Date.now() - started;
  });
  return { server, client, inserter, topics, cited, card, dragAndDrop, dropProvider, ready, timings, activeSearch, activeRelated, health };
}

export function deactivate(): void {
  /* everything is disposed through context.subscriptions; the client stops the server */
}
