import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/lib/commands/validate.ts';
import { FIXTURES } from '../helpers/fixture-repo.ts';
import { runInProcess } from '../helpers/run-main.ts';

// Outside any repository, as a new user's folder would be: no clusters/validate.yaml applies.
let UPSTREAM = '';
beforeAll(() => {
  UPSTREAM = mkdtempSync(path.join(tmpdir(), 'upstream-'));
  cpSync(path.join(FIXTURES, 'upstream'), UPSTREAM, { recursive: true });
});
afterAll(() => rmSync(UPSTREAM, { recursive: true, force: true }));

/** A gate that cries wolf gets switched off: manifests nobody here wrote pass with no error. */
describe('upstream-style manifests validate with no error', () => {
  it.each(['istio-bookinfo', 'k8s-guestbook', 'argocd-apps'])('%s', async (dir) => {
    const r = await runInProcess(main, ['--files', dir, '--format', 'json'], { cwd: UPSTREAM });
    const report = JSON.parse(r.stdout);
    expect(report.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
    expect(r.code).toBe(0);
    expect(report.summary.resources).toBeGreaterThan(2);
  });

  it('says what it skipped and which alternative it applied', async () => {
    const r = await runInProcess(main, ['--files', 'istio-bookinfo', 'argocd-apps', '--format', 'json'], {
      cwd: UPSTREAM,
    });
    const { notes, findings } = JSON.parse(r.stdout);
    expect(notes).toEqual([
      expect.stringMatching(/^networking\.istio\.io\/v1 VirtualService reviews is defined twice/),
      expect.stringMatching(
        /files skipped, not Kubernetes objects: istio-bookinfo\/demo-profile-no-gateways\.yaml, istio-bookinfo\/ratings_data\.json, argocd-apps\/helm-guestbook\/ \(Helm chart\)/,
      ),
    ]);
    // skaffold's own config has apiVersion and kind but no API group: noted, never an error.
    expect(findings).toContainEqual(
      expect.objectContaining({
        rule: 'schema/unknown-kind',
        severity: 'info',
        file: 'istio-bookinfo/skaffold.yaml',
      }),
    );
    // Policies this repository enforces are still raised, as warnings.
    expect(findings.map((f: { rule: string }) => f.rule)).toEqual(
      expect.arrayContaining(['workload/image-pinned', 'workload/pod-security-restricted']),
    );
  });
});
