/**
 * Loads the library's sources into the core `Library`, in the server process: the built-in corpus
 * (papers and the index made at build time), the files of `citelens.libraries`, and the
 * bibliographies of the projects of open documents. Large files are parsed and indexed by the worker
 * pool and kept in the persisted cache; small ones are read here between other requests. Files are
 * watched and only the one that changed is read again; a bibliography open in the editor is read from
 * its unsaved text. Problems are reported per file, never thrown.
 */
import { promises as fs } from 'node:fs';
import { Library, LoadedSource } from '../../core/library/library';
import { BUILTIN_SOURCE, Diagnostic } from '../../core/model/paper';
import { CachedSource, FileStamp, decodeSourceCacheAsync, macrosDigest, segmentOfCache } from '../../core/library/sourceCache';
import { indexPapersAsync } from '../../core/search/searchIndex';
import { segmentFromBytes } from '../../core/search/segmentBytes';
import { corpusPapers, CorpusPaper } from '../../core/sources/corpus';
import { ReadResult, formatOf, readLibraryFile } from '../../core/sources/readLibraryFile';
import { DocumentStore, pathOf, uriOf } from '../documents';
import { Logger } from '../logger';
import { CacheStore } from './cacheStore';
import { FileWatcher } from './fileWatcher';
import { resolveLibraryEntry } from './settingFiles';
import { WorkerPool } from './workerPool';

/** Files larger than this are parsed by the worker pool and cached; smaller ones parse faster than a cache loads. */
export const WORKER_THRESHOLD = 128 * 1024;

/** Gives the event loop a turn between slices of long work. */
const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** How one file was last loaded. */
export interface FileLoad {
  entries: number;
  /** Milliseconds until its papers were searchable. */
  ms: number;
  /** Milliseconds until its index was complete (until then searches scan its papers). */
  indexedMs?: number;
  from: 'parse' | 'cache';
}

export interface LoaderOptions {
  /** `corpus/papers.json` of the installed extension. */
  corpusFile: string;
  /** The index of the corpus made by the build (`dist/corpusIndex.bin`). */
  corpusIndexFile: string;
  /** The bundled worker script (`dist/libraryWorker.js`). */
  workerScript: string;
  /** The persisted cache, when there is one. */
  cache?: CacheStore;
  logger: Logger;
  documents: DocumentStore;
  /** Problems of a library file, for the editor's Problems view (an empty list clears them). */
  publishProblems: (uri: string, problems: Diagnostic[]) => void;
}

export class LibraryLoader {
  readonly library = new Library();
  /** How each file (by URI) was last loaded. */
  readonly loads = new Map<string, FileLoad>();
  builtinLoad: { papers: number; ms: number } | undefined;
  /** Messages about the `citelens.libraries` setting, for the library status. */
  settingMessages: string[] = [];
  private readonly pool: WorkerPool;
  private readonly watcher: FileWatcher;
  private readonly settingFiles = new Set<string>();
  /** Bibliographies by the document (project root) that names them. */
  private readonly documentFiles = new Map<string, string[]>();
  private readonly macros = new Map<string, Map<string, string>>();
  /** The keys each file holds as last read (a missing file holds none). */
  private readonly keys = new Map<string, ReadonlySet<string>>();
  private readonly reading = new Map<string, Promise<void>>();
  /** A read asked for while one is running: it runs again after. */
  private readonly again = new Set<string>();
  private builtinWanted = true;
  private cacheEnabled = true;
  private settingsRound = 0;

  constructor(private readonly options: LoaderOptions) {
    this.pool = new WorkerPool(options.workerScript, undefined, (m) => options.logger.info(m));
    this.watcher = new FileWatcher((path) => {
      const uri = uriOf(path);
      if (this.isUsed(uri) && !options.documents.unsaved(uri)) void this.readFile(uri);
    });
  }

  /** Files being read now. */
  get loading(): number {
    return this.reading.size;
  }

  /** Settles when nothing is being read. */
  async idle(): Promise<void> {
    while (this.reading.size) await Promise.allSettled([...this.reading.values()]);
  }

  /**
   * Applies the library settings: the built-in corpus, the cache, and the files of `citelens.libraries`.
   * Settles when every file is read; `onStarted` is called once the files are known and their reads begun.
   */
  async applySettings(settings: { builtinCorpus: boolean; cache: boolean; libraries: readonly string[] }, folders: readonly string[], onStarted?: () => void): Promise<void> {
    const round = ++this.settingsRound;
    this.cacheEnabled = settings.cache;
    this.builtinWanted = settings.builtinCorpus;
    await this.loadBuiltin();
    const wanted = new Set<string>();
    const messages: string[] = [];
    for (const entry of settings.libraries) {
      const r = await resolveLibraryEntry(entry, folders);
      if (r.message) messages.push(r.message);
      for (const f of r.files) wanted.add(uriOf(f));
    }
    if (round !== this.settingsRound) return; // newer settings arrived meanwhile
    this.settingMessages = messages;
    for (const old of [...this.settingFiles]) {
      if (!wanted.has(old)) {
        this.settingFiles.delete(old);
        this.releaseIfUnused(old);
      }
    }
    for (const u of wanted) this.settingFiles.add(u);
    const reads = Promise.all([...wanted].map((u) => this.ensureFile(u)));
    onStarted?.();
    await reads;
  }

