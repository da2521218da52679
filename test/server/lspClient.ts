/**
 * A Language Server Protocol client for tests: starts `dist/server.js` over stdio and speaks to it as an
 * editor would (initialize, open documents, requests, shutdown). Notifications the server sends
 * (diagnostics, library changes, log lines) are kept for the tests to wait on.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MessageConnection, StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';

/** The repository root: the nearest folder up from this bundle that has dist/server.js (tests and the bench run from out/). */
export const repoRoot = ((): string => {
  for (let d = __dirname; d !== dirname(d); d = dirname(d)) if (existsSync(join(d, 'dist', 'server.js'))) return d;
  return join(__dirname, '../../..');
})();

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; message: string; severity?: number; code?: string | number; source?: string; data?: unknown }[];
}

export class LspClient {
  readonly proc: ChildProcess;
  readonly connection: MessageConnection;
  readonly diagnostics = new Map<string, PublishedDiagnostics>();
  readonly log: string[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  private versions = new Map<string, number>();
  exited: Promise<number | null>;

  constructor(args: string[] = ['--stdio'], env: NodeJS.ProcessEnv = {}) {
    this.proc = spawn(process.execPath, [join(repoRoot, 'dist/server.js'), ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    this.exited = new Promise((r) => this.proc.once('exit', (code) => r(code)));
    this.proc.stderr!.on('data', (d: Buffer) => this.log.push(d.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => this.diagnostics.set(p.uri, p));
    this.connection.onNotification('window/logMessage', (p: { message: string }) => this.log.push(p.message));
    this.connection.onNotification((method: string, params: unknown) => this.notifications.push({ method, params }));
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/applyEdit', (p: { edit: unknown }) => {
      this.appliedEdits.push(p.edit);
      return { applied: true };
    });
    this.connection.onRequest('window/showMessageRequest', () => null);
    this.connection.listen();
  }

  /** The settings the server reads through `workspace/configuration` (section `citelens`). */
  settings: Record<string, unknown> = {};
  readonly appliedEdits: unknown[] = [];

  async initialize(rootPath: string, initializationOptions: Record<string, unknown> = {}): Promise<unknown> {
    const rootUri = 'file://' + rootPath;
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'root' }],
      capabilities: { workspace: { configuration: true, workspaceFolders: true, applyEdit: true }, textDocument: { hover: { contentFormat: ['markdown'] }, completion: {} } },
      initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, languageId: string, text: string): void {
    this.versions.set(uri, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  change(uri: string, text: string): void {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
  }

  close(uri: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** Waits until `get` returns something truthy (polling), or fails after `ms`. */
  async until<T>(get: () => T | Promise<T>, what: string, ms = 20_000): Promise<NonNullable<T>> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await get();
      if (v) return v as NonNullable<T>;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\nserver log:\n${this.log.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async shutdown(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => this.proc.kill(), 5000);
    await this.exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}
