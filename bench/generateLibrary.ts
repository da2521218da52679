/**
 * Generates the benchmark's large library: several copies of a real `.bib` file, each copy's
 * citation keys (and the crossrefs that point at them) made unique with a suffix, so the result
 * is a realistic 100k-entry library without duplicate keys.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An entry start (`@type{key,` or `@type(key,`) at the start of a line; group 2 is the key. */
const ENTRY_START = /^([ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(][ \t]*)([^,\s{}()=]+)/gm;
const CROSSREF = /^([ \t]*crossref[ \t]*=[ \t]*[{"])([^}"]+)/gim;

/**
 * The text of `copies` copies of `source`, copy `i > 0` with every key `k` renamed `k-c{i}`
 * (`@string`, `@comment` and `@preamble` keep their names).
 */
export function replicateLibrary(source: string, copies: number): string {
  const parts: string[] = [source];
  for (let i = 1; i < copies; i++) {
    const suffix = `-c${i}`;
    parts.push(
      source
        .replace(ENTRY_START, (m, head: string, key: string) => (/@\s*(string|comment|preamble)/i.test(head) ? m : head + key + suffix))
        .replace(CROSSREF, (_m, head: string, key: string) => head + key + suffix),
    );
  }
  return parts.join('\n');
}

/** A generated library written to a fresh temporary directory; `dispose()` deletes it. */
export interface GeneratedLibrary {
  path: string;
  bytes: number;
  dispose(): void;
}

/** Writes `copies` key-renamed copies of the file at `sourcePath` to a temporary `.bib` file. */
export function writeGeneratedLibrary(sourcePath: string, copies: number): GeneratedLibrary {
  const dir = mkdtempSync(join(tmpdir(), 'citelens-bench-'));
  const path = join(dir, `library-${copies}x.bib`);
  const text = replicateLibrary(readFileSync(sourcePath, 'utf8'), copies);
  writeFileSync(path, text);
  return { path, bytes: Buffer.byteLength(text), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
