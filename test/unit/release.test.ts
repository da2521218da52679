/** Release hygiene: README tables agree with package.json, the VSIX carries only the allowlist, the bundle fits its budget. */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers';

const nls: Record<string, string> = JSON.parse(readFileSync(join(repoRoot, 'package.nls.json'), 'utf8'));
/** package.json with its %key% strings resolved from package.nls.json, as VS Code shows them. */
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'), (_k, v) => {
  if (typeof v !== 'string' || !/^%[^%]+%$/.test(v)) return v;
  const text = nls[v.slice(1, -1)];
  assert.ok(text !== undefined, `package.nls.json has ${v}`);
  return text;
});
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** Rows of the Markdown table under `## heading`, as arrays of cell texts. */
function table(heading: string): string[][] {
  const section = readme.split(/^## /m).find((s) => s.startsWith(heading + '\n'));
  assert.ok(section, `README has a "${heading}" section`);
  return section
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .slice(2)
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim().replace(/^`|`$/g, '')));
}

describe('README and package.json', () => {
  it('list the same commands with the same titles', () => {
    const rows = table('Commands').map(([id, title]) => [id, title]);
    assert.deepEqual(rows, pkg.contributes.commands.map((c: { command: string; title: string }) => [c.command, `Citelens: ${c.title}`]));
  });
  it('list the same keybindings', () => {
    assert.deepEqual(table('Keybindings'), pkg.contributes.keybindings.map((k: { command: string; key: string; mac: string }) => [k.command, k.key, k.mac]));
  });
  it('list the same settings with the same defaults', () => {
    const props = pkg.contributes.configuration.properties as Record<string, { default: unknown }>;
    assert.deepEqual(table('Settings').map(([name, def]) => [name, def]), Object.entries(props).map(([name, p]) => [name, JSON.stringify(p.default)]));
  });
  it('have every walkthrough step open a real command', () => {
    const commands = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    const steps = pkg.contributes.walkthroughs.flatMap((w: { steps: { description: string }[] }) => w.steps);
    assert.equal(steps.length, 4);
    for (const s of steps) {
      const cmd = /\(command:([\w.]+)\)/.exec(s.description)?.[1];
      assert.ok(cmd && (commands.has(cmd) || cmd.startsWith('workbench.')), s.description);
    }
  });
  it('give every command a category and icon, and every setting a description and scope', () => {
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'Citelens', c.command);
      assert.match(c.icon, /^\$\([a-z-]+\)$/, c.command);
    }
    for (const [name, p] of Object.entries(pkg.contributes.configuration.properties as Record<string, { markdownDescription?: string; scope?: string }>)) {
      assert.ok(p.markdownDescription && p.markdownDescription.length > 20, name);
      assert.ok(p.scope, name);
    }
  });
});

describe('Restricted Mode', () => {
  const props = pkg.contributes.configuration.properties as Record<string, { type: string; scope: string; enum?: unknown[] }>;
  const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
  /** Settings with free text that is neither a path nor a command, or that no workspace can set. */
  const harmless: Record<string, string> = {
    'citelens.topics': 'application scope: only the user sets it, never a folder',
    'citelens.topics.sortBy': 'one of a few words (an enum)',
  };

  it('is supported in part, with every setting that names a file or a command restricted', () => {
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual(restricted, ['citelens.libraries', 'citelens.bibliography.defaultFile', 'citelens.citation.latexCommand', 'citelens.citation.format']);
    for (const name of restricted) {
      assert.ok(props[name], `${name} is a setting`);
      assert.ok(['resource', 'window', 'language-overridable'].includes(props[name].scope), `${name}: a folder can set it, so it is worth restricting`);
    }
  });

  it('has no free-text setting left unclassified (a new path setting must be restricted or argued harmless)', () => {
    const text = Object.entries(props).filter(([, p]) => p.type !== 'boolean' && p.type !== 'number').map(([name]) => name);
    for (const name of text) assert.ok(restricted.includes(name) || Object.hasOwn(harmless, name), `${name} takes text: restrict it in package.json, or say here why a folder may set it`);
  });
});

describe('the package', function () {
  this.timeout(60_000);
  it('carries only the allowlisted files (no sources, tests, maps or node_modules)', () => {
    const files = execFileSync(process.execPath, [join(repoRoot, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .sort();
    const allowed = [/^dist\/(extension|server|cli|libraryWorker)\.js$/, /^dist\/corpusIndex\.bin$/, /^corpus\/(papers|topics)\.json$/, /^media\/[\w.-]+\.(svg|png|css|js)$/, /^media\/walkthrough\/\w+\.md$/, /^media\/icons\/[\w.-]+\.svg$/, /^(README|CHANGELOG)\.md$/, /^LICENSE$/, /^package(\.nls)?\.json$/];
    assert.deepEqual(files.filter((f) => !allowed.some((r) => r.test(f))), []);
    for (const must of ['dist/extension.js', 'dist/server.js', 'dist/libraryWorker.js', 'dist/corpusIndex.bin', 'corpus/papers.json', 'package.json', 'README.md', 'LICENSE']) assert.ok(files.includes(must), must);
  });
  it('bundles a client that parses and indexes nothing: the library lives in the server', async () => {
    const esbuild = await import('esbuild');
    const build = (entry: string) => esbuild.build({ entryPoints: [join(repoRoot, entry)], bundle: true, minify: true, platform: 'node', format: 'cjs', external: ['vscode'], write: false, metafile: true, logLevel: 'silent' });
    const client = await build('src/client/extension.ts');
    const server = await build('src/server/main.ts');
    const kb = (b: { outputFiles: { contents: Uint8Array }[] }) => (b.outputFiles[0].contents.length / 1024).toFixed(1);
    const inputs = Object.keys(client.metafile.inputs);
    const ours = inputs.filter((f) => f.startsWith('src/')).map((f) => f.replace(/^src\//, ''));
    const languageClient = inputs.filter((f) => f.includes('node_modules/')).reduce((sum, f) => sum + (Object.values(client.metafile.outputs)[0].inputs[f]?.bytesInOutput ?? 0), 0);
    console.log(`    dist/extension.js minified: ${kb(client)} KB (vscode-languageclient and its protocol ${(languageClient / 1024).toFixed(1)} KB); dist/server.js: ${kb(server)} KB`);
    assert.deepEqual(ours.filter((f) => f.startsWith('core/') && !f.startsWith('core/model/') && f !== 'core/citations/languages.ts'), [], 'no core module but the model and the language table in the client');
    assert.ok(Object.keys(server.metafile.inputs).some((f) => f.endsWith('core/sources/readLibraryFile.ts')), 'the server reads libraries');
    // our own client code stays small; the language client is what it is (see README, "Language server")
    const ownBytes = client.outputFiles[0].contents.length - languageClient;
    assert.ok(ownBytes < 80 * 1024, `${ownBytes} bytes of Citelens's own client code`);
  });
});
