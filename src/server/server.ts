/**
 * The Citelens language server: constructs the services, connects every LSP request and Citelens
 * request to its feature, and keeps the library and diagnostics in step with the documents and
 * settings. Any failure inside a handler is logged and answered with an empty result: a request
 * never takes the server down.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  CodeActionKind, Connection, DidChangeConfigurationNotification, InitializeParams, InitializeResult, ResponseError, TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { syntaxForLanguage } from '../core/citations/languages';
import { Paper } from '../core/model/paper';
import * as P from '../protocol/requests';
import { DocumentAnalyzer } from './analysis';
import { ServerContext } from './context';
import { DocumentStore, pathOf } from './documents';
import { planCitation, toWorkspaceEdit } from './features/citePlan';
import { provideCodeActions } from './features/codeActions';
import { COMPLETION_TRIGGERS, provideCompletion, resolveCompletion } from './features/completion';
import { computeDiagnostics } from './features/diagnostics';
import { provideHover } from './features/hover';
import { prepareRename, provideDefinition, provideReferences, provideRename } from './features/navigation';
import { RelatedService } from './features/related';
import * as requests from './features/requests';
import { TopicsService } from './features/topics';
import { CacheStore } from './library/cacheStore';
import { LibraryLoader } from './library/libraryLoader';
import { Logger, lineLogger } from './logger';
import { ProjectService } from './projects';
import { DEFAULT_SETTINGS, Settings, parseSettings } from './settings';

/** Where the bundled assets are, relative to the server's bundle (`dist/server.js`). */
export interface ServerPaths {
  corpusFile: string;
  corpusIndexFile: string;
  topicsFile: string;
  workerScript: string;
}

export function defaultPaths(distDir: string): ServerPaths {
  return {
    corpusFile: join(distDir, '../corpus/papers.json'),
    corpusIndexFile: join(distDir, 'corpusIndex.bin'),
    topicsFile: join(distDir, '../corpus/topics.json'),
    workerScript: join(distDir, 'libraryWorker.js'),
  };
}

const DIAGNOSTIC_DELAY_MS = 400;
const STATUS_DELAY_MS = 200;

