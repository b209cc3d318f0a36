import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validate } from '../../../scripts/lib/commands/validate.ts';
import { scratchCopy } from '../../../scripts/lib/release/scratch-copy.ts';
import { REPO_ROOT, renderCache } from '../../helpers/fixture-repo.ts';

// One copy of this repository for the file: each test edits one file in it and puts it back.
let copy: { dir: string; dispose(): void };
beforeAll(() => {
  copy = scratchCopy(REPO_ROOT, new Map());
});
afterAll(() => copy.dispose());
const restores: (() => void)[] = [];
afterEach(() => restores.splice(0).forEach((r) => r()));

/** This repository with one file edited, validated (unedited it has no finding: repo.test.ts). */
async function findingsWith(file: string, edit: (text: string) => string, envs: string[]) {
  const original = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const target = path.join(copy.dir, file);
  // The copy's files are hard links to this repository's: replace the file, never write through it.
  const replace = (text: string) => {
    rmSync(target);
    writeFileSync(target, text);
  };
  replace(edit(original));
  restores.push(() => replace(original));
  const { findings } = await validate({ cwd: copy.dir, envs, cacheDir: renderCache() });
  return findings.map((f) => ({ rule: f.rule, file: f.file, line: f.line, env: f.env }));
}

describe('environment policy rules on this repository', () => {
  it('egress must be REGISTRY_ONLY after the first environment', async () => {
    const f = await findingsWith(
      'istio/control-plane/values/staging/istiod.yaml',
      (t) => t.replace('REGISTRY_ONLY', 'ALLOW_ANY'),
      ['dev', 'staging'],
    );
    expect(f).toEqual([
      {
        rule: 'mesh/egress-registry-only',
        file: 'istio/control-plane/values/staging/istiod.yaml',
        line: 4,
        env: 'staging',
      },
    ]);
  });

  it('istiod resources stay within the seed bounds', async () => {
    const f = await findingsWith(
      'istio/control-plane/values/istiod.yaml',
      (t) => t.replace('cpu: 2000m', 'cpu: 3000m'),
      ['dev'],
    );
    // At the line that sets it, in the value file that sets it (not the environment's file, which does not).
    expect(f).toEqual([
      { rule: 'mesh/istiod-resources', file: 'istio/control-plane/values/istiod.yaml', line: 19, env: 'dev' },
    ]);
  });

  it('access logs must be JSON', async () => {
    const f = await findingsWith(
      'istio/control-plane/values/istiod.yaml',
      (t) => t.replace('accessLogEncoding: JSON', 'accessLogEncoding: TEXT'),
      ['prod'],
    );
    expect(f).toEqual([
      expect.objectContaining({
        rule: 'mesh/access-log-json',
        file: 'istio/control-plane/values/istiod.yaml',
      }),
    ]);
  });

  it('mesh-wide mTLS must be STRICT after the first environment', async () => {
    const f = await findingsWith(
      'istio/base/peerauthentication-mesh-strict.yaml',
      (t) => t.replace('mode: STRICT', 'mode: PERMISSIVE'),
      ['dev', 'staging', 'prod'],
    );
    expect(f).toEqual([
      {
        rule: 'mesh/mtls-strict',
        file: 'istio/base/peerauthentication-mesh-strict.yaml',
        line: 9,
        env: 'staging,prod',
      },
    ]);
  });

  it('tracing samples within 0–100 % through a configured provider', async () => {
    const f = await findingsWith(
      'istio/base/telemetry-mesh-default.yaml',
      (t) =>
        t
          .replace('name: otel-tracing', 'name: zipkin')
          .replace('randomSamplingPercentage: 1', 'randomSamplingPercentage: 150'),
      ['prod'],
    );
    expect(f.map((x) => `${x.rule}:${x.line}`).sort()).toEqual([
      'mesh/tracing-sampling:14',
      'mesh/tracing-sampling:15',
      'schema/other:15',
    ]);
  });

  it('argocd-cm needs a health check for every custom kind deployed', async () => {
    const f = await findingsWith(
      'clusters/base/argocd/kustomization.yaml',
      (t) => t.replace(/\n.*networking\.istio\.io_Gateway=.*/, ''),
      ['dev'],
    );
    expect(f).toEqual([
      { rule: 'argocd/health-checks', file: 'istio/base/gateway-public.yaml', line: 3, env: 'dev' },
    ]);
  });
});

describe('cross-environment version order', () => {
  it('warns when a later environment runs a newer chart than the one before it', async () => {
    const f = await findingsWith(
      'apps/overlays/prod/release-pins.yaml',
      (t) => t.replace(/istio: .*/, "istio: '1.31.0'"),
      ['dev', 'staging', 'prod'],
    );
    expect(f.map((x) => `${x.rule} ${x.env} ${x.file}`).sort()).toEqual([
      'promotion/version-order prod apps/base/istio-base.yaml',
      'promotion/version-order prod apps/base/istio-cni.yaml',
      'promotion/version-order prod apps/base/istio-ingress.yaml',
      'promotion/version-order prod apps/base/istiod.yaml',
    ]);
  });
});
