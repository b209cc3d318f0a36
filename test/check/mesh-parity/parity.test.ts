import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../../scripts/lib/commands/validate.ts';
import type { Finding } from '../../../scripts/lib/check/finding.ts';
import { ALL_RULES } from '../../../scripts/lib/check/rules/index.ts';
import { createSchemaRegistry, SCHEMA_CACHE_DIR } from '../../../scripts/lib/check/schema/registry.ts';
import { FIXTURES } from '../../helpers/fixture-repo.ts';
import { ANALYZER_RULES } from './analyzer-rules.ts';
import { CASES, type ParityCase } from './cases.ts';

const DIR = path.join(FIXTURES, 'mesh-parity');

/** istioctl's way of naming a message's resource: `Kind namespace/name`, or `Kind name` without a namespace. */
const identity = (code: string, f: Finding) =>
  `${code} ${f.resource?.kind ?? '?'} ${f.resource?.namespace ? `${f.resource.namespace}/` : ''}${f.resource?.name ?? '?'}`;

interface Outcome {
  c: ParityCase;
  expected: string[];
  found: string[];
  missing: string[];
  extra: string[];
}

/** Matches two multisets of identities: what istioctl expects against what the rules said. */
function compare(c: ParityCase, findings: Finding[]): Outcome {
  const expected = c.expected.map(([code, r]) => `${code} ${r}`);
  const actual = findings.filter((f) => f.istioCode).map((f) => identity(f.istioCode!, f));
  const left = [...actual];
  const found: string[] = [];
  const missing: string[] = [];
  for (const e of expected) {
    const i = left.indexOf(e);
    if (i >= 0) {
      found.push(e);
      left.splice(i, 1);
    } else missing.push(e);
  }
  return { c, expected, found, missing, extra: left };
}

const outcomes: Outcome[] = [];

describe("mesh rules at parity with istioctl's analyzer test cases", () => {
  beforeAll(async () => {
    const registry = createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR });
    for (const c of CASES) {
      const ids = ANALYZER_RULES[c.analyzer] ?? [];
      const rules = ALL_RULES.filter((r) => ids.includes(r.id));
      const { findings } = await validate({ cwd: DIR, files: c.files, rules, registry });
      outcomes.push(compare(c, findings));
    }
  });

  it('every analyzer of a case has its rules', () => {
    for (const c of CASES) {
      const ids = ANALYZER_RULES[c.analyzer];
      expect(ids, c.analyzer).toBeDefined();
      for (const id of ids!)
        expect(
          ALL_RULES.map((r) => r.id),
          `${c.analyzer} → ${id}`,
        ).toContain(id);
    }
  });

  it.each(CASES.map((c) => [c.name]))(
    '%s: the messages istioctl gives, and no other IST-coded one',
    (name) => {
      const o = outcomes.find((x) => x.c.name === name)!;
      expect({ missing: o.missing, extra: o.extra }).toEqual({ missing: [], extra: [] });
    },
  );

  it('finds at least 95 % of the expected messages, and no extra one', () => {
    const expected = outcomes.reduce((n, o) => n + o.expected.length, 0);
    const found = outcomes.reduce((n, o) => n + o.found.length, 0);
    const extra = outcomes.reduce((n, o) => n + o.extra.length, 0);
    const report = outcomes
      .filter((o) => o.missing.length || o.extra.length)
      .map((o) => `${o.c.name}: missing ${JSON.stringify(o.missing)} extra ${JSON.stringify(o.extra)}`)
      .join('\n');
    console.log(
      `parity: ${CASES.length} cases, ${expected} expected messages, ${found} found, ${extra} extra\n${report}`,
    );
    expect(extra, report).toBe(0);
    expect(found / expected, report).toBeGreaterThanOrEqual(0.95);
  });
});
