import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiffJson } from '../../scripts/lib/diff/format-json.ts';
import { COMMENT_LIMIT, COMMENT_MARKER, formatDiffMarkdown } from '../../scripts/lib/diff/format-markdown.ts';
import { formatDiffText } from '../../scripts/lib/diff/format-text.ts';
import type {
  ApplicationDiff,
  DiffResult,
  EnvironmentDiff,
  ResourceChange,
} from '../../scripts/lib/diff/result.ts';
import { REPO_ROOT } from '../helpers/fixture-repo.ts';

const deployment = (
  name: string,
  fields: { path: string; old?: unknown; new?: unknown; note?: never }[],
): ResourceChange => ({
  change: 'changed',
  resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name },
  fields,
});
const app = (
  name: string,
  resources: ResourceChange[],
  extra: Partial<ApplicationDiff> = {},
): ApplicationDiff => ({
  name,
  status: 'changed',
  wave: { old: 3, new: 3 },
  resources,
  charts: [],
  ...extra,
});
const env = (
  name: string,
  applications: ApplicationDiff[] = [],
  chartsNotRendered: string[] = [],
): EnvironmentDiff => ({
  env: name,
  status: applications.length ? 'changed' : 'unchanged',
  applications,
  chartsNotRendered,
});
const result = (environments: EnvironmentDiff[]): DiffResult => ({
  base: { ref: 'main', commit: 'a'.repeat(40), label: 'aaaaaaa (merge base of HEAD and main)' },
  head: { ref: '', label: 'work tree' },
  environments,
  changed: environments.some((e) => e.status !== 'unchanged'),
});

const SAMPLE = result([
  env('dev'),
  env(
    'prod',
    [
      app(
        '',
        [
          {
            change: 'added',
            resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'argocd', name: 'argocd-cm' },
          },
        ],
        { wave: {} },
      ),
      app('web', [
        deployment('web', [
          { path: 'spec.template.spec.containers[web].image', old: 'r/web:1.4.0', new: 'r/web:1.5.0' },
          { path: 'spec.template.spec.containers[web].env[LOG]', new: { name: 'LOG', value: 'json' } },
        ]),
        {
          change: 'changed',
          resource: {
            apiVersion: 'bitnami.com/v1alpha1',
            kind: 'SealedSecret',
            namespace: 'web',
            name: 'creds',
          },
          fields: [{ path: 'spec.encryptedData.password', note: 'sealed value changed' }],
        },
        { change: 'removed', resource: { apiVersion: 'v1', kind: 'Service', namespace: 'web', name: 'old' } },
      ]),
      app('cache', [], {
        status: 'added',
        wave: { new: 2 },
        charts: [
          {
            chart: 'cache',
            repoURL: 'https://charts.example.test',
            newVersion: '1.3.0',
            changes: ['new chart source, not rendered'],
          },
        ],
      }),
      app('api', [], { wave: { old: 1, new: 2 } }),
    ],
    ['cache'],
  ),
]);

describe('formatDiffText', () => {
  it('every change, per environment and Application', () => {
    expect(formatDiffText(SAMPLE)).toBe(
      [
        'Rendered diff: base aaaaaaa (merge base of HEAD and main) → head work tree',
        'dev: no change',
        'prod: 4 Applications changed',
        '  Applications: added cache (wave 2); moved api wave 1 → 2',
        '  clusters/prod (bootstrap): 1 added, 0 changed, 0 removed',
        '    added    ConfigMap argocd/argocd-cm',
        '  web (wave 3): 0 added, 2 changed, 1 removed',
        '    changed  Deployment web/web',
        '      spec.template.spec.containers[web].image: r/web:1.4.0 → r/web:1.5.0',
        '      spec.template.spec.containers[web].env[LOG]: (absent) → {"name":"LOG","value":"json"}',
        '    changed  SealedSecret web/creds',
        '      spec.encryptedData.password: sealed value changed',
        '    removed  Service web/old',
        '  cache (new Application, wave 2): 0 added, 0 changed, 0 removed',
        '    chart cache source changed, not rendered: new chart source, not rendered',
        '  api (moved wave 1 → 2): 0 added, 0 changed, 0 removed',
        'Helm charts not rendered, their output not compared (only their sources are) in prod: cache',
        '',
      ].join('\n'),
    );
  });
});

