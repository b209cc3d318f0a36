import { describe, expect, it } from 'vitest';
import { parseSettings, sameRepo, environmentNamed } from '../../scripts/lib/repo/settings.ts';
import { InputError } from '../../scripts/lib/errors.ts';
import { NEWEST_KUBERNETES_VERSION } from '../../scripts/lib/repo/kubernetes-version.ts';

const ok = `repoURL: https://x.test/r.git
environments:
  - name: dev
  - name: staging
    kubeContext: stg
  - name: prod
    argocdNamespace: gitops
`;

describe('settings', () => {
  it('reads environments in order with defaults', () => {
    const s = parseSettings(ok, '/r');
    expect(s.environments.map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
    expect(s.environments[0]!.argocdNamespace).toBe('argocd');
    expect(s.environments[1]!.kubeContext).toBe('stg');
    expect(s.environments[2]!.argocdNamespace).toBe('gitops');
    expect(s.chartRepositories).toEqual([]);
  });

  it('a fourth environment needs no code change', () => {
    const s = parseSettings(`${ok}  - name: prod-eu\n`, '/r');
    expect(s.environments.at(-1)!.name).toBe('prod-eu');
  });

  it.each([
    ['missing repoURL', 'environments:\n  - name: dev\n', /repoURL/],
    ['no environments', 'repoURL: x\nenvironments: []\n', /at least one/],
    ['bad name', 'repoURL: x\nenvironments:\n  - name: Dev_1\n', /DNS label/],
    ['duplicate', 'repoURL: x\nenvironments:\n  - name: a\n  - name: a\n', /twice/],
    ['bad yaml', 'repoURL: [x\n', /invalid YAML/],
  ])('rejects %s with the settings file named', (_n, text, msg) => {
    expect(() => parseSettings(text, '/r')).toThrow(InputError);
    expect(() => parseSettings(text, '/r')).toThrow(msg);
    expect(() => parseSettings(text, '/r')).toThrow(/clusters\/settings\.yaml/);
  });

  it("reads each environment's Kubernetes version, the newest the tools describe when unset", () => {
    const s = parseSettings(`${ok}  - name: edge\n    kubernetesVersion: '1.33'\n`, '/r');
    expect(s.environments.map((e) => e.kubernetesVersion)).toEqual([
      NEWEST_KUBERNETES_VERSION,
      NEWEST_KUBERNETES_VERSION,
      NEWEST_KUBERNETES_VERSION,
      '1.33',
    ]);
  });

  it.each([
    ['unquoted', '1.30', /kubernetesVersion must be a quoted string .*1\.3\)/],
    ['not a minor', "'1.30.2'", /kubernetesVersion must be a Kubernetes minor version such as "1.35"/],
    ['a v prefix', "'v1.30'", /kubernetesVersion must be a Kubernetes minor version/],
    [
      'newer than the schemas',
      "'1.99'",
      /"1.99" is newer than the newest version the tools describe \(1\.36\)/,
    ],
  ])('rejects a kubernetesVersion that is %s at its line', (_n, value, msg) => {
    const text = `repoURL: x\nenvironments:\n  - name: dev\n    kubernetesVersion: ${value}\n`;
    expect(() => parseSettings(text, '/r')).toThrow(msg);
    expect(() => parseSettings(text, '/r')).toThrow(
      /^clusters\/settings\.yaml:4: environments\[0\]\.kubernetesVersion/,
    );
  });

  it.each([
    ['https://github.com/o/r.git', 'https://github.com/o/r', true],
    ['https://github.com/o/r/', 'https://GitHub.com/o/r.git', true],
    ['https://github.com/o/r', 'https://github.com/o/other', false],
  ])('sameRepo(%s, %s) = %s', (a, b, expected) => expect(sameRepo(a, b)).toBe(expected));

  it('names the known environments for an unknown one', () => {
    expect(() => environmentNamed(parseSettings(ok, '/r'), 'qa')).toThrow(/known: dev, staging, prod/);
  });
});
