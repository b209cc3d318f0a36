import { describe, expect, it } from 'vitest';
import { promotionCommitMessage } from '../../scripts/lib/release/commit-message.ts';
import { isOverlayOf, type Pin } from '../../scripts/lib/release/pins.ts';
import { planPromotion, summarizeChanges } from '../../scripts/lib/release/plan.ts';
import { diffRenders } from '../../scripts/lib/release/render-diff.ts';
import { replaceScalar } from '../../scripts/lib/release/yaml-scalar-edit.ts';

const pin = (key: string, value: string, apps = ['web']): Pin => ({
  key,
  kind: key.startsWith('chart:') ? 'chart' : 'image',
  name: key.slice(key.indexOf(':') + 1),
  value,
  file: `f/${key}`,
  path: ['p'],
  apps,
});

describe('replaceScalar', () => {
  it.each([
    [
      'plain stays plain',
      'a:\n  newTag: 1.4.0 # tag\n',
      ['a', 'newTag'],
      '1.5.0',
      'a:\n  newTag: 1.5.0 # tag\n',
    ],
    [
      'double quotes stay',
      'data:\n  istio: "1.29.2"\n',
      ['data', 'istio'],
      '1.30.3',
      'data:\n  istio: "1.30.3"\n',
    ],
    [
      'single quotes stay',
      "data:\n  istio: '1.29.2'\n",
      ['data', 'istio'],
      '1.30.3',
      "data:\n  istio: '1.30.3'\n",
    ],
    ['a value that would read as a number is quoted', 'x: v1\n', ['x'], '2', 'x: "2"\n'],
    [
      'sequence index',
      'images:\n  - name: a\n    newTag: "1"\n  - name: b\n    newTag: "2"\n',
      ['images', 1, 'newTag'],
      '3',
      'images:\n  - name: a\n    newTag: "1"\n  - name: b\n    newTag: "3"\n',
    ],
    [
      'digest',
      'images:\n  - name: a\n    digest: sha256:aa\n',
      ['images', 0, 'digest'],
      'sha256:bb',
      'images:\n  - name: a\n    digest: sha256:bb\n',
    ],
  ])('%s', (_n, text, p, value, expected) => {
    expect(replaceScalar(text, p as (string | number)[], value)).toBe(expected);
  });
  it('refuses a path that is not there', () => {
    expect(() => replaceScalar('a: 1\n', ['b'], '2')).toThrow(/no value at b/);
  });
});

describe('planPromotion', () => {
  it('moves differing pins by key, never adds, honours --only', () => {
    const source = [
      pin('image:web', '1.5.0'),
      pin('chart:istio', '1.30.3', ['istiod', 'istio-base']),
      pin('image:new', '1.0.0', ['new']),
    ];
    const target = [pin('image:web', '1.4.0'), pin('chart:istio', '1.30.3', ['istiod', 'istio-base'])];
    expect(planPromotion(source, target)).toMatchObject({
      changes: [{ key: 'image:web', from: '1.4.0', to: '1.5.0' }],
      notInTarget: ['image:new'],
    });
    expect(planPromotion(source, target, ['istiod']).changes).toEqual([]);
    expect(planPromotion(source, target, ['web']).changes).toHaveLength(1);
    expect(planPromotion(source, source).changes).toEqual([]);
  });
  it('summarises for the commit subject', () => {
    const { changes } = planPromotion(
      [pin('image:api', '1.5.0', ['backend-api']), pin('chart:istio', '1.30.3')],
      [pin('image:api', '1.4.0', ['backend-api']), pin('chart:istio', '1.29.2')],
    );
    expect(summarizeChanges(changes)).toBe('backend-api 1.4.0→1.5.0, istio 1.29.2→1.30.3');
    const msg = promotionCommitMessage('staging', 'prod', changes, {
      promotedFrom: 'staging@abc',
      promotionId: 'id1',
      promotedBy: 'Ada <a@x>',
      hotfixReason: 'CVE\nfix',
    });
    expect(msg.split('\n')[0]).toBe('promote(staging→prod): backend-api 1.4.0→1.5.0, istio 1.29.2→1.30.3');
    expect(msg).toContain(
      '\nPromoted-From: staging@abc\nPromotion-Id: id1\nPromoted-By: Ada <a@x>\nHotfix-Reason: CVE fix\n',
    );
  });
});

describe('isOverlayOf', () => {
  it.each([
    ['platform/web/overlays/prod', 'prod', true],
    ['apps/overlays/staging', 'staging', true],
    ['platform/web/overlays/prod-eu', 'prod', false],
    ['platform/web/base', 'prod', false],
    ['clusters/prod/argocd', 'prod', false],
  ])('%s belongs to %s: %s', (dir, env, expected) => expect(isOverlayOf(dir, env)).toBe(expected));
});

describe('diffRenders', () => {
  const r = (kind: string, name: string, spec: unknown) => ({
    object: { apiVersion: 'v1', kind, metadata: { name, namespace: 'n' }, spec },
    origin: { file: 'f', line: 1 },
    env: 'e',
    app: 'a',
  });
  it('lists added, removed and changed resources with changed field counts', () => {
    expect(
      diffRenders(
        [r('A', 'x', { a: 1, b: [1, 2] }), r('B', 'gone', {})],
        [r('A', 'x', { a: 2, b: [1, 3] }), r('C', 'new', {})],
      ),
    ).toEqual([
      { id: 'A n/x', change: 'changed', fields: 2 },
      { id: 'B n/gone', change: 'removed', fields: 0 },
      { id: 'C n/new', change: 'added', fields: 0 },
    ]);
  });
});
