/**
 * Starts the Citelens language server (`dist/server.js`, a Node process of its own) and keeps it
 * running: if it crashes, it is restarted, the writer is told once, and the open documents are sent to
 * it again, so nothing typed is lost. The server's own commands (add entries, cite here) run through
 * the client's inserter, so the bibliography is saved as with every other cite.
 */
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { InitializationOptions, LibraryChangedNotification, LibraryChangedParams, ServerCommands } from '../protocol/requests';
import { CitationInserter } from './citationInserter';
import { addEntries, citeHere } from './citeCommands';
import { SERVER_SELECTOR } from './documentSelector';

/** The commands a hover card's links may run (the only trusted ones). */
export const CARD_COMMANDS = ['citelens.citeHere', 'citelens.openPaperCard', 'citelens.copyBibtex', 'citelens.citeAtCursor', 'citelens.searchAndCite'];

/** Restarts allowed within {@link RESTART_WINDOW_MS} before the client gives up. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

/** How often the server stopped and was restarted, and how often the writer was told. */
export interface ServerHealth {
  restarts: number;
  messages: number;
}

export interface ClientDeps {
  context: vscode.ExtensionContext;
  /** Counted as the server stops and restarts (the test API reads it). */
  health: ServerHealth;
  outputChannel: vscode.OutputChannel;
  /** The inserter the server's commands run through (set once the features are built). */
  inserter: () => CitationInserter | undefined;
  onLibraryChanged: (p: LibraryChangedParams) => void;
}

export function createLanguageClient(deps: ClientDeps): LanguageClient {
  const module = vscode.Uri.joinPath(deps.context.extensionUri, 'dist', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const restarts: number[] = [];
  let told = false;
  const initializationOptions: InitializationOptions = {
    storagePath: deps.context.globalStorageUri.fsPath,
    hoverActions: true,
    trusted: vscode.workspace.isTrusted,
    testMode: deps.context.extensionMode === vscode.ExtensionMode.Test,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SERVER_SELECTOR,
    outputChannel: deps.outputChannel,
    initializationOptions,
    synchronize: { configurationSection: 'citelens' },
    markdown: { isTrusted: { enabledCommands: CARD_COMMANDS }, supportHtml: false },
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        const now = Date.now();
        while (restarts.length && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
        restarts.push(now);
        if (restarts.length > MAX_RESTARTS) {
          return { action: CloseAction.DoNotRestart, message: `The Citelens language server stopped ${MAX_RESTARTS} times in 3 minutes and was not started again. Run "Developer: Reload Window" to try again; "Citelens: Show Output" says why.` };
        }
        deps.health.restarts++;
        if (!told) {
          told = true;
          deps.health.messages++;
          void vscode.window.showInformationMessage('The Citelens language server stopped and was restarted. Nothing you typed is lost.');
        }
        return { action: CloseAction.Restart, handled: true };
      },
    },
    middleware: {
      // the server's own commands run in the editor here, so the bibliography is saved like after any cite
      executeCommand: async (command, args, next) => {
        const inserter = deps.inserter();
        if (inserter && command === ServerCommands.addEntries) return addEntries(inserter, args[0], args[1]);
        if (inserter && command === ServerCommands.citeHere) return citeHere(inserter, args[0], args[1], args[2]);
        return next(command, args);
      },
    },
  };
  const client = new LanguageClient('citelens', 'Citelens', serverOptions, clientOptions);
  client.onNotification(LibraryChangedNotification, (p: LibraryChangedParams) => deps.onLibraryChanged(p));
  return client;
}
