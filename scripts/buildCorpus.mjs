// Bundles and runs scripts/buildCorpus.ts (see there).
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
await esbuild.build({ entryPoints: ['scripts/buildCorpus.ts'], bundle: true, platform: 'node', format: 'cjs', outfile: 'out/build/buildCorpus.js', logLevel: 'warning' });
execFileSync(process.execPath, ['out/build/buildCorpus.js', ...process.argv.slice(2)], { stdio: 'inherit' });
