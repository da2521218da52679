/**
 * Loads the library's sources into the core `Library`: the built-in corpus (papers and the index
 * built at build time), the files of the `citelens.libraries` setting, and the bibliographies the
 * open documents name. Watches those files and re-reads only the one that changed. Problems in a
 * file are shown in the Problems view on that file; a status-bar item shows the library's size.
 */
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import { DOCUMENT_LANGUAGES, syntaxForLanguage } from '../core/citations/languages';
import { corpusPapers, CorpusPaper } from '../core/sources/corpus';
import { documentBibliographies } from '../core/citations/documentBibliography';
import { Library } from '../core/library/library';
import { BUILTIN_SOURCE } from '../core/model/paper';
import { segmentFromBytes } from '../core/search/termIndex';
import { CachedSource, FileStamp, decodeSourceCacheAsync, macrosDigest, segmentOfCache } from '../core/library/sourceCache';
import { indexPapersAsync } from '../core/search/searchIndex';
import { ReadResult, formatOf, readLibraryFile } from '../core/sources/readLibraryFile';
import { Config } from './config';
import { Logger } from './logger';

/**
 * Files larger than this are parsed and indexed in a worker thread, off the extension host's
 * thread, and kept in the persisted cache (smaller ones parse faster than a cache file loads).
 */
const WORKER_THRESHOLD = 256 * 1024;

/** At most this many library files are kept in the cache (a 100k-entry file takes ~70 MB); the least recently written go first. */
const CACHE_FILES = 6;

/** Gives the event loop a turn (between the slices of long work on the extension host's thread). */
const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** How one file was last loaded (for the status and for tests). */
export interface FileLoad {
  entries: number;
  /** Milliseconds until its papers were searchable. */
  ms: number;
  /** Milliseconds until its index was complete (until then searches scan its papers). */
  indexedMs?: number;
  from: 'parse' | 'cache';
}

export class LibraryService implements vscode.Disposable {
  readonly library = new Library();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly watchers = new Map<string, vscode.Disposable>();
  /** Files named by open documents, by the document that names them. */
  private readonly documentFiles = new Map<string, string[]>();
  private readonly settingFiles = new Set<string>();
  private readonly macros = new Map<string, Map<string, string>>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('citelens-library');
  private readonly statusItem = vscode.window.createStatusBarItem('citelens.library', vscode.StatusBarAlignment.Right, 100);
  private readonly reading = new Map<string, Promise<void>>();
  /** How the built-in corpus was loaded: its size and milliseconds (the index is the one the build made). */
  builtinLoad: { papers: number; ms: number } | undefined;
  /** Settles when the built-in corpus and the first round of user files are loaded. */
  readonly ready: Promise<void>;
  /** How each file (by URI string) was last loaded. */
  readonly loads = new Map<string, FileLoad>();

