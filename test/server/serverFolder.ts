/** A language server on a fresh temporary folder, for one `describe` block of the server tier. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient } from './lspClient';

/**
 * Starts a server on a new folder (named from `prefix`) before the block's tests and shuts it down
 * and removes the folder after them. Read `dir` and `client` inside the tests, once started.
 */
export function serverInFolder(prefix: string): { readonly dir: string; readonly client: LspClient } {
  const s = {} as { dir: string; client: LspClient };
  before(async () => {
    s.dir = mkdtempSync(join(tmpdir(), prefix));
    s.client = new LspClient();
    await s.client.initialize(s.dir);
  });
  after(async () => {
    await s.client?.shutdown();
    if (s.dir) rmSync(s.dir, { recursive: true, force: true });
  });
  return s;
}
