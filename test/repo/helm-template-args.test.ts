import { describe, expect, it } from 'vitest';
import type { ApplicationSource } from '../../scripts/lib/repo/application.ts';
import {
  cleanSetParameter,
  envsubst,
  parseKubeVersion,
  templateArgs,
  templateOptions,
  type ClusterCapabilities,
} from '../../scripts/lib/repo/helm-template-args.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';

const VALUES_REF: ApplicationSource = { repoURL: 'https://git.example.test/repo.git', ref: 'values' };
const application = (name: string, namespace: string, source: ApplicationSource): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, namespace: 'argocd' },
  spec: {
    project: 'platform',
    sources: [source, VALUES_REF],
    destination: { server: 'https://kubernetes.default.svc', namespace },
  },
});

/** Value files resolve to `./<file>` and the inline values to Argo CD's placeholder, as its test prints them. */
function args(app: KubeObject, source: ApplicationSource, cluster: ClusterCapabilities = {}): string {
  const o = templateOptions(app, source, cluster);
  return [
    'helm',
    ...templateArgs('.', o, {
      valueFiles: o.valueFiles.map((f) => `./${f}`),
      fileParameters: o.fileParameters.map(([k, f]) => [k, `./${f}`]),
      ...(o.extraValues
        ? { extraValuesFile: '<temp file with values from source.helm.values/valuesObject>' }
        : {}),
    }),
  ].join(' ');
}

// argo-cd reposerver/repository/repository_test.go Test_GenerateManifests_Commands, same input.
const ARGO_CD_CASE: ApplicationSource = {
  repoURL: 'https://charts.example.test',
  chart: 'my-chart',
  targetRevision: '1.0.0',
  helm: {
    fileParameters: [{ name: 'test-file-param-name', path: 'test-file-param.yaml' }],
    parameters: [
      { name: 'test-param-name', value: 'test-value-$ARGOCD_APP_NAME', forceString: true },
      { name: 'test-param-bool-name', value: 'false' },
    ],
    passCredentials: true,
    skipCrds: true,
    skipSchemaValidation: false,
    valueFiles: ['my-chart-values.yaml'],
    values: 'test: values',
  },
};

