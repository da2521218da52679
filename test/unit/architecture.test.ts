/** The architecture rule: src/core never imports vscode. */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './helpers';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  it('src/core imports nothing from vscode', () => {
    const core = files(join(repoRoot, 'src/core'));
    assert.ok(core.length > 10);
    const offenders = core.filter((f) => /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\s+['"]vscode['"]/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });
  it('extension.ts wires every feature\'s register function', () => {
    const wiring = readFileSync(join(repoRoot, 'src/client/extension.ts'), 'utf8');
    const registers = files(join(repoRoot, 'src/client')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/export function (register\w+)/g)].map((m) => m[1]));
    assert.ok(registers.length >= 8);
    assert.deepEqual(registers.filter((r) => !wiring.includes(`${r}(`)), []);
  });
});
