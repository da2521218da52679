// Shared plumbing for running a real VS Code (code-server 4.100.3 = VS Code 1.100.3) offline and
// driving it with Chromium through playwright-core. Used by the extension-host launcher
// (scripts/runHostTests.mjs), the UI tests (test/ui/workbench.mjs) and the demo (scripts/start.sh).
// Follows ../shared/docs/vscode-host-offline.md.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Chromium from Debian; playwright's own browser download is never used (no internet here). */
export const chromiumPath = process.env.CITELENS_CHROMIUM || '/usr/bin/chromium';

/** Browser flags from the offline recipe. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/**
 * User settings for a fresh profile: no welcome page, no telemetry or update checks, no
 * distractions that would cover the editor in screenshots and UI tests.
 */
export const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'editor.minimap.enabled': false,
  'window.commandCenter': false,
  'files.autoSave': 'off',
  'remote.autoForwardPorts': false,
  'remote.autoForwardPortsFallback': 0,
};

/**
 * Makes sure code-server and its Debian prerequisites are installed (scripts/setupCodeServer.sh,
 * cached under ~/.cache/citelens) and returns the code-server binary path.
 */
export function setupCodeServer() {
  const r = spawnSync('bash', [join(repoRoot, 'scripts/setupCodeServer.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`scripts/setupCodeServer.sh failed (exit ${r.status ?? r.signal})`);
  const lines = r.stdout.trim().split('\n');
  const bin = lines[lines.length - 1].trim();
  if (!existsSync(bin)) throw new Error(`setupCodeServer.sh printed "${bin}", which does not exist`);
  return bin;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** A fresh temporary directory (removed by the caller with `rmSync(dir, {recursive: true})`). */
export function makeTempDir(prefix = 'citelens-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  hookExit();
  return dir;
}

/** Copies a fixture folder to `dest` (so tests may write to the copy). Returns `dest`. */
export function copyFolder(src, dest) {
  cpSync(src, dest, { recursive: true });
  return dest;
}

/**
 * Prepares a fresh profile under `dir`: `dir/user-data` (with quiet user settings merged with
 * `settings`) and `dir/extensions`. Returns both paths.
 */
export function makeProfile(dir, settings = {}) {
  const userDataDir = join(dir, 'user-data');
  const extensionsDir = join(dir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...settings }, null, 2));
  return { userDataDir, extensionsDir };
}

/**
 * Installs a VSIX into `extensionsDir` with code-server's own `--install-extension`, as a user
 * would. Throws with code-server's output when the install fails.
 */
export function installExtension(bin, vsix, { userDataDir, extensionsDir }) {
  const config = join(dirname(userDataDir), 'code-server.yaml');
  const r = spawnSync(bin, ['--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status ?? r.signal}):\n${out}`);
  }
  return out.trim();
}

/**
 * Starts code-server on 127.0.0.1 and waits until it answers HTTP.
 * @param {object} o
 * @param {string} o.bin code-server binary
 * @param {string} o.userDataDir
 * @param {string} o.extensionsDir
 * @param {string} [o.workspace] folder to open
 * @param {number} [o.port] default: a free port
 * @param {string} [o.logFile] where to write the server's output (default: `<userDataDir>/../code-server.log`)
 * @param {Record<string,string>} [o.env] extra environment (the extension host inherits it)
 * @param {boolean} [o.workspaceTrust] keep VS Code's workspace trust (default: disabled with --disable-workspace-trust)
 * @param {boolean} [o.echo] also print the server's output to stderr
 * @returns {Promise<{port:number, baseUrl:string, proc:import('node:child_process').ChildProcess, logFile:string, tail:()=>string, stop:()=>Promise<void>}>}
 */
export async function startCodeServer(o) {
  const port = o.port ?? (await freePort());
  const logFile = o.logFile ?? join(dirname(o.userDataDir), 'code-server.log');
  const log = createWriteStream(logFile);
  const args = [
    // Its own config file: a user's ~/.config/code-server/config.yaml (password, cert) stays out.
    '--config', join(dirname(o.userDataDir), 'code-server.yaml'),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', o.userDataDir,
    '--extensions-dir', o.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(o.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (o.workspace) args.push(o.workspace);
  const proc = spawn(o.bin, args, {
    // No extension gallery: this machine has no internet, and tests must not depend on it.
    env: { EXTENSIONS_GALLERY: '{}', ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so stop() ends the server and everything it forked
  });
  let tailText = '';
  const onData = (d) => {
    log.write(d);
    tailText = (tailText + d.toString()).slice(-8000);
    if (o.echo) process.stderr.write(d);
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  let exited = null;
  running.add(proc);
  hookExit();
  const exitPromise = new Promise((r) => proc.on('exit', (code, signal) => {
    exited = code ?? signal;
    running.delete(proc);
    r();
  }));

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`code-server exited (${exited}) before serving; its output:\n${tailText}`);
    try {
      const r = await fetch(`${baseUrl}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      killGroup(proc);
      throw new Error(`code-server did not answer on ${baseUrl} within 60 s; its output:\n${tailText}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  const stop = async () => {
    if (exited !== null) return;
    killGroup(proc, 'SIGTERM');
    const t = setTimeout(() => killGroup(proc, 'SIGKILL'), 5000);
    await exitPromise;
    clearTimeout(t);
    log.end();
  };
  return { port, baseUrl, proc, logFile, tail: () => tailText, stop };
}

/** Servers still running; ended when this process exits or is interrupted. */
const running = new Set();
/** Temporary directories not yet removed; removed at exit unless CITELENS_KEEP_TMP is set. */
const tempDirs = new Set();
let exitHooked = false;
function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  const killAll = () => {
    for (const p of running) killGroup(p, 'SIGTERM');
    if (!process.env.CITELENS_KEEP_TMP) for (const d of tempDirs) removeDir(d);
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      killAll();
      process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 })[sig]);
    });
  }
}

function killGroup(proc, signal = 'SIGKILL') {
  try {
    process.kill(-proc.pid, signal);
  } catch {
    try { proc.kill(signal); } catch { /* already gone */ }
  }
}

/**
 * The workbench URL for `folder`, optionally with development `payload` entries
 * (e.g. `[['extensionDevelopmentPath', '/abs'], ['extensionTestsPath', '/abs/index.js']]`;
 * plain paths are turned into `vscode-remote://` URIs of this server).
 */
export function workbenchUrl(baseUrl, folder, payload) {
  const authority = new URL(baseUrl).host;
  let url = `${baseUrl}/?folder=${encodeURIComponent(folder)}`;
  if (payload?.length) {
    const p = payload.map(([k, v]) => [k, v.startsWith('/') ? `vscode-remote://${authority}${v}` : v]);
    url += `&payload=${encodeURIComponent(JSON.stringify(p))}`;
  }
  return url;
}

/** Launches Debian's Chromium through playwright-core (headless unless `headless: false`). */
export async function launchChromium({ headless = true } = {}) {
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}; run scripts/setupCodeServer.sh (it installs Debian's chromium)`);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: chromiumPath, headless, args: chromiumArgs });
}

/** Removes a temporary directory, ignoring errors (files may still be held by a dying process). */
export function removeDir(dir) {
  tempDirs.delete(dir);
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch { /* best effort */ }
}