/** Starts serving on `connection`. */
export function startServer(connection: Connection, paths: ServerPaths): void {
  const logger: Logger = lineLogger((line) => connection.console.log(line));
  const textDocuments = new TextDocuments(TextDocument);
  const documents = new DocumentStore(textDocuments);
  let settings: Settings = { ...DEFAULT_SETTINGS };
  let folders: string[] = [];
  let options: P.InitializationOptions = {};
  let canConfigure = false;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  let markConfigured: () => void = () => undefined;
  /** Settings read and library files found (their reads begun): what the status can report. */
  const configured = new Promise<void>((r) => (markConfigured = r));

  const projects = new ProjectService(documents, () => folders);
  let loader!: LibraryLoader;
  let ctx!: ServerContext;
  let topics!: TopicsService;
  let related!: RelatedService;

  const guard = <A extends unknown[], R>(name: string, fallback: R, fn: (...a: A) => R | Promise<R>) => async (...a: A): Promise<R> => {
    try {
      return await fn(...a);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      logger.error(name, e);
      return fallback;
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    options = (params.initializationOptions ?? {}) as P.InitializationOptions;
    canConfigure = !!params.capabilities.workspace?.configuration;
    folders = (params.workspaceFolders ?? []).map((f) => pathOf(f.uri)).filter((p): p is string => !!p);
    if (!folders.length && params.rootUri) {
      const root = pathOf(params.rootUri);
      if (root) folders = [root];
    }
    const storage = options.storagePath ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'citelens');
    const publishProblems = (uri: string, problems: readonly { line: number; column: number; message: string; severity: 'error' | 'warning' }[]) =>
      void connection.sendDiagnostics({
        uri,
        diagnostics: problems.map((d) => {
          const pos = { line: Math.max(0, d.line - 1), character: Math.max(0, d.column - 1) };
          return { range: { start: pos, end: pos }, message: d.message, severity: d.severity === 'error' ? 1 : 2, source: 'Citelens' };
        }),
      });
    loader = new LibraryLoader({ ...paths, cache: new CacheStore(join(storage, 'libraryCache'), (m) => logger.info(m)), logger, documents, publishProblems });
    ctx = {
      library: loader.library,
      loader,
      documents,
      analyzer: new DocumentAnalyzer(loader.library),
      projects,
      logger,
      options,
      settings: () => settings,
      folders: () => folders,
      recent: [],
      ready,
    };
    topics = new TopicsService(ctx, paths.topicsFile);
    related = new RelatedService(ctx);
    ctx.analyzer.onDidRebuild = () => scheduleAllDiagnostics(50);
    void loader.loadBuiltinEarly();
    loader.library.onDidChange(() => {
      scheduleAllDiagnostics(DIAGNOSTIC_DELAY_MS);
      scheduleStatus();
    });
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: true },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: Object.values(P.ServerCommands) },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'citelens-language-server' },
    };
  });

  async function fetchSettings(pushed?: unknown): Promise<void> {
    let raw: unknown = pushed;
    if (canConfigure) {
      try {
        raw = await connection.workspace.getConfiguration({ section: 'citelens' });
      } catch (e) {
        logger.error('reading the settings', e);
      }
    }
    settings = parseSettings(raw);
    topics.invalidate();
  }

  async function applyLibrarySettings(onStarted?: () => void): Promise<void> {
    await loader.applySettings(settings, folders, onStarted);
  }

  connection.onInitialized(async () => {
    if (canConfigure) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'citelens' }).catch(() => undefined);
    try {
      connection.workspace.onDidChangeWorkspaceFolders((e) => {
        const removed = new Set(e.removed.map((f) => pathOf(f.uri)));
        folders = [...folders.filter((f) => !removed.has(f)), ...e.added.map((f) => pathOf(f.uri)).filter((p): p is string => !!p)];
        void applyLibrarySettings();
      });
    } catch {
      /* the client does not announce folder changes */
    }
    await fetchSettings((options as { settings?: unknown }).settings);
    // the status, topics and related papers answer as soon as the files are known, while they load
    const libraries = applyLibrarySettings(markConfigured).catch((e) => logger.error('loading the libraries', e));
    const documentsRead = Promise.all(textDocuments.all().map((d) => trackDocument(d)));
    await libraries;
    markConfigured();
    await documentsRead;
    markReady();
    scheduleStatus();
    logger.info(`library ready: ${loader.library.size} papers`);
  });

  connection.onDidChangeConfiguration(async (change) => {
    const pushed = (change.settings as { citelens?: unknown } | undefined)?.citelens;
    await fetchSettings(pushed);
    await applyLibrarySettings().catch((e) => logger.error('loading the libraries', e));
    scheduleAllDiagnostics(50);
    scheduleStatus();
  });

  // ---- documents ------------------------------------------------------------------------------

  const isBibliography = (doc: TextDocument) => doc.languageId === 'bibtex' || /\.(bib|bibtex|biblatex)$/i.test(doc.uri);
  const trackTimers = new Map<string, ReturnType<typeof setTimeout>>();

  /** Each document's last reading of its project's bibliographies: its diagnostics wait for it. */
  const tracked = new Map<string, Promise<void>>();
  function trackDocument(doc: TextDocument): Promise<void> {
    if (syntaxForLanguage(doc.languageId) === 'plain') return Promise.resolve();
    const run = (async () => {
      const bibs = await projects.bibliographiesOf(doc.uri);
      await loader.setDocumentFiles(doc.uri, bibs);
    })();
    tracked.set(doc.uri, run.catch(() => undefined));
    return run;
  }

  const scheduleTrack = (doc: TextDocument, delay: number) => {
    clearTimeout(trackTimers.get(doc.uri));
    trackTimers.set(doc.uri, setTimeout(() => {
      trackTimers.delete(doc.uri);
      const current = textDocuments.get(doc.uri);
      if (!current) return;
      if (isBibliography(current)) {
        if (loader.isUsed(current.uri)) void loader.readFile(current.uri);
      } else void trackDocument(current).catch((e) => logger.error('reading the bibliographies of a document', e));
    }, delay));
  };

  /** Documents whose first content event is their opening, not an edit. */
  const justOpened = new Set<string>();
  textDocuments.onDidOpen((e) => {
    projects.invalidate(true);
    documents.setDirty(e.document.uri, false);
    justOpened.add(e.document.uri);
    if (!loader) return;
    scheduleTrack(e.document, 0);
    scheduleDiagnostics(e.document, 50);
  });
  textDocuments.onDidChangeContent((e) => {
    if (!loader) return;
    // opening a document also fires a content change: only later ones are edits
    if (justOpened.delete(e.document.uri)) return;
    projects.invalidate();
    documents.setDirty(e.document.uri, true);
    scheduleTrack(e.document, 300);
    scheduleDiagnostics(e.document, DIAGNOSTIC_DELAY_MS);
  });
  textDocuments.onDidSave((e) => {
    projects.invalidate(true);
    documents.setDirty(e.document.uri, false);
    if (loader) scheduleTrack(e.document, 0);
  });
  textDocuments.onDidClose((e) => {
    const uri = e.document.uri;
    projects.invalidate(true);
    documents.setDirty(uri, false);
    clearTimeout(diagnosticTimers.get(uri));
    clearTimeout(trackTimers.get(uri));
    tracked.delete(uri);
    if (!loader) return;
    ctx.analyzer.forget(uri);
    loader.forgetDocument(uri);
    // a bibliography closed with unsaved edits: the file on disk is the truth again
    if (isBibliography(e.document) && loader.isUsed(uri)) void loader.readFile(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  // ---- diagnostics and status -----------------------------------------------------------------

  const diagnosticTimers = new Map<string, ReturnType<typeof setTimeout>>();
  function scheduleDiagnostics(doc: TextDocument, delay: number): void {
    if (isBibliography(doc)) return;
    clearTimeout(diagnosticTimers.get(doc.uri));
    diagnosticTimers.set(doc.uri, setTimeout(() => {
      diagnosticTimers.delete(doc.uri);
      const current = textDocuments.get(doc.uri);
      if (!current) return;
      // a key is unknown only once the bibliographies its document names are read
      void Promise.resolve(tracked.get(doc.uri))
        .then(() => computeDiagnostics(ctx, current, (d) => syntaxForLanguage(d.languageId)))
        .then((diagnostics) => {
          if (textDocuments.get(doc.uri)) return connection.sendDiagnostics({ uri: doc.uri, version: current.version, diagnostics });
        })
        .catch((e) => logger.error('diagnostics', e));
    }, delay));
  }
  function scheduleAllDiagnostics(delay: number): void {
    for (const d of textDocuments.all()) scheduleDiagnostics(d, delay);
  }

  let statusTimer: ReturnType<typeof setTimeout> | undefined;
  function scheduleStatus(): void {
    if (statusTimer) return;
    statusTimer = setTimeout(() => {
      statusTimer = undefined;
      const status = loader.library.status();
      void connection.sendNotification(P.LibraryChangedNotification, {
        papers: loader.library.size,
        problems: status.reduce((s, x) => s + x.diagnostics.length, 0),
        loading: loader.loading,
        onlyBuiltin: status.every((s) => s.source === 'builtin'),
      } satisfies P.LibraryChangedParams);
    }, STATUS_DELAY_MS);
  }

  // ---- language features ----------------------------------------------------------------------

  connection.onHover(guard('hover', null, async (p) => {
    await loader.loadBuiltinEarly();
    return provideHover(ctx, topics, p);
  }));
  connection.onCompletion(guard('completion', null, async (p) => {
    await loader.loadBuiltinEarly();
    return provideCompletion(ctx, p);
  }));
  connection.onCompletionResolve(guard('completion', undefined as never, (item) => resolveCompletion(ctx, item)));
  connection.onDefinition(guard('definition', null, (p) => provideDefinition(ctx, p)));
  connection.onReferences(guard('references', null, (p) => provideReferences(ctx, p)));
  connection.onPrepareRename(guard('rename', null, (p) => prepareRename(ctx, p)));
  connection.onRenameRequest(guard('rename', null, (p) => provideRename(ctx, p)));
  connection.onCodeAction(guard('code actions', [], (p) => provideCodeActions(ctx, p)));
  connection.onExecuteCommand(guard('command', null, async (p) => {
    const args = p.arguments ?? [];
    let plan: P.CitePlanResult | undefined;
    let uri: string | undefined;
    if (p.command === P.ServerCommands.addEntries && typeof args[0] === 'string' && Array.isArray(args[1])) {
      uri = args[0];
      plan = await planCitation(ctx, { uri, position: { line: 0, character: 0 }, keys: args[1].map(String), bibliographyOnly: true });
    } else if (p.command === P.ServerCommands.citeHere && typeof args[0] === 'string' && typeof args[1] === 'number' && typeof args[2] === 'string') {
      uri = args[0];
      const doc = documents.get(uri);
      if (!doc) return null;
      plan = await planCitation(ctx, { uri, position: doc.positionAt(args[1]), keys: [args[2]], afterMention: true });
    }
    if (!plan || !uri) return null;
    if (plan.refused) void connection.window.showWarningMessage(plan.refused);
    const edit = await toWorkspaceEdit(ctx, uri, plan);
    if (edit.documentChanges?.length) await connection.workspace.applyEdit(edit);
    return null;
  }));

  // ---- Citelens requests ----------------------------------------------------------------------

  connection.onRequest(P.SearchRequest, guard('search', { hits: [], strongCount: 0, complete: false }, (p: P.SearchParams) => requests.search(ctx, related, p)));
  connection.onRequest(P.PaperRequest, guard('paper', null, (p: P.PaperParams) => requests.paper(ctx, topics, p)));
  connection.onRequest(P.PaperCardRequest, guard('paper card', null, (p: P.PaperCardParams) => requests.paperCard(ctx, topics, related, p)));
  connection.onRequest(P.PaperPageRequest, guard('paper page', '', (p: P.PaperPageParams) => requests.paperPage(ctx, p.key)));
  connection.onRequest(P.KeyAtRequest, guard('key at', {}, (p: P.KeyAtParams) => requests.keyAt(ctx, p)));
  connection.onRequest(P.CitedRequest, guard('cited', null, (p: P.CitedParams) => requests.cited(ctx, p)));
  connection.onRequest(P.MentionsRequest, guard('mentions', { ranges: [] }, (p: P.MentionsParams) => requests.mentions(ctx, p)));
  connection.onRequest(P.LibraryStatusRequest, guard('library status', null, async () => {
    await configured;
    return requests.libraryStatus(ctx);
  }));
  connection.onRequest(P.RelatedRequest, guard('related', { suggestions: [] }, async (p: P.RelatedParams) => {
    await configured;
    return related.suggest(p);
  }));
  connection.onRequest(P.TopicsRequest, guard('topics', { topics: [] }, async (p: P.TopicsParams) => {
    await configured;
    return topics.list(p?.filter);
  }));
  connection.onRequest(P.TopicPapersRequest, guard('topic papers', { papers: [], more: 0 }, async (p: P.TopicPapersParams) => {
    const r = await topics.papers(p);
    // marked against the document being written, so each row can say (and speak) "cited"
    const doc = typeof p.uri === 'string' ? ctx.documents.get(p.uri) : undefined;
    if (doc) {
      const cited = requests.citedKeys(ctx, doc);
      for (const s of r.papers) s.cited = cited.has(s.key);
    }
    return r;
  }));
  connection.onRequest(P.TopicOfPaperRequest, guard('topic of paper', null, async (p: P.TopicOfPaperParams) => (await topics.topicOf(p.key, p.filter, p.sortBy, p.limit)) ?? null));
  connection.onRequest(P.CitePlanRequest, guard('cite', { keys: [] }, (p: P.CitePlanParams) => planCitation(ctx, p)));

  connection.onRequest(P.TestRequests.setSource, guard('test', false, (p: { source: string; papers: Paper[] }) => {
    if (!options.testMode) return false;
    loader.library.setSource({ source: p.source, papers: p.papers, diagnostics: [] });
    return true;
  }));
  connection.onRequest(P.TestRequests.removeSource, guard('test', false, (p: { source: string }) => {
    if (!options.testMode) return false;
    loader.library.removeSource(p.source);
    return true;
  }));
  connection.onRequest(P.TestRequests.readFile, guard('test', false, async (p: { uri: string }) => {
    if (!options.testMode) return false;
    await loader.readFile(p.uri);
    return true;
  }));
  connection.onRequest(P.TestRequests.crash, guard('test', false, () => {
    if (!options.testMode) return false;
    setTimeout(() => process.exit(3), 20);
    return true;
  }));
  connection.onRequest(P.TestRequests.cacheDir, guard('test', null, () => (options.testMode ? join(options.storagePath ?? '', 'libraryCache') : null)));

  connection.onShutdown(() => loader?.dispose());
  textDocuments.listen(connection);
  connection.listen();
}
