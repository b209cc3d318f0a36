import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate } from '../../../scripts/lib/commands/validate.ts';
import { ALL_RULES } from '../../../scripts/lib/check/rules/index.ts';
import { REPO_ROOT, renderCache } from '../../helpers/fixture-repo.ts';

describe('this repository', () => {
  it('passes every rule in every environment, without a single finding', async () => {
    const { findings, environments } = await validate({ cwd: REPO_ROOT, cacheDir: renderCache() });
    expect(environments).toEqual(['dev', 'staging', 'prod']);
    // Not an error, warning or note: mesh-config.test.ts judges edits by every finding they bring.
    expect(findings).toEqual([]);
  });

  it('docs/rules.md documents every rule', () => {
    const doc = readFileSync(path.join(REPO_ROOT, 'docs/rules.md'), 'utf8');
    for (const r of ALL_RULES) expect(doc, r.id).toContain(`\`${r.id}\``);
  });

  it('README lists every rule as --list-rules prints it', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    for (const r of ALL_RULES) expect(readme, r.id).toMatch(new RegExp(`^${r.id}\\s+${r.severity}\\s`, 'm'));
  });
});
