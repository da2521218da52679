/**
 * A real Neovim (headless, Debian's package) attaches the Citelens language server to a LaTeX file
 * with its built-in LSP client, as a Neovim user's config would, and gets diagnostics, a hover on a
 * paper title, completion inside \cite{…} and Go to Definition into the .bib. Skipped, saying why,
 * where Neovim is not installed (scripts/test.sh installs it).
 */
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = join(__dirname, '../../..');

function nvimVersion(): string | undefined {
  try {
    return execFileSync('nvim', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    return undefined;
  }
}

describe('Neovim with the Citelens language server', function () {
  this.timeout(90_000);
  it('attaches to a .tex file: diagnostics, hover, completion and definition', function () {
    const version = nvimVersion();
    if (!version) {
      console.log('      (skipped: nvim is not installed here; scripts/test.sh installs Debian\'s neovim package)');
      this.skip();
    }
    const dir = mkdtempSync(join(tmpdir(), 'citelens-nvim-'));
    try {
      writeFileSync(join(dir, 'refs.bib'), '@article{smith2020,\n  title = {A Study of Tidepools},\n  author = {Smith, Jane},\n  year = 2020\n}\n');
      writeFileSync(join(dir, 'main.tex'), 'Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism is cited \\cite{smith2020,nosuchkey} and \\cite{sm}.\n\\bibliography{refs}\n');
      const out = join(dir, 'result.json');
      const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(repoRoot, 'test/neovim/attach.lua')}`], {
        env: { ...process.env, CITELENS_SERVER: join(repoRoot, 'dist/server.js'), CITELENS_DIR: dir, CITELENS_OUT: out, XDG_CACHE_HOME: join(dir, 'cache') },
        encoding: 'utf8',
        timeout: 80_000,
      });
      assert.ok(run.status === 0, `nvim exited ${run.status}: ${run.stderr}`);
      const r = JSON.parse(readFileSync(out, 'utf8')) as { initialized: boolean; diagnostics: string[]; hover: string | null; completion: string[]; definition?: { uri: string; range: { start: { line: number } } }; errors: string[] };
      console.log(`      ${version}: ${r.diagnostics.length} diagnostics, ${r.completion.length} completions`);
      assert.deepEqual(r.errors, []);
      assert.ok(r.initialized);
      assert.ok(r.diagnostics.some((m) => m.includes("'nosuchkey'")), r.diagnostics.join(' | '));
      assert.match(r.hover ?? '', /Shoeybi/);
      assert.ok(r.completion.includes('smith2020'), r.completion.slice(0, 5).join(', '));
      assert.ok(r.definition, 'a definition');
      assert.match(r.definition.uri, /refs\.bib$/);
      assert.equal(r.definition.range.start.line, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
