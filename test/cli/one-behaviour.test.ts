import { describe, expect, it } from 'vitest';
import { main as bench } from '../../scripts/bench/run-bench.ts';
import type { CommandIO } from '../../scripts/lib/cli/io.ts';
import { main as diff } from '../../scripts/lib/commands/diff.ts';
import { main as drift } from '../../scripts/lib/commands/drift.ts';
import { main as health } from '../../scripts/lib/commands/health.ts';
import { main as promote } from '../../scripts/lib/commands/promote.ts';
import { main as render } from '../../scripts/lib/commands/render.ts';
import { main as seal } from '../../scripts/lib/commands/seal.ts';
import { main as validate } from '../../scripts/lib/commands/validate.ts';
import { REPO_ROOT } from '../helpers/fixture-repo.ts';
import { runInProcess } from '../helpers/run-main.ts';

type Main = (args: string[], io: CommandIO) => Promise<number>;

const COMMANDS: [string, Main][] = [
  ['validate', validate],
  ['promote', promote],
  ['diff', diff],
  ['render', render],
  ['drift', drift],
  ['health', health],
  ['seal', seal],
  ['bench', bench],
];
/** Commands whose output is a report a program may read: each takes --format json. */
const REPORTS = new Set(['validate', 'promote', 'diff', 'drift', 'health', 'seal', 'bench']);

const run = (m: Main, args: string[]) => runInProcess(m, args, { cwd: REPO_ROOT });

describe('one behaviour across the scripts', () => {
  it.each(COMMANDS)('%s --help: usage, what it does, flags, exit codes, in one layout', async (name, m) => {
    const r = await run(m, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Usage: zx scripts/${name}\\.mjs( |$)`));
    // Usage, a blank line, what it does, a blank line, the flags, a blank line, the exit codes.
    const blank = lines.map((l, i) => (l === '' ? i : -1)).filter((i) => i >= 0);
    expect(blank.length).toBeGreaterThanOrEqual(3);
    const flags = lines.slice(blank[1]! + 1, blank.at(-1));
    expect(flags.length).toBeGreaterThan(0);
    for (const f of flags) expect(f, `${name}: "${f}"`).toMatch(/^ {2}(-|\s)/);
    expect(flags.some((f) => /^ {2}--help\b/.test(f))).toBe(true);
    expect(lines.at(-1)).toMatch(/^Exit: 0 /);
    if (REPORTS.has(name)) expect(flags.join('\n')).toMatch(/--format F\s+[^\n]*json/);
  });

  it.each(COMMANDS)('%s: a bad flag is one error line and a hint, exit 2', async (_name, m) => {
    const r = await run(m, ['--no-such-flag']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^error: unknown flag '--no-such-flag'/);
    expect(lines[1]).toMatch(/^hint: /);
  });

  it.each(COMMANDS.filter(([name]) => ['validate', 'diff', 'drift', 'health'].includes(name)))(
    '%s: --output into a missing folder is a usage error before any work, exit 2',
    async (_name, m) => {
      const r = await run(m, ['--output', 'no-such-folder/report.txt']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^error: --output no-such-folder\/report\.txt: folder no-such-folder does not exist\n/,
      );
      expect(r.stderr).not.toMatch(/internal error/);
    },
  );

  it('validate --list-rules --format json is JSON', async () => {
    const r = await run(validate, ['--list-rules', '--format', 'json']);
    const list = JSON.parse(r.stdout) as { id: string; severity: string }[];
    expect(list.map((x) => x.id)).toEqual(expect.arrayContaining(['yaml/syntax', 'mesh/gateway-exists']));
  });

  it('environments are reported in promotion order whatever order the flags give them', async () => {
    const r = await run(validate, ['--env', 'prod', '--env', 'dev', '--format', 'json']);
    expect(JSON.parse(r.stdout).summary.environments).toEqual(['dev', 'prod']);
  });
});