describe('Application → helm template arguments (as Argo CD builds them)', () => {
  it('matches Argo CD’s own command for the same Application', () => {
    expect(
      args(application('test-app', 'test-namespace', ARGO_CD_CASE), ARGO_CD_CASE, {
        kubernetesVersion: '1.2.3+something',
        apiVersions: ['v1/Test', 'v2/Test'],
      }),
    ).toBe(
      'helm template . --name-template test-app --namespace test-namespace --kube-version 1.2.3 --set test-param-bool-name=false --set-string test-param-name=test-value-test-app --set-file test-file-param-name=./test-file-param.yaml --values ./my-chart-values.yaml --values <temp file with values from source.helm.values/valuesObject> --api-versions v1/Test --api-versions v2/Test',
    );
  });

  it('source overrides win over the cluster’s values and the Application’s name and namespace', () => {
    const source = {
      ...ARGO_CD_CASE,
      helm: {
        ...ARGO_CD_CASE.helm,
        apiVersions: ['v3', 'v4'],
        kubeVersion: '5.6.7+something',
        namespace: 'different-namespace',
        releaseName: 'different-release-name',
      },
    };
    expect(
      args(application('test-app', 'test-namespace', source), source, {
        kubernetesVersion: '1.2.3+something',
        apiVersions: ['v1/Test', 'v2/Test'],
      }),
    ).toBe(
      'helm template . --name-template different-release-name --namespace different-namespace --kube-version 5.6.7 --set test-param-bool-name=false --set-string test-param-name=test-value-test-app --set-file test-file-param-name=./test-file-param.yaml --values ./my-chart-values.yaml --values <temp file with values from source.helm.values/valuesObject> --api-versions v3 --api-versions v4',
    );
  });

  it.each<[string, ApplicationSource['helm'] | undefined, ClusterCapabilities, string]>([
    [
      'no helm block: app name, destination, CRDs included',
      undefined,
      {},
      'helm template . --name-template web --namespace web-ns --include-crds',
    ],
    [
      'cluster version only',
      {},
      { kubernetesVersion: 'v1.33.2-eks-1' },
      'helm template . --name-template web --namespace web-ns --kube-version 1.33.2 --include-crds',
    ],
    [
      'value files keep their order; a $ref prefix stays for the caller to resolve, the rest is substituted',
      {
        valueFiles: ['$values/a.yaml', 'b.yaml', '$values/env/$ARGOCD_APP_NAMESPACE/c.yaml', '$other/d.yaml'],
      },
      {},
      'helm template . --name-template web --namespace web-ns --values ./$values/a.yaml --values ./b.yaml --values ./$values/env/web-ns/c.yaml --values .//d.yaml --include-crds',
    ],
    [
      'skipTests and skipSchemaValidation',
      { skipTests: true, skipSchemaValidation: true },
      {},
      'helm template . --name-template web --namespace web-ns --include-crds --skip-schema-validation --skip-tests',
    ],
    [
      'commas in --set values are escaped, lists and escaped commas kept',
      {
        parameters: [
          { name: 'a', value: 'x,y' },
          { name: 'b', value: '{x,y}' },
          { name: 'c', value: 'x\\,y' },
        ],
      },
      {},
      'helm template . --name-template web --namespace web-ns --set a=x\\,y --set b={x,y} --set c=x\\,y --include-crds',
    ],
    [
      'empty values add no values file',
      { values: '' },
      {},
      'helm template . --name-template web --namespace web-ns --include-crds',
    ],
  ])('%s', (_name, helm, cluster, expected) => {
    const source: ApplicationSource = {
      repoURL: 'https://charts.example.test',
      chart: 'web',
      targetRevision: '1.0.0',
      ...(helm ? { helm } : {}),
    };
    expect(args(application('web', 'web-ns', source), source, cluster)).toBe(expected);
  });

  it('valuesObject wins over values, written as YAML', () => {
    const source: ApplicationSource = {
      chart: 'web',
      helm: { values: 'a: 1\n', valuesObject: { replicas: 2, image: { tag: '1.2' } } },
    };
    expect(templateOptions(application('web', 'ns', source), source, {}).extraValues).toBe(
      "replicas: 2\nimage:\n  tag: '1.2'\n",
    );
  });

  it('a Kubernetes version it cannot parse is an error, as in Argo CD', () => {
    const source: ApplicationSource = { chart: 'web', helm: { kubeVersion: 'latest' } };
    expect(() => templateOptions(application('web', 'ns', source), source, {})).toThrow(
      'could not parse Kubernetes version "latest"',
    );
  });
});

describe('pieces of the mapping', () => {
  it.each([
    ['1.30.11+IKS', '1.30.11'],
    ['v1.31.2-gke.1200', '1.31.2'],
    ['1.33', '1.33'],
    ['v1.031', '1.31'],
  ])('kube version %s → %s', (input, expected) => expect(parseKubeVersion(input)).toBe(expected));

  it.each(['1', 'latest', '01.2'])('kube version %s is refused', (v) =>
    expect(() => parseKubeVersion(v)).toThrow(),
  );

  it.each([
    ['a,b', 'a\\,b'],
    ['{a,b}', '{a,b}'],
    ['a\\,b', 'a\\,b'],
    ['plain', 'plain'],
  ])('set value %s → %s', (input, expected) => expect(cleanSetParameter(input)).toBe(expected));

  it.each([
    ['$ARGOCD_APP_NAME', 'web'],
    ['${ARGOCD_APP_NAME}-x', 'web-x'],
    ['$$ARGOCD_APP_NAME', '$ARGOCD_APP_NAME'],
    ['$UNKNOWN/a', '/a'],
    ['cost: 5$', 'cost: 5$'],
    ['${}x', 'x'],
  ])('envsubst %s → %s', (input, expected) =>
    expect(envsubst(input, { ARGOCD_APP_NAME: 'web' })).toBe(expected),
  );
});
