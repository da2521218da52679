// Helpers for UI tests: a real VS Code 1.100 workbench (code-server) in headless Chromium, driven
// the way a person would drive it (keyboard, mouse, what is on screen). One workbench is shared by
// all UI test files of a run (starting one takes 10-20 s); call `reset()` in `beforeEach` (not
// afterEach: a failed test's state must survive until the failure screenshot).
//
//   import { workbench } from './workbench.mjs';
//   const wb = await workbench();          // starts on first call
//   await wb.openFile('paper.tex');
//   await wb.runCommand('Citelens: Search and Cite');
//
// The extension comes from the VSIX in $CITELENS_VSIX (installed with code-server's
// --install-extension into a fresh extensions dir, as a user would); without it, from the
// repository's dist/ as a development extension (faster for iterating on a test).
// scripts/runUiTests.mjs packages the VSIX, runs every test/ui/*.ui.test.mjs and stops the workbench.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  copyFolder, installExtension, launchChromium, makeProfile, makeTempDir, removeDir, repoRoot,
  setupCodeServer, startCodeServer, workbenchUrl,
} from '../../scripts/codeServer.mjs';

/**
 * Where the README pictures go: out/screenshots (ignored), so a test run leaves the tree clean;
 * `npm run screenshots` sets $CITELENS_SCREENSHOT_DIR to media/screenshots to refresh the tracked ones.
 */
export const screenshotDir = process.env.CITELENS_SCREENSHOT_DIR || join(repoRoot, 'out', 'screenshots');
/** The fixture copied into a fresh temporary workspace for each workbench. */
export const fixtureDir = join(repoRoot, 'test', 'fixtures', 'workspace');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** Monaco renders spaces as U+00A0; compare text the way a reader sees it. */
const plain = (s) => s.replace(/\u00a0/g, ' ');

let shared = null;

/**
 * The shared workbench of this run, started on the first call.
 * @param {object} [options] see {@link Workbench.start}; only used by the call that starts it
 * @returns {Promise<Workbench>}
 */
export async function workbench(options) {
  if (!shared) shared = Workbench.start(options);
  try {
    return await shared;
  } catch (err) {
    shared = null;
    throw err;
  }
}

/** The shared workbench if one was started (never starts one), else null. */
export async function currentWorkbench() {
  return shared ? shared.catch(() => null) : null;
}

/** Stops the shared workbench, if one was started. */
export async function stopWorkbench() {
  if (!shared) return;
  const p = shared;
  shared = null;
  await (await p.catch(() => null))?.stop();
}

