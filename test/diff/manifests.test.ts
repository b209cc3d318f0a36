import { describe, expect, it } from 'vitest';
import {
  formatApplicationManifests,
  manifestFileName,
  maskSecret,
} from '../../scripts/lib/diff/manifests.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';

describe('manifests', () => {
  it.each<[string, KubeObject, KubeObject]>([
    [
      'a v1 Secret is masked',
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'YQ==' }, type: 'Opaque' },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: '++++++++' }, type: 'Opaque' },
    ],
    [
      'a SealedSecret is ciphertext already: kept',
      {
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        metadata: { name: 's' },
        spec: { encryptedData: { a: 'AgB' } },
      },
      {
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        metadata: { name: 's' },
        spec: { encryptedData: { a: 'AgB' } },
      },
    ],
    [
      'a ConfigMap is kept',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } },
    ],
  ])('%s', (_name, input, expected) => expect(maskSecret(input)).toEqual(expected));

  it.each([
    ['', '_bootstrap.yaml'],
    ['istiod', 'istiod.yaml'],
    ['a/b', 'a-b.yaml'],
  ])('%j goes to %s', (name, file) => expect(manifestFileName(name)).toBe(file));

  it('an Application section is a YAML stream headed by a comment', () => {
    expect(
      formatApplicationManifests('dev', {
        name: 'web',
        wave: 3,
        objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }],
        chartsNotRendered: [],
      }),
    ).toBe('# Application web (wave 3)\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
  });
});
