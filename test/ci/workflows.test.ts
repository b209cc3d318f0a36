import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { MINIMUM_KUBECTL } from '../../scripts/lib/repo/kustomize-version.ts';
import { REPO_ROOT } from '../helpers/fixture-repo.ts';

type Step = { uses?: string; run?: string; with?: Record<string, string>; env?: Record<string, string> };
type Workflow = { jobs: Record<string, { steps: Step[] }> };
const DIR = path.join(REPO_ROOT, '.github', 'workflows');
const workflows = readdirSync(DIR)
  .filter((f) => f.endsWith('.yml'))
  .map((f) => ({ file: f, wf: yaml.load(readFileSync(path.join(DIR, f), 'utf8')) as Workflow }));
/** Commands that render Applications, charts included when helm is there. */
const RENDERS = /scripts\/(validate|diff|render|drift|health|promote)\.mjs|npm run validate/;

describe('GitHub workflows', () => {
  it('every job that renders installs the same pinned helm (the one Argo CD bundles)', () => {
    const versions = new Set<string>();
    let rendering = 0;
    for (const { file, wf } of workflows)
      for (const [name, job] of Object.entries(wf.jobs)) {
        if (!job.steps.some((s) => RENDERS.test(s.run ?? ''))) continue;
        rendering++;
        const helm = job.steps.find((s) => s.uses?.startsWith('azure/setup-helm@'));
        expect(helm?.with?.version, `${file} job ${name}`).toMatch(/^v\d+\.\d+\.\d+$/);
        versions.add(helm!.with!.version!);
      }
    expect(rendering).toBeGreaterThanOrEqual(5);
    expect([...versions]).toHaveLength(1);
  });

  it('every job that renders or runs the tests installs the same pinned kubectl, one the tools accept', () => {
    const versions = new Set<string>();
    let jobs = 0;
    for (const { file, wf } of workflows)
      for (const [name, job] of Object.entries(wf.jobs)) {
        if (!job.steps.some((s) => RENDERS.test(s.run ?? '') || /\bnpm test\b/.test(s.run ?? ''))) continue;
        jobs++;
        const at = job.steps.findIndex((s) => s.uses?.startsWith('azure/setup-kubectl@'));
        const first = job.steps.findIndex(
          (s) => RENDERS.test(s.run ?? '') || /\bnpm test\b/.test(s.run ?? ''),
        );
        expect(at, `${file} job ${name}`).toBeGreaterThanOrEqual(0);
        expect(at, `${file} job ${name}: before the first render`).toBeLessThan(first);
        const version = job.steps[at]!.with?.version ?? '';
        const [, major, minor] = /^v(\d+)\.(\d+)\.\d+$/.exec(version) ?? [];
        expect(Number(major) * 100 + Number(minor), `${file} job ${name}: ${version}`).toBeGreaterThanOrEqual(
          Number(MINIMUM_KUBECTL.split('.')[0]) * 100 + Number(MINIMUM_KUBECTL.split('.')[1]),
        );
        versions.add(version);
      }
    expect(jobs).toBeGreaterThanOrEqual(6);
    expect([...versions]).toHaveLength(1);
  });

  it('the promotion pushes and opens its pull request with a token whose events start the checks', () => {
    const steps = workflows.find((w) => w.file === 'promote.yml')!.wf.jobs.promote!.steps;
    const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@'))!;
    expect(checkout.with?.token).toContain('secrets.PROMOTION_TOKEN');
    const pr = steps.find((s) => /gh pr create/.test(s.run ?? ''))!;
    expect(pr.env?.GH_TOKEN).toContain('secrets.PROMOTION_TOKEN');
  });
});
