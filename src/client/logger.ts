/** The "Citelens" output channel, and a guard that reports a provider's error once instead of throwing into VS Code. */
import * as vscode from 'vscode';

export interface Logger {
  info(message: string): void;
  error(context: string, error: unknown): void;
}

export class OutputLogger implements Logger, vscode.Disposable {
  /** The "Citelens" output channel, shared with the language client's log. */
  readonly channel = vscode.window.createOutputChannel('Citelens');
  private readonly reported = new Set<string>();

  info(message: string): void {
    this.channel.appendLine(`[${new Date().toISOString()}] ${message}`);
  }

  /** Logs an error with its context; the same context and message are logged only once. */
  error(context: string, error: unknown): void {
    const msg = error instanceof Error ? error.stack ?? error.message : String(error);
    const id = context + '\u0000' + msg;
    if (this.reported.has(id)) return;
    this.reported.add(id);
    this.info(`ERROR in ${context}: ${msg}`);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

/** Runs `fn`; on error logs it (once per message) and returns `fallback`. */
export async function guarded<T>(logger: Logger, context: string, fallback: T, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    logger.error(context, e);
    return fallback;
  }
}