  /**
   * @param cacheDir where large libraries are cached between sessions (the extension's global
   *   storage); none disables the cache.
   */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly config: Config,
    private readonly logger: Logger,
    readonly cacheDir?: vscode.Uri,
  ) {
    this.statusItem.name = 'Citelens Library';
    this.statusItem.command = 'citelens.showLibraryStatus';
    this.disposables.push(
      this.diagnostics,
      this.statusItem,
      vscode.workspace.onDidOpenTextDocument((d) => this.trackDocument(d)),
      vscode.workspace.onDidSaveTextDocument((d) => this.trackDocument(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.untrackDocument(d)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (Config.affects(e, 'libraries') || Config.affects(e, 'builtinCorpus')) void this.reloadSettings();
      }),
    );
    const off = this.library.onDidChange(() => this.updateStatus());
    this.disposables.push({ dispose: off });
    this.ready = this.start();
  }

  private async start(): Promise<void> {
    await this.loadBuiltin();
    await Promise.all([this.reloadSettings(), ...vscode.workspace.textDocuments.map((d) => this.trackDocument(d))]);
    this.updateStatus();
  }

  /** Loads the built-in corpus and its prebuilt index (no index building here). */
  private async loadBuiltin(): Promise<void> {
    if (!this.config.builtinCorpusEnabled) {
      this.library.removeSource(BUILTIN_SOURCE);
      return;
    }
    if (this.library.hasSource(BUILTIN_SOURCE)) return;
    const started = Date.now();
    try {
      const read = (p: string) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, p));
      const [papersJson, indexBytes] = await Promise.all([read('corpus/papers.json'), read('dist/corpusIndex.bin')]);
      const papers = corpusPapers(JSON.parse(new TextDecoder().decode(papersJson)) as CorpusPaper[]);
      // the index built by the build; should it not fit these papers, the library indexes them itself
      this.library.setSource({ source: BUILTIN_SOURCE, papers, diagnostics: [], segment: segmentFromBytes(indexBytes) });
      this.builtinLoad = { papers: papers.length, ms: Date.now() - started };
    } catch (e) {
      this.logger.error('loading the built-in corpus', e);
    }
  }

  private async reloadSettings(): Promise<void> {
    await this.loadBuiltin();
    const wanted = new Set<string>();
    for (const entry of this.config.libraries) {
      for (const uri of await this.resolveSettingEntry(entry)) wanted.add(uri.toString());
    }
    for (const old of [...this.settingFiles]) {
      if (!wanted.has(old)) {
        this.settingFiles.delete(old);
        this.releaseIfUnused(old);
      }
    }
    await Promise.all([...wanted].map((u) => {
      this.settingFiles.add(u);
      return this.ensureFile(vscode.Uri.parse(u));
    }));
  }

  /** A setting entry is a path (absolute or workspace-relative) or a glob. */
  private async resolveSettingEntry(entry: string): Promise<vscode.Uri[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (/[*?[\]{}]/.test(entry)) {
      const found: vscode.Uri[] = [];
      for (const f of folders) {
        try {
          found.push(...(await vscode.workspace.findFiles(new vscode.RelativePattern(f, entry), '**/node_modules/**', 1000)));
        } catch (e) {
          this.logger.error(`resolving library glob ${entry}`, e);
        }
      }
      return found.filter((u) => formatOf(u.path));
    }
    if (entry.startsWith('/') || /^[A-Za-z]:[\\/]/.test(entry)) return [vscode.Uri.file(entry)];
    if (entry.startsWith('~/')) return [vscode.Uri.file((process.env.HOME ?? '') + entry.slice(1))];
    return folders.length ? [vscode.Uri.joinPath(folders[0].uri, entry)] : [];
  }

  /** The bibliography files `doc` names, resolved next to it. */
  bibliographyUris(doc: vscode.TextDocument): vscode.Uri[] {
    const syntax = syntaxForLanguage(doc.languageId);
    const dir = vscode.Uri.joinPath(doc.uri, '..');
    return documentBibliographies(doc.getText(), syntax).map((r) =>
      r.path.startsWith('/') ? doc.uri.with({ path: r.path }) : vscode.Uri.joinPath(dir, r.path),
    );
  }

  private async trackDocument(doc: vscode.TextDocument): Promise<void> {
    if (!DOCUMENT_LANGUAGES.has(doc.languageId) || doc.uri.scheme === 'output') return;
    const uris = this.bibliographyUris(doc).filter((u) => formatOf(u.path));
    const before = this.documentFiles.get(doc.uri.toString()) ?? [];
    const now = uris.map((u) => u.toString());
    this.documentFiles.set(doc.uri.toString(), now);
    for (const old of before) if (!now.includes(old)) this.releaseIfUnused(old);
    await Promise.all(uris.map((u) => this.ensureFile(u)));
  }

  private untrackDocument(doc: vscode.TextDocument): void {
    const before = this.documentFiles.get(doc.uri.toString());
    if (!before) return;
    this.documentFiles.delete(doc.uri.toString());
    for (const old of before) this.releaseIfUnused(old);
  }

  private isUsed(uri: string): boolean {
    if (this.settingFiles.has(uri)) return true;
    for (const files of this.documentFiles.values()) if (files.includes(uri)) return true;
    return false;
  }

  private releaseIfUnused(uri: string): void {
    if (this.isUsed(uri)) return;
    this.watchers.get(uri)?.dispose();
    this.watchers.delete(uri);
    this.macros.delete(uri);
    this.diagnostics.delete(vscode.Uri.parse(uri));
    this.library.removeSource(uri);
    // a read still in flight (a watcher's re-read) would put the source back when it settles
    const again = () => this.releaseIfUnused(uri);
    void this.reading.get(uri)?.then(again, again);
  }

  /** Reads a file once and watches it; later calls wait for the same read. */
  private ensureFile(uri: vscode.Uri): Promise<void> {
    const id = uri.toString();
    if (this.library.hasSource(id) || this.reading.has(id)) return this.reading.get(id) ?? Promise.resolve();
    this.watch(uri);
    return this.readFile(uri);
  }

  private watch(uri: vscode.Uri): void {
    const id = uri.toString();
    if (this.watchers.has(id) || uri.scheme !== 'file') return;
    const dir = vscode.Uri.joinPath(uri, '..');
    const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, name));
    const reread = () => void this.readFile(uri);
    this.watchers.set(id, vscode.Disposable.from(w, w.onDidChange(reread), w.onDidCreate(reread), w.onDidDelete(reread)));
  }

  /** (Re-)reads one file into the library. Never throws; problems become diagnostics. */
  readFile(uri: vscode.Uri): Promise<void> {
    const id = uri.toString();
    const run = (async () => {
      let bytes: Uint8Array | undefined;
      let stamp: FileStamp;
      let cached: CachedSource | undefined;
      const started = Date.now();
      const otherMacros = new Map<string, string>();
      for (const [file, m] of this.macros) if (file !== id) for (const [k, v] of m) otherMacros.set(k, v);
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (stat.type & vscode.FileType.Directory) throw new Error('it is a directory, not a file');
        // a named pipe, socket or device (reading it could wait forever), or a broken symbolic link
        if (!(stat.type & vscode.FileType.File)) throw new Error(stat.type & vscode.FileType.SymbolicLink ? 'it is a broken symbolic link' : 'it is not a regular file');
        stamp = { size: stat.size, mtimeMs: stat.mtime, context: macrosDigest(otherMacros) };
        if (stat.size > WORKER_THRESHOLD) cached = await this.readCache(id, stamp);
        if (!cached) bytes = await vscode.workspace.fs.readFile(uri);
      } catch (e) {
        const message = `Citelens could not read library ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`;
        this.logger.info(message);
        this.library.setSource({ source: id, papers: [], diagnostics: [{ source: id, line: 1, column: 1, severity: 'error', message }] });
        // The Problems view says why, in place of problems from an earlier read; a file that does not
        // exist (yet: a bibliography is created by the first citation) is only noted in the status.
        if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') this.diagnostics.delete(uri);
        else this.diagnostics.set(uri, [Object.assign(new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), message, vscode.DiagnosticSeverity.Error), { source: 'Citelens' })]);
        return;
      }
      let result: ReadResult & { segment?: CachedSource['segment'] };
      let indexed: Promise<Uint8Array | undefined> | undefined;
      if (cached) result = cached;
      else if (bytes!.length > WORKER_THRESHOLD) ({ result, indexed } = await this.readInWorker(id, bytes!, otherMacros, stamp));
      else result = readLibraryFile(id, bytes!, otherMacros);
      if (result.macros) this.macros.set(id, result.macros);
      const load: FileLoad = { entries: result.papers.length, ms: 0, from: cached ? 'cache' : 'parse' };
      if (indexed) {
        // searchable now (by scanning); the worker's index replaces the scan when it arrives
        const install = this.library.setSourcePending(result);
        const papers = result.papers;
        void indexed.then(async (cacheBytes) => {
          const segment = cacheBytes && segmentOfCache(cacheBytes);
          install(segment && segment.docCount === papers.length ? segment : await indexPapersAsync(papers));
          load.indexedMs = Date.now() - started;
          if (segment) await this.writeCache(id, cacheBytes!);
        }).catch((e) => this.logger.error(`indexing ${uri.fsPath}`, e));
      } else {
        await this.library.setSourceAsync(result);
        load.indexedMs = Date.now() - started;
      }
      load.ms = Date.now() - started;
      this.loads.set(id, load);
      this.diagnostics.set(
        uri,
        result.diagnostics.map((d) => {
          const pos = new vscode.Position(Math.max(0, d.line - 1), Math.max(0, d.column - 1));
          const diag = new vscode.Diagnostic(new vscode.Range(pos, pos), d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
          diag.source = 'Citelens';
          return diag;
        }),
      );
      this.logger.info(`read ${uri.fsPath}${cached ? ' (from the cache)' : ''}: ${result.papers.length} entries, ${result.diagnostics.length} problems, ${Date.now() - started} ms`);
    })().finally(() => this.reading.delete(id));
    this.reading.set(id, run);
    return run;
  }

  /** The cache file of a library file (named by a digest of its URI). */
  private cacheFile(id: string): vscode.Uri | undefined {
    return this.cacheDir && vscode.Uri.joinPath(this.cacheDir, createHash('sha1').update(id).digest('hex') + '.bin');
  }

  /** The cached source, when the cache has one made from exactly this file; never throws. */
  private async readCache(id: string, stamp: FileStamp): Promise<CachedSource | undefined> {
    const file = this.cacheFile(id);
    if (!file || !this.config.cacheEnabled) return undefined;
    try {
      const c = await decodeSourceCacheAsync(await vscode.workspace.fs.readFile(file), stamp, pause);
      return c && c.source === id && c.segment ? c : undefined;
    } catch {
      return undefined; // no cache yet
    }
  }

  private async writeCache(id: string, bytes: Uint8Array): Promise<void> {
    const file = this.cacheFile(id);
    if (!file || !this.config.cacheEnabled) return;
    try {
      await vscode.workspace.fs.createDirectory(this.cacheDir!);
      await vscode.workspace.fs.writeFile(file, bytes);
      await this.pruneCache();
    } catch (e) {
      this.logger.info(`could not write the library cache for ${id}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Deletes the least recently written cache files beyond {@link CACHE_FILES} (libraries no longer used). */
  private async pruneCache(): Promise<void> {
    const dir = this.cacheDir!;
    const files = (await vscode.workspace.fs.readDirectory(dir)).filter(([name, type]) => type === vscode.FileType.File && name.endsWith('.bin'));
    if (files.length <= CACHE_FILES) return;
    const dated = await Promise.all(files.map(async ([name]) => {
      const uri = vscode.Uri.joinPath(dir, name);
      return { uri, mtime: (await vscode.workspace.fs.stat(uri)).mtime };
    }));
    dated.sort((a, b) => b.mtime - a.mtime);
    for (const old of dated.slice(CACHE_FILES)) await vscode.workspace.fs.delete(old.uri);
  }

  /**
   * Parses and indexes in a worker thread: resolves with the papers as soon as they are parsed,
   * with `indexed` settling later on the cache bytes holding the index (undefined when the worker
   * failed after parsing; the papers are then indexed here). Parses on this thread if no worker
   * can run.
   */
  private readInWorker(source: string, bytes: Uint8Array, macros: Map<string, string>, stamp: FileStamp): Promise<{ result: ReadResult; indexed?: Promise<Uint8Array | undefined> }> {
    return new Promise((resolve) => {
      const onThisThread = () => resolve({ result: readLibraryFile(source, bytes, macros) });
      let worker: Worker;
      try {
        worker = new Worker(vscode.Uri.joinPath(this.extensionUri, 'dist/libraryWorker.js').fsPath);
      } catch (e) {
        this.logger.error('starting the library worker', e);
        onThisThread();
        return;
      }
      let gotPapers = false;
      let indexDone: (bytes: Uint8Array | undefined) => void = () => undefined;
      const indexed = new Promise<Uint8Array | undefined>((r) => (indexDone = r));
      worker.on('message', (m: { kind: 'papers' | 'cache'; bytes: Uint8Array }) => {
        if (m.kind === 'papers') {
          gotPapers = true;
          void decodeSourceCacheAsync(m.bytes, stamp, pause).then((result) => {
            if (result) resolve({ result, indexed });
            else onThisThread(); // cannot happen (the same code wrote the bytes)
          });
        } else {
          indexDone(m.bytes);
          void worker.terminate();
        }
      });
      worker.once('error', (e) => this.logger.error(`reading ${source} in a worker`, e));
      // after an error or an exit without both answers: whatever is missing is done on this thread
      worker.once('exit', () => {
        if (gotPapers) indexDone(undefined);
        else onThisThread();
      });
      worker.postMessage({ source, bytes, macros: [...macros], stamp });
    });
  }

  private updateStatus(): void {
    const n = this.library.size;
    const warnings = this.library.status().reduce((s, x) => s + x.diagnostics.length, 0);
    this.statusItem.text = `$(book) ${n.toLocaleString('en-US')} papers${warnings ? ` · ${warnings.toLocaleString('en-US')} warning${warnings === 1 ? '' : 's'}` : ''}`;
    this.statusItem.tooltip = this.library
      .status()
      .map((s) => `${s.source === BUILTIN_SOURCE ? 'Built-in corpus' : vscode.Uri.parse(s.source).fsPath}: ${s.entries} entries${s.diagnostics.length ? `, ${s.diagnostics.length} problems` : ''}`)
      .join('\n');
    this.statusItem.show();
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.dispose();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