  /** The bibliographies a document's project names; files no document names any more are released. */
  async setDocumentFiles(document: string, files: readonly string[]): Promise<void> {
    const before = this.documentFiles.get(document) ?? [];
    const now = files.filter((f) => formatOf(f));
    this.documentFiles.set(document, now);
    for (const old of before) if (!now.includes(old)) this.releaseIfUnused(old);
    await Promise.all(now.map((u) => this.ensureFile(u)));
  }

  forgetDocument(document: string): void {
    const before = this.documentFiles.get(document);
    if (!before) return;
    this.documentFiles.delete(document);
    for (const old of before) this.releaseIfUnused(old);
  }

  /** The keys a library file held when last read; undefined before it is read. */
  keysOf(uri: string): ReadonlySet<string> | undefined {
    return this.keys.get(uri);
  }

  /** Whether a library file is part of the library (named by a setting or a document). */
  isUsed(uri: string): boolean {
    if (this.settingFiles.has(uri)) return true;
    for (const files of this.documentFiles.values()) if (files.includes(uri)) return true;
    return false;
  }

  /**
   * Loads the built-in corpus now (a few milliseconds: its index was made by the build), before the
   * settings are known, so the first hover finds it; settings that turn it off remove it again.
   */
  loadBuiltinEarly(): Promise<void> {
    this.builtinFirst ??= this.loadBuiltin();
    return this.builtinFirst;
  }
  private builtinFirst: Promise<void> | undefined;

  private async loadBuiltin(): Promise<void> {
    if (!this.builtinWanted) {
      this.library.removeSource(BUILTIN_SOURCE);
      this.builtinLoad = undefined;
      return;
    }
    if (this.library.hasSource(BUILTIN_SOURCE)) return;
    const started = Date.now();
    try {
      const [papersJson, indexBytes] = await Promise.all([fs.readFile(this.options.corpusFile, 'utf8'), fs.readFile(this.options.corpusIndexFile).catch(() => undefined)]);
      const papers = corpusPapers(JSON.parse(papersJson) as CorpusPaper[]);
      const segment = indexBytes ? segmentFromBytes(new Uint8Array(indexBytes.buffer, indexBytes.byteOffset, indexBytes.byteLength)) : undefined;
      this.library.setSource({ source: BUILTIN_SOURCE, papers, diagnostics: [], segment });
      this.builtinLoad = { papers: papers.length, ms: Date.now() - started };
    } catch (e) {
      this.options.logger.error('loading the built-in corpus', e);
    }
  }

  private releaseIfUnused(uri: string): void {
    if (this.isUsed(uri)) return;
    const path = pathOf(uri);
    if (path) this.watcher.remove(path);
    this.macros.delete(uri);
    this.keys.delete(uri);
    this.loads.delete(uri);
    this.options.publishProblems(uri, []);
    this.library.removeSource(uri);
    // a read still in flight would put the source back when it settles
    const again = () => this.releaseIfUnused(uri);
    void this.reading.get(uri)?.then(again, again);
  }

  /** Reads a file once and watches it; later calls wait for the same read. */
  private ensureFile(uri: string): Promise<void> {
    if (this.library.hasSource(uri)) return Promise.resolve();
    const running = this.reading.get(uri);
    if (running) return running;
    const path = pathOf(uri);
    if (path) this.watcher.add(path);
    return this.readFile(uri);
  }

  /** (Re-)reads one library file into the library. Never throws; problems are reported. */
  readFile(uri: string): Promise<void> {
    const running = this.reading.get(uri);
    if (running) {
      this.again.add(uri);
      return running;
    }
    const run = this.read(uri)
      .catch((e) => this.options.logger.error(`reading ${uri}`, e))
      .finally(() => {
        this.reading.delete(uri);
        if (this.again.delete(uri) && this.isUsed(uri)) void this.readFile(uri);
      });
    this.reading.set(uri, run);
    return run;
  }

