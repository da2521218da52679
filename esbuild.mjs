// Builds the extension bundle, the CLI, the built-in corpus index, and (with flags) the tests
// and the benchmark.
//   node esbuild.mjs               development build: dist/ with sourcemaps
//   node esbuild.mjs --production  minified, no sourcemaps (for packaging)
//   node esbuild.mjs --tests       also bundles test/unit, test/server and test/host into out/
//   node esbuild.mjs --bench       also bundles bench/ into out/bench
//   node esbuild.mjs --watch       development build, then rebuilds dist/ on every save (`npm run watch`)
import * as esbuild from 'esbuild';
import { readdirSync, existsSync, statSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');

/** Options every bundle shares. */
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  logLevel: 'warning',
  logOverride: { 'import-is-undefined': 'error' },
};

function findFiles(dir, suffix) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findFiles(p, suffix));
    else if (p.endsWith(suffix)) out.push(p);
  }
  return out;
}

const bundle = { ...common, outdir: 'dist', external: ['vscode'], minify: production, sourcemap: !production, sourcesContent: false };
// the client: its first line notes the time, so activation is measured from module load
const bundles = [
  { ...bundle, entryPoints: { extension: 'src/client/extension.ts' }, banner: { js: 'globalThis.__citelensLoadStart = Date.now();' } },
  { ...bundle, entryPoints: { server: 'src/server/main.ts', cli: 'src/cli/main.ts', libraryWorker: 'src/server/library/libraryWorker.ts' } },
];
if (args.has('--watch')) {
  // the fast loop: esbuild rebuilds only what changed; type errors are left to the editor and `npm run check-types`
  for (const options of bundles) await (await esbuild.context({ ...options, logLevel: 'info' })).watch();
  console.log('watching src/ (Ctrl+C to stop); reload the VS Code window or restart the server to pick up a rebuild');
} else {
  for (const options of bundles) await esbuild.build(options);
}

// The built-in corpus index is built here, at build time, never at activation.
mkdirSync('out/build', { recursive: true });
await esbuild.build({ ...common, entryPoints: ['scripts/buildIndex.ts'], outfile: 'out/build/buildIndex.js' });
execFileSync(process.execPath, ['out/build/buildIndex.js', 'corpus/papers.json', 'dist/corpusIndex.bin'], { stdio: 'inherit' });

if (args.has('--tests')) {
  const unit = [...findFiles('test/unit', '.test.ts'), ...findFiles('test/server', '.test.ts'), ...findFiles('test/neovim', '.test.ts')];
  await esbuild.build({
    ...common,
    entryPoints: unit,
    outbase: 'test',
    outdir: 'out/test',
    packages: 'external',
    sourcemap: true,
  });
  const host = [...findFiles('test/host', '.test.ts'), ...findFiles('test/host', 'index.ts')];
  if (host.length) {
    await esbuild.build({
      ...common,
      entryPoints: host,
      outbase: 'test',
      outdir: 'out/test',
      external: ['vscode', 'mocha'],
      sourcemap: true,
    });
  }
}

if (args.has('--bench')) {
  await esbuild.build({ ...common, entryPoints: ['bench/bench.ts'], outfile: 'out/bench/bench.js', packages: 'external' });
  await esbuild.build({ ...common, entryPoints: ['bench/relatedBench.ts'], outfile: 'out/bench/relatedBench.js', packages: 'external' });
}
