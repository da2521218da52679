/**
 * The `citelens` command line as a script or a person meets it: run as a process (dist/cli.js, built
 * before the tests), judged by exit code, stdout and stderr. A file it is given that cannot be used
 * is an error naming that file (exit 2) in every command, never an empty library or document.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './helpers';

const CLI = join(repoRoot, 'dist/cli.js');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('citelens CLI', function () {
  this.timeout(30_000);
  let dir: string;
  const file = (name: string, content: string | Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'citelens-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('help and version', () => {
    for (const flag of ['--help', '-h', 'help']) {
      it(`${flag}: one line per command saying what it does, on stdout, exit 0`, () => {
        const r = cli(flag);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '');
        for (const command of ['library', 'search', 'check', 'mentions', 'related']) {
          const lines = r.stdout.split('\n').filter((l) => l.trim().startsWith(`citelens ${command} `));
          assert.equal(lines.length, 1, `one line for ${command}:\n${r.stdout}`);
          const what = lines[0].trim().split(/\s{2,}/).pop() ?? '';
          assert.match(what, /^[a-z][^\s[\]]*( [^\s[\]]+){2,}$/, `the ${command} line says what it does, after its arguments: ${lines[0]}`);
        }
      });
    }

    it('--help after a command is help too, not an error', () => {
      const r = cli('search', '--help');
      assert.equal(r.status, 0);
      assert.match(r.stdout, /citelens search /);
    });

    it('--version prints the package version, exit 0', () => {
      const r = cli('--version');
      assert.equal(r.status, 0, r.stderr);
      const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
      assert.equal(r.stdout, `citelens ${version}\n`);
    });

    it('an unknown command is a usage error (exit 2, usage on stderr, nothing on stdout)', () => {
      const r = cli('frobnicate');
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /unknown command 'frobnicate'[^]*usage:/);
    });
  });

  describe('files that cannot be used are errors naming the file (exit 2)', () => {
    const ok = () => file('ok.tex', 'Text \\cite{shoeybiMegatronLMTraining2019}.\n');
    /** Each command, with the file it reads put in place of FILE. */
    const withInput: Record<string, (f: string) => string[]> = {
      check: (f) => ['check', f],
      mentions: (f) => ['mentions', f],
      'related --file': (f) => ['related', '--file', f],
    };
    const withBib: Record<string, (b: string) => string[]> = {
      library: (b) => ['library', '--bib', b],
      search: (b) => ['search', 'megatron', '--bib', b],
      check: (b) => ['check', ok(), '--bib', b],
      mentions: (b) => ['mentions', ok(), '--bib', b],
      related: (b) => ['related', '--text', 'model parallel training', '--bib', b],
    };
    /** Unusable files, named with extension `ext`. */
    const bad: Record<string, (ext: string) => { path: string; why: RegExp }> = {
      missing: (ext) => ({ path: join(dir, `missing.${ext}`), why: /does not exist/ }),
      'a directory': () => ({ path: dir, why: /is a directory/ }),
      'a directory without library files': () => {
        const empty = join(dir, 'no-libraries');
        mkdirSync(join(empty, 'sub'), { recursive: true });
        writeFileSync(join(empty, 'sub', 'notes.md'), 'not a library');
        return { path: empty, why: /no library files/ };
      },
      binary: (ext) => ({ path: file(`binary.${ext}`, Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 3, 0, 0x3e, 0, ...new Array<number>(200).fill(0)])), why: /is a binary file/ }),
    };
    // a --bib folder is read whole (every library file under it): only one without any is unusable
    for (const [command, argsOf] of Object.entries(withBib)) {
      for (const [kind, make] of Object.entries(bad).filter(([k]) => k !== 'a directory')) {
        it(`${command}: a --bib that is ${kind}`, () => {
          const { path, why } = make('bib');
          const r = cli(...argsOf(path));
          assert.equal(r.status, 2, `exit code; stdout: ${r.stdout}`);
          assert.ok(r.stderr.includes(path), `stderr names ${path}: ${r.stderr}`);
          assert.match(r.stderr, why);
          assert.equal(r.stdout, '', 'no partial output');
        });
      }
    }
    for (const [command, argsOf] of Object.entries(withInput)) {
      for (const [kind, make] of Object.entries(bad).filter(([k]) => k !== 'a directory without library files')) {
        it(`${command}: an input FILE that is ${kind}`, () => {
          const { path, why } = make('tex');
          const r = cli(...argsOf(path));
          assert.equal(r.status, 2, `exit code; stdout: ${r.stdout}`);
          assert.ok(r.stderr.includes(path), `stderr names the file: ${r.stderr}`);
          assert.match(r.stderr, why);
          assert.equal(r.stdout, '', 'no partial output');
        });
      }
    }

    it('an input the process may not read', function () {
      const p = file('locked.bib', '@misc{a, title={A}}\n');
      chmodSync(p, 0);
      let readable = true;
      try {
        readFileSync(p);
      } catch {
        readable = false;
      }
      if (readable) {
        console.log('      (skipped: this process runs as root, so chmod 000 does not stop it reading the file)');
        this.skip();
      }
      const r = cli('search', 'x', '--bib', p);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /locked\.bib cannot be read/);
    });

    it('a --bib in no library format', () => {
      const p = file('notes.md', '# notes\n');
      const r = cli('search', 'megatron', '--bib', p);
      assert.equal(r.status, 2);
      assert.ok(r.stderr.includes(p), r.stderr);
    });

    it('a binary input FILE is refused, where it used to be checked as text', () => {
      const p = file('image.tex', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
      const r = cli('check', p);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /image\.tex is a binary file/);
    });
  });

  describe('output and usage', () => {
    it('search with no match says so on stderr and prints nothing on stdout; --json prints []', () => {
      const r = cli('search', 'xyzzyplughqwerty');
      assert.equal(r.status, 0);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /no papers match 'xyzzyplughqwerty'/);
      const j = cli('search', 'xyzzyplughqwerty', '--json');
      assert.deepEqual(JSON.parse(j.stdout), []);
    });

    it('search finds a built-in paper by its name', () => {
      const r = cli('search', 'megatron', '--limit', '1');
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^shoeybiMegatronLMTraining2019\t2019\t/);
    });

    const usage: [string, string[], RegExp][] = [
      ['--text with --file', ['related', '--text', 'x', '--file', 'a.tex'], /not both/],
      ['--line without --file', ['related', '--text', 'x', '--line', '3'], /--line needs --file/],
      ['related with neither --text nor --file', ['related'], /--text or --file/],
      ['search with --file', ['search', 'x', '--file', 'a.tex'], /search takes no --file/],
      ['check with --json', ['check', 'a.tex', '--json'], /check takes no --json/],
      ['library with a FILE', ['library', 'refs.bib'], /library takes no FILE/],
      ['an unknown option', ['search', 'x', '--colour'], /unknown option --colour/],
      ['--limit 0', ['search', 'x', '--limit', '0'], /positive whole number/],
    ];
    for (const [name, args, message] of usage) {
      it(`a usage error: ${name}`, () => {
        const r = cli(...args);
        assert.equal(r.status, 2);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, message);
        assert.match(r.stderr, /usage:/);
      });
    }

    it('check: exit 1 and one line per unknown key with file:line:column; exit 0 when all are known', () => {
      const p = file('keys.tex', 'Known \\cite{shoeybiMegatronLMTraining2019}.\nUnknown \\cite{noSuchKey2099}.\n');
      const r = cli('check', p);
      assert.equal(r.status, 1);
      assert.equal(r.stdout, `${p}:2:15: unknown citation key 'noSuchKey2099'\n`);
      const good = file('good.tex', 'Known \\cite{shoeybiMegatronLMTraining2019}.\n');
      assert.equal(cli('check', good).status, 0);
    });

    it('check … | head -1 ends quietly when the reader closes the pipe (no EPIPE trace)', () => {
      const p = file('many.tex', Array.from({ length: 20_000 }, (_, i) => `See \\cite{unknownKey${i}}.`).join('\n'));
      const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" check "${p}" | head -1`], { encoding: 'utf8' });
      assert.equal(r.stdout, `${p}:1:11: unknown citation key 'unknownKey0'\n`);
      assert.equal(r.stderr, '', 'nothing on stderr');
    });
  });
});