  private otherMacros(uri: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const [file, m] of this.macros) if (file !== uri) for (const [k, v] of m) out.set(k, v);
    return out;
  }

  private async read(uri: string): Promise<void> {
    const started = Date.now();
    const macros = this.otherMacros(uri);
    const open = this.options.documents.unsaved(uri);
    if (open) {
      // the editor's text wins over the file on disk: an unsaved entry counts
      const result = readLibraryFile(uri, new TextEncoder().encode(open.getText()), macros);
      await this.install(uri, result, undefined, started, 'parse');
      return;
    }
    const path = pathOf(uri);
    let bytes: Uint8Array | undefined;
    let cached: CachedSource | undefined;
    let stamp: FileStamp;
    try {
      if (!path) throw new Error('it is not a file on this machine');
      const st = await fs.stat(path);
      if (st.isDirectory()) throw new Error('it is a directory, not a file');
      if (!st.isFile()) throw new Error('it is not a regular file');
      stamp = { size: st.size, mtimeMs: Math.floor(st.mtimeMs), context: macrosDigest(macros) };
      if (st.size > WORKER_THRESHOLD && this.cacheEnabled && this.options.cache) cached = await this.readCache(uri, stamp);
      if (!cached) {
        const b = await fs.readFile(path);
        bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException)?.code;
      const why = code === 'ENOENT' ? 'it does not exist' : e instanceof Error ? e.message : String(e);
      const message = `Citelens could not read library ${path ?? uri}: ${why}`;
      this.options.logger.info(message);
      const problem: Diagnostic = { source: uri, line: 1, column: 1, severity: 'error', message };
      this.library.setSource({ source: uri, papers: [], diagnostics: [problem] });
      this.keys.set(uri, new Set());
      this.loads.delete(uri);
      // a file that does not exist (yet: a bibliography is made by the first citation) is only in the status
      this.options.publishProblems(uri, code === 'ENOENT' ? [] : [problem]);
      return;
    }
    if (cached) {
      await this.install(uri, cached, undefined, started, 'cache');
      return;
    }
    if (bytes!.length > WORKER_THRESHOLD) {
      const fromWorker = await this.pool.read(uri, bytes!, macros, stamp);
      if (fromWorker) {
        const result = await decodeSourceCacheAsync(fromWorker.papers, stamp, pause).catch((e: unknown) => {
          this.options.logger.error(`decoding the worker's reading of ${uri}; reading it here instead`, e);
          return undefined;
        });
        if (result) {
          await this.install(uri, result, fromWorker.indexed, started, 'parse');
          return;
        }
      }
      // no worker could read it (the bytes were transferred away): read the file again here, and
      // report a failure rather than read the emptied buffer as an empty library
      try {
        const b = await fs.readFile(path!);
        bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      } catch (e) {
        const message = `Citelens could not read library ${path}: ${e instanceof Error ? e.message : String(e)}`;
        this.options.logger.info(message);
        const problem: Diagnostic = { source: uri, line: 1, column: 1, severity: 'error', message };
        this.library.setSource({ source: uri, papers: [], diagnostics: [problem] });
        this.options.publishProblems(uri, [problem]);
        return;
      }
    }
    await this.install(uri, readLibraryFile(uri, bytes!, macros), undefined, started, 'parse');
  }

  /** Puts a read source into the library, its index now or when the worker's arrives. */
  private async install(uri: string, result: ReadResult & LoadedSource, indexed: Promise<Uint8Array | undefined> | undefined, started: number, from: FileLoad['from']): Promise<void> {
    if (!this.isUsed(uri)) return; // released while it was read
    if (result.macros) this.macros.set(uri, result.macros);
    this.keys.set(uri, new Set(result.papers.map((p) => p.key)));
    const load: FileLoad = { entries: result.papers.length, ms: 0, from };
    if (indexed) {
      const installIndex = this.library.setSourcePending(result);
      const papers = result.papers;
      void indexed
        .then(async (cacheBytes) => {
          const segment = cacheBytes && segmentOfCache(cacheBytes);
          installIndex(segment && segment.docCount === papers.length ? segment : await indexPapersAsync(papers));
          load.indexedMs = Date.now() - started;
          if (segment && this.cacheEnabled) await this.options.cache?.write(uri, cacheBytes!);
        })
        .catch((e) => this.options.logger.error(`indexing ${uri}`, e));
    } else {
      await this.library.setSourceAsync(result);
      load.indexedMs = Date.now() - started;
    }
    load.ms = Date.now() - started;
    this.loads.set(uri, load);
    this.options.publishProblems(uri, result.diagnostics);
    this.options.logger.info(`read ${pathOf(uri) ?? uri}${from === 'cache' ? ' (from the cache)' : ''}: ${result.papers.length} entries, ${result.diagnostics.length} problems, ${Date.now() - started} ms`);
  }

  private async readCache(uri: string, stamp: FileStamp): Promise<CachedSource | undefined> {
    const bytes = await this.options.cache?.read(uri);
    if (!bytes) return undefined;
    try {
      const c = await decodeSourceCacheAsync(bytes, stamp, pause);
      return c && c.source === uri && c.segment ? c : undefined;
    } catch (e) {
      this.options.logger.info(`ignoring an unreadable cache of ${uri}: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  dispose(): void {
    this.pool.dispose();
    this.watcher.dispose();
  }
}
