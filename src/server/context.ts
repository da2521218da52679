/**
 * What every feature of the server works with: the library and its loader, the documents, their
 * analysis and projects, the settings, and the editor's options. Constructed once in `server.ts`.
 */
import type { Library } from '../core/library/library';
import type { InitializationOptions } from '../protocol/requests';
import type { DocumentAnalyzer } from './analysis';
import type { DocumentStore } from './documents';
import type { LibraryLoader } from './library/libraryLoader';
import type { Logger } from './logger';
import type { ProjectService } from './projects';
import type { Settings } from './settings';

export interface ServerContext {
  readonly library: Library;
  readonly loader: LibraryLoader;
  readonly documents: DocumentStore;
  readonly analyzer: DocumentAnalyzer;
  readonly projects: ProjectService;
  readonly logger: Logger;
  readonly options: InitializationOptions;
  /** The current settings. */
  settings(): Settings;
  /** Workspace folders as file-system paths. */
  folders(): readonly string[];
  /** Keys most recently cited, newest first. */
  readonly recent: string[];
  /** Settles when the built-in corpus and the first round of library files are loaded. */
  readonly ready: Promise<void>;
}

/** Notes keys as just cited (the search's empty-query suggestions). */
export function noteCited(ctx: ServerContext, keys: readonly string[]): void {
  for (const k of keys) {
    const i = ctx.recent.indexOf(k);
    if (i >= 0) ctx.recent.splice(i, 1);
    ctx.recent.unshift(k);
  }
  ctx.recent.length = Math.min(ctx.recent.length, 20);
}