/** A running code-server + Chromium page showing a workspace. */
export class Workbench {
  /**
   * Starts code-server with a fresh profile and a fresh copy of the fixture workspace, and
   * opens it in Chromium. Resolves once the workbench shows the Citelens activity-bar entry.
   * @param {object} [o]
   * @param {string} [o.vsix] VSIX to install (default $CITELENS_VSIX; none: load the repo as development extension)
   * @param {string} [o.fixture] folder copied as the workspace (default test/fixtures/workspace)
   * @param {object} [o.settings] extra user settings
   * @param {{width:number,height:number}} [o.viewport] default 1280x800
   */
  static async start(o = {}) {
    const wb = new Workbench();
    const vsix = o.vsix ?? process.env.CITELENS_VSIX;
    wb.tmp = makeTempDir('citelens-ui-');
    wb.fixture = o.fixture ?? fixtureDir;
    wb.workspace = copyFolder(wb.fixture, join(wb.tmp, 'workspace'));
    wb.consoleLog = join(wb.tmp, 'page-console.log');
    try {
      const bin = setupCodeServer();
      const profile = makeProfile(wb.tmp, o.settings);
      if (vsix) {
        if (!existsSync(vsix)) throw new Error(`VSIX ${vsix} does not exist`);
        wb.installLog = installExtension(bin, vsix, profile);
      } else if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) {
        throw new Error('no CITELENS_VSIX and no dist/extension.js: run `node esbuild.mjs` or `npm run package` first');
      }
      wb.server = await startCodeServer({ bin, ...profile, workspace: wb.workspace });
      wb.browser = await launchChromium({ headless: !process.env.CITELENS_UI_HEADFUL });
      const context = await wb.browser.newContext({ viewport: o.viewport ?? { width: 1280, height: 800 } });
      wb.page = await context.newPage();
      wb.page.on('console', (m) => appendFileSync(wb.consoleLog, `[${m.type()}] ${m.text()}\n`));
      wb.page.on('pageerror', (e) => appendFileSync(wb.consoleLog, `[pageerror] ${e.message}\n`));
      const payload = vsix ? undefined : [['extensionDevelopmentPath', repoRoot]];
      await wb.page.goto(workbenchUrl(wb.server.baseUrl, wb.workspace, payload));
      await wb.page.waitForSelector('.monaco-workbench .part.editor', { timeout: 120_000 });
      await wb.activityBarItem('Citelens').waitFor({ timeout: 60_000 });
      await wb.dismissNotifications();
      return wb;
    } catch (err) {
      await wb.stop();
      if (wb.server) err.message += `\ncode-server output:\n${wb.server.tail()}`;
      throw err;
    }
  }

  /** Closes the browser, stops code-server and removes the temporary profile and workspace. */
  async stop() {
    await this.browser?.close().catch(() => {});
    await this.server?.stop();
    if (process.env.CITELENS_KEEP_TMP) console.error(`workbench: kept ${this.tmp}`);
    else if (this.tmp) removeDir(this.tmp);
  }

  // ---- keyboard and palette -------------------------------------------------------------------

  /** The quick input widget (Quick Open, command palette, extension QuickPicks). */
  get quickInput() {
    return this.page.locator('.quick-input-widget');
  }

  /** Rows of the visible quick input list. */
  get quickInputRows() {
    return this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  }

  /** Presses a key or chord (Playwright syntax: 'Control+P', 'F1', 'Enter'). */
  async press(keys) {
    await this.page.keyboard.press(keys);
  }

  /** Types text at the focus, like a person typing (short delay between keys). */
  async type(text, delay = 15) {
    await this.page.keyboard.type(text, { delay });
  }

  /**
   * Waits until a quick input row contains `text` (case-insensitive substring) and returns it.
   * With `focused: true` it must be the focused (first, Enter-able) row.
   */
  async waitForQuickPickItem(text, { timeout = 20_000, focused = false } = {}) {
    const re = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    const row = this.page
      .locator(`.quick-input-widget .quick-input-list .monaco-list-row${focused ? '.focused' : ''}`)
      .filter({ hasText: re })
      .first();
    await row.waitFor({ state: 'visible', timeout });
    return row;
  }

  /** Texts of the visible quick input rows, in order. */
  async quickPickItems() {
    return (await this.quickInputRows.allInnerTexts()).map(plain);
  }

  /** Opens a workspace file with Quick Open (Ctrl+P, type the name, Enter) and waits for its editor. */
  async openFile(name) {
    await this.focusWorkbench();
    await this.press('Control+P');
    await this.quickInput.waitFor({ state: 'visible' });
    await this.type(name);
    const base = name.split('/').pop();
    await this.waitForQuickPickItem(base, { focused: true });
    await this.press('Enter');
    await this.page
      .locator('.editor-group-container.active .tab.active')
      .filter({ hasText: base })
      .waitFor({ timeout: 20_000 });
    await this.activeEditor.locator('.view-lines .view-line').first().waitFor();
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /**
   * Runs a command from the command palette by its title ("Citelens: Search and Cite"):
   * F1, type the title, wait until it is the focused row, Enter.
   */
  async runCommand(title) {
    await this.focusWorkbench();
    await this.press('F1');
    await this.quickInput.waitFor({ state: 'visible' });
    await this.type(title);
    await this.waitForQuickPickItem(title, { focused: true });
    await this.press('Enter');
    // Returns once the palette is gone (or replaced by the command's own picker).
    await this.page.waitForFunction(() => {
      const w = document.querySelector('.quick-input-widget');
      const input = w?.querySelector('.quick-input-box input');
      return !w || w.style.display === 'none' || !input || !input.value.startsWith('>');
    }, null, { timeout: 10_000 });
  }

  /**
   * Waits until a quick input is open and focused, e.g. the QuickPick a command opens; with
   * `title`, until its title (or placeholder) contains that text. Type into it afterwards.
   */
  async waitForQuickInput(title, timeout = 20_000) {
    await this.page.waitForFunction((t) => {
      const w = document.querySelector('.quick-input-widget');
      if (!w || w.style.display === 'none') return false;
      const input = w.querySelector('.quick-input-box input');
      if (!input || document.activeElement !== input) return false;
      if (!t) return true;
      const text = `${w.querySelector('.quick-input-title')?.textContent ?? ''} ${input.placeholder ?? ''}`.toLowerCase();
      return text.includes(t.toLowerCase());
    }, title ?? '', { timeout });
  }

  /** Puts the keyboard focus back into the workbench (e.g. after a click in a webview). */
  async focusWorkbench() {
    if (await this.quickInput.isVisible()) await this.press('Escape');
  }

  // ---- editor ---------------------------------------------------------------------------------

  /** The editor of the active editor group. */
  get activeEditor() {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The visible text of the active editor (what a person sees; only rendered lines). */
  async editorText() {
    const lines = await this.activeEditor.locator('.view-lines .view-line').evaluateAll((els) =>
      els
        .map((el) => ({ top: parseFloat(el.style.top) || 0, text: el.textContent ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text),
    );
    return plain(lines.join('\n'));
  }

  /** Waits until the active editor shows `text` (string or RegExp); returns the editor text. */
  async waitForEditorText(text, timeout = 15_000) {
    const end = Date.now() + timeout;
    let last = '';
    for (;;) {
      last = await this.editorText();
      if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
      if (Date.now() > end) throw new Error(`editor never showed ${text}; it shows:\n${last}`);
      await sleep(200);
    }
  }

  /** Saves the active editor (Ctrl+S) and waits until its tab is no longer dirty. */
  async save() {
    await this.press('Control+S');
    await this.page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached', timeout: 10_000 });
  }

  /** Contents of a workspace file on disk (relative path). */
  readWorkspaceFile(rel) {
    return readFileSync(join(this.workspace, rel), 'utf8');
  }

  /** Writes a workspace file on disk (e.g. `.vscode/settings.json`); VS Code picks it up. */
  writeWorkspaceFile(rel, text) {
    mkdirSync(dirname(join(this.workspace, rel)), { recursive: true });
    writeFileSync(join(this.workspace, rel), text);
  }

  /**
   * Moves the cursor to the first occurrence of `text` in the active editor with Find
   * (Ctrl+F, type, Enter, Escape): the match ends up selected and scrolled into view.
   */
  async goToText(text) {
    await this.activeEditor.click({ position: { x: 5, y: 5 } }).catch(() => {});
    await this.press('Control+Home');
    await this.press('Control+F');
    await this.page.locator('.editor-group-container.active .find-widget.visible textarea, .editor-group-container.active .find-widget.visible input').first().waitFor();
    await this.press('Control+A');
    await this.type(text);
    await this.press('Enter');
    await this.press('Escape');
  }

  /**
   * Screen rectangle of the first occurrence of `text` on a rendered line of the active editor,
   * or null. Works across Monaco's token spans.
   */
  async textRect(text) {
    return this.activeEditor.evaluate((editor, needle) => {
      for (const line of editor.querySelectorAll('.view-lines .view-line')) {
        const nodes = [];
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let all = '';
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          nodes.push({ node: n, start: all.length });
          all += n.data.replace(/\u00a0/g, ' ');
        }
        const i = all.indexOf(needle);
        if (i < 0) continue;
        const at = (off) => {
          const hit = nodes.filter((x) => x.start <= off).pop();
          return [hit.node, Math.min(off - hit.start, hit.node.data.length)];
        };
        const range = document.createRange();
        range.setStart(...at(i));
        range.setEnd(...at(i + needle.length));
        const r = range.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }
      return null;
    }, text);
  }

  /**
   * Hovers the mouse over `text` in the active editor (scrolling it into view first when it is
   * not rendered) and returns the hover's text once it has settled (see {@link readHover}).
   * With `expect` (string or RegExp), hovers again until the hover shows it: right after a
   * document opens, the extension may still be loading the libraries the document names.
   * @param {string} text
   * @param {{offset?: number, expect?: string|RegExp, timeout?: number}} [o] `offset`: character
   *   inside `text` to point at (default: the middle)
   */
  async hoverAtText(text, { offset, expect, timeout = 20_000 } = {}) {
    if (expect !== undefined) {
      const end = Date.now() + timeout;
      for (;;) {
        const got = await this.hoverAtText(text, { offset, timeout });
        if (typeof expect === 'string' ? got.includes(expect) : expect.test(got)) return got;
        if (Date.now() > end) throw new Error(`the hover over "${text}" never showed ${expect}; it shows:\n${got}`);
        await sleep(500);
      }
    }
    let rect = await this.textRect(text);
    if (!rect) {
      await this.goToText(text);
      rect = await this.textRect(text);
    }
    if (!rect) throw new Error(`"${text}" is not shown in the active editor`);
    const frac = offset === undefined ? 0.5 : (offset + 0.5) / text.length;
    const x = rect.x + rect.width * frac;
    const y = rect.y + rect.height / 2;
    // A hover asked for before the extension is ready shows nothing and is not asked again
    // until the mouse moves: leave and come back until one appears.
    const end = Date.now() + timeout;
    for (;;) {
      await this.hideHover();
      await this.page.mouse.move(1, 1);
      await this.page.mouse.move(x, y, { steps: 5 });
      const shown = await this.hover.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false);
      if (shown) return this.readHover();
      if (Date.now() > end) throw new Error(`no hover appeared over "${text}"`);
    }
  }

  /** The visible editor hover (`.monaco-hover`). */
  get hover() {
    return this.page.locator('.monaco-editor .monaco-hover').filter({ visible: true }).first();
  }

  /** Closes the editor hover if one is shown (so the next read cannot see a stale one). */
  async hideHover() {
    if (!(await this.hover.isVisible())) return;
    await this.page.mouse.move(1, 1); // off the editor and off the hover itself
    await this.press('Escape');
    await this.hover.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
  }

  /**
   * Waits for the editor hover and returns its text once it has settled: not empty, not
   * "Loading...", and unchanged for 400 ms (hover providers answer one after another).
   */
  async readHover(timeout = 15_000) {
    await this.hover.waitFor({ state: 'visible', timeout });
    const end = Date.now() + timeout;
    let last = '';
    let stableSince = Date.now();
    for (;;) {
      const text = plain(await this.hover.innerText().catch(() => ''));
      if (text !== last) {
        last = text;
        stableSince = Date.now();
      }
      const ready = text.trim() && !/Loading\.\.\./.test(text);
      if (ready && Date.now() - stableSince >= 400) return text;
      if (Date.now() > end) {
        if (ready) return text;
        throw new Error(`the hover stayed empty or loading: "${text}"`);
      }
      await sleep(100);
    }
  }

  // ---- side bar -------------------------------------------------------------------------------

  /** The activity-bar entry whose label starts with `title` ("Citelens", "Explorer"). */
  activityBarItem(title) {
    return this.page.locator(`.part.activitybar .action-item a[aria-label^="${title}"], .part.activitybar .action-item .action-label[aria-label^="${title}"]`).first();
  }

  /** Clicks an activity-bar entry and waits for its side bar to open. */
  async openSideBar(title) {
    const item = this.activityBarItem(title);
    const li = item.locator('xpath=ancestor::li[1]');
    if (!((await li.getAttribute('class')) ?? '').includes('checked')) await item.click();
    await this.page.locator('.part.sidebar').waitFor({ state: 'visible' });
  }

  /** Drags the sash at the side bar's edge so the side bar is `width` pixels wide (for readable screenshots). */
  async resizeSideBar(width) {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box) return;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width - 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 8 });
    await this.page.mouse.up();
  }

  /** The side-bar pane (view) whose header title is `title` ("Topics"). */
  sideBarPane(title) {
    return this.page
      .locator('.part.sidebar .pane')
      .filter({ has: this.page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`, 'i') }) })
      .first();
  }

  /** Rows (tree items) rendered in the side bar, or in one pane of it. */
  treeRows(paneTitle) {
    const scope = paneTitle ? this.sideBarPane(paneTitle) : this.page.locator('.part.sidebar');
    return scope.locator('.pane-body .monaco-list-row');
  }

  /** Texts of the rendered tree rows (side bar or one pane), in order. */
  async treeRowTexts(paneTitle) {
    return (await this.treeRows(paneTitle).allInnerTexts()).map((t) => plain(t).replace(/\s+/g, ' ').trim());
  }

  // ---- housekeeping ---------------------------------------------------------------------------

  /** Closes notification toasts that would cover the UI. */
  async dismissNotifications() {
    const close = this.page.locator('.notification-toast .codicon-notifications-clear, .notification-toast .action-label.codicon-close');
    for (let i = 0; i < 5 && (await close.count()) > 0; i++) await close.first().click().catch(() => {});
  }

  /**
   * Brings the workbench back to a known state between tests: closes pickers, saves (so that
   * no "save changes?" dialog appears) and closes all editors, then restores the fixture files
   * on disk. Files a test created stay; don't leave untitled editors behind.
   */
  async reset() {
    await this.press('Escape');
    await this.press('Escape');
    await this.runCommand('File: Save All Files').catch(() => this.press('Escape'));
    await this.runCommand('View: Close All Editors').catch(() => this.press('Escape'));
    copyFolder(this.fixture, this.workspace);
  }

  /** Saves a PNG of the whole window to <screenshotDir>/<name>.png (for the README); returns its path. */
  async screenshot(name) {
    mkdirSync(screenshotDir, { recursive: true });
    const file = join(screenshotDir, name.endsWith('.png') ? name : `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** A screenshot for diagnosing a failed test (under out/ui-failures/, not committed). */
  async failureScreenshot(name) {
    const dir = join(repoRoot, 'out', 'ui-failures');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name.replace(/[^\w.-]+/g, '_').slice(0, 100)}.png`);
    await this.page.screenshot({ path: file }).catch(() => {});
    return file;
  }
}