describe('formatDiffMarkdown', () => {
  it('a summary table, then a collapsed section per changed environment with diff blocks', () => {
    const md = formatDiffMarkdown(SAMPLE);
    expect(md.split('\n').slice(0, 5)).toEqual([
      COMMENT_MARKER,
      '### Rendered diff',
      '',
      'Base `aaaaaaa (merge base of HEAD and main)` → head `work tree`: **1 of 2 environments changes** (prod). No change in dev.',
      '',
    ]);
    expect(md).toContain(
      [
        '| Environment | Application | Added | Changed | Removed | Notes |',
        '| --- | --- | ---: | ---: | ---: | --- |',
        '| prod | clusters/prod (bootstrap) | 1 | 0 | 0 |  |',
        '| prod | web | 0 | 2 | 1 |  |',
        '| prod | cache | 0 | 0 | 0 | new Application (wave 2); chart cache source changed, not rendered: new chart source, not rendered |',
        '| prod | api | 0 | 0 | 0 | moved wave 1 → 2 |',
      ].join('\n'),
    );
    expect(md).toContain('<details>\n<summary><b>prod</b>: 4 Applications changed</summary>\n');
    expect(md).toContain(
      [
        '```diff',
        '@@ changed Deployment web/web @@',
        '- spec.template.spec.containers[web].image: r/web:1.4.0',
        '+ spec.template.spec.containers[web].image: r/web:1.5.0',
        '+ spec.template.spec.containers[web].env[LOG]: {"name":"LOG","value":"json"}',
        '@@ changed SealedSecret web/creds @@',
        '! spec.encryptedData.password: sealed value changed',
        '- removed Service web/old',
        '```',
      ].join('\n'),
    );
    expect(md).toContain(
      '<details>\n<summary>Helm charts not rendered, their output not compared (only their sources are): 1 in prod</summary>\n\n- prod: cache\n\n</details>\n',
    );
    expect(md).not.toContain('<b>dev</b>');
    expect(md.match(/<details>/g)).toHaveLength(2);
    expect(md.match(/<\/details>/g)).toHaveLength(2);
  });

  it('no change: one line', () => {
    expect(formatDiffMarkdown(result([env('dev')]))).toContain('**no rendered change** in any environment.');
  });

  it('stays under the comment limit, cut at whole resources, fences and sections closed, saying what was left out', () => {
    const many = (e: string) =>
      env(e, [
        app(
          'web',
          Array.from({ length: 400 }, (_, i) =>
            deployment(`web-${i}`, [
              { path: 'data["config.yaml"]', old: 'x: 1\n'.repeat(20), new: 'x: 2\n'.repeat(20) },
            ]),
          ),
        ),
      ]);
    const big = result([many('dev'), many('staging'), many('prod')]);
    const md = formatDiffMarkdown(big);
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md.length).toBeGreaterThan(COMMENT_LIMIT - 5_000);
    expect((md.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
    const shown = (md.match(/^@@ changed/gm) ?? []).length;
    const left =
      /\*\*Left out\*\* to stay under GitHub's 65,536-character comment limit: (\d+) resource changes \((.*)\)\./.exec(
        md,
      );
    expect(left).not.toBeNull();
    expect(Number(left![1]) + shown).toBe(1200);
    expect(left![2]).toMatch(/staging: \d+, prod: 400$/);
    // The table is complete: every environment × application row is there.
    expect(md).toContain('| prod | web | 0 | 400 | 0 |');

    const small = formatDiffMarkdown(big, { limit: 3_000 });
    expect(small.length).toBeLessThanOrEqual(3_000);
    expect(small).toContain('**Left out**');
  });

  it('a long multi-line value is capped; backticks in values get a longer fence', () => {
    const md = formatDiffMarkdown(
      result([
        env('dev', [
          app('web', [
            deployment('web', [
              {
                path: 'data.script',
                old: '',
                new: Array.from({ length: 100 }, (_, i) => `line ${i} \`\`\``).join('\n'),
              },
            ]),
          ]),
        ]),
      ]),
    );
    expect(md).toContain('````diff\n');
    expect(md).toContain('… 41 more lines (run the diff locally)');
  });
});

describe('the pull-request workflow', () => {
  it('finds its comment by the marker the markdown starts with, and may write pull requests only', () => {
    const workflow = readFileSync(path.join(REPO_ROOT, '.github/workflows/diff.yml'), 'utf8');
    expect(workflow).toContain(`startswith("${COMMENT_MARKER}")`);
    expect(workflow).toMatch(/permissions:\n  contents: read\n  pull-requests: write\n/);
    expect(workflow).toContain(
      'zx scripts/diff.mjs --base "$base" --head "$HEAD_SHA" --format markdown --output diff.md',
    );
  });
});

describe('formatDiffJson', () => {
  it('is the result itself', () => expect(JSON.parse(formatDiffJson(SAMPLE))).toEqual(SAMPLE));
});
