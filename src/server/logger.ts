/** Where the server writes what happened: the editor's output for the server (LSP `window/logMessage`). */
export interface Logger {
  info(message: string): void;
  /** Logs an error with its context; the same context and message are logged once. */
  error(context: string, error: unknown): void;
}

/** A logger over a line sink; repeated errors are logged once. */
export function lineLogger(write: (line: string) => void): Logger {
  const reported = new Set<string>();
  return {
    info: (message) => write(`[${new Date().toISOString()}] ${message}`),
    error(context, error) {
      const msg = error instanceof Error ? (error.stack ?? error.message) : String(error);
      const id = `${context}\u0000${msg}`;
      if (reported.has(id)) return;
      reported.add(id);
      write(`[${new Date().toISOString()}] ERROR in ${context}: ${msg}`);
    },
  };
}

/** A logger that drops everything (tests). */
export const nullLogger: Logger = { info: () => undefined, error: () => undefined };
