import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validate } from '../../scripts/lib/commands/validate.ts';
import { FIXTURES, fixtureRepo, renderCache } from '../helpers/fixture-repo.ts';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const KUSTOMIZATION = 'workloads/web/overlays/dev/kustomization.yaml';
const BASE = 'workloads/web/base/deployment.yaml';
const overlay = (extra: string) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: web
resources:
  - ../../base
images:
  - name: registry.example.test/web
    newTag: 1.4.0
${extra}`;

async function findings(overrides: Record<string, string>) {
  const fx = fixtureRepo('validate/clean', overrides);
  cleanups.push(fx.cleanup);
  const r = await validate({ cwd: fx.dir, envs: ['dev'], cacheDir: renderCache() });
  return r.findings.map((f) => ({ rule: f.rule, file: f.file, line: f.line }));
}

describe('findings point where the fix goes', () => {
  it('a typo in an overlay’s strategic merge patch: at the patch file and line', async () => {
    expect(
      await findings({
        [KUSTOMIZATION]: overlay('patches:\n  - path: web.patch.yaml\n'),
        'workloads/web/overlays/dev/web.patch.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          imagePullPolicyy: Always
`,
      }),
    ).toEqual([
      { rule: 'schema/unknown-field', file: 'workloads/web/overlays/dev/web.patch.yaml', line: 10 },
    ]);
  });

  it('a bad value an inline JSON 6902 patch sets: at its line in the kustomization', async () => {
    expect(
      await findings({
        [KUSTOMIZATION]: overlay(`patches:
  - target:
      kind: Deployment
      name: web
    patch: |-
      - op: replace
        path: /spec/replicas
        value: two
`),
      }),
    ).toEqual([{ rule: 'schema/type', file: KUSTOMIZATION, line: 15 }]);
  });

  it('an image tag the overlay sets: at the overlay’s images entry', async () => {
    expect(
      await findings({ [KUSTOMIZATION]: overlay('').replace('newTag: 1.4.0', 'newTag: latest') }),
    ).toEqual([{ rule: 'workload/image-pinned', file: KUSTOMIZATION, line: 8 }]);
  });

  it('a field the patch does not touch: still at the base file', async () => {
    const base = readFileSync(path.join(FIXTURES, 'validate/clean', BASE), 'utf8');
    expect(
      await findings({
        [KUSTOMIZATION]: overlay('patches:\n  - path: web.patch.yaml\n'),
        'workloads/web/overlays/dev/web.patch.yaml':
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n',
        [BASE]: base.replace('          image:', '          imagePullPolicyy: Always\n          image:'),
      }),
    ).toEqual([{ rule: 'schema/unknown-field', file: BASE, line: 21 }]);
  });
});
