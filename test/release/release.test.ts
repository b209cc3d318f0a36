import { describe, expect, it } from 'vitest';
import { promotionCommitMessage } from '../../scripts/lib/release/commit-message.ts';
import { isOverlayOf, type Pin } from '../../scripts/lib/release/pins.ts';
import { commitSubject, planPromotion, unmatchedOnly } from '../../scripts/lib/release/plan.ts';
import { diffRenders, formatResourceChange } from '../../scripts/lib/release/render-diff.ts';
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
  it('--only selects by Application, full or short image name, or pin key; names nothing else', () => {
    const source = [pin('image:registry.example.test/shop/payment-service', '2.4.0', ['payments'])];
    const target = [pin('image:registry.example.test/shop/payment-service', '2.3.1', ['payments'])];
    for (const o of ['payments', 'payment-service', 'registry.example.test/shop/payment-service'])
      expect(planPromotion(source, target, [o]).changes).toHaveLength(1);
    expect(
      unmatchedOnly(
        ['payments', 'nosuchapp', 'image:registry.example.test/shop/payment-service'],
        source,
        target,
      ),
    ).toEqual(['nosuchapp']);
  });
});

describe('commit message', () => {
  const change = (name: string, from: string, to: string, kind: 'image' | 'chart' = 'image') =>
    planPromotion([pin(`${kind}:${name}`, to)], [pin(`${kind}:${name}`, from)]).changes[0]!;

  it('names pins, not Applications, each move once', () => {
    const changes = [
      change('registry.example.test/shop/payment-service', '2.3.1', '2.4.0'),
      change('istio', '1.30.0', '1.30.1', 'chart'),
      // The same image pinned in two overlays of the environment moves once in the subject.
      {
        ...change('registry.example.test/shop/payment-service', '2.3.1', '2.4.0'),
        file: 'other/kustomization.yaml',
      },
    ];
    expect(commitSubject('promote(dev→staging)', changes)).toBe(
      'promote(dev→staging): payment-service 2.3.1→2.4.0, istio 1.30.0→1.30.1',
    );
  });

  it.each([
    [1, 'promote(staging→prod): svc-0 1.0.0→1.0.1'],
    [3, 'promote(staging→prod): svc-0 1.0.0→1.0.1, svc-1 1.0.0→1.0.1, +1 more'],
    [12, 'promote(staging→prod): svc-0 1.0.0→1.0.1, svc-1 1.0.0→1.0.1, +10 more'],
  ])('%i pins: as many as fit in 72 characters, then +N more', (n, expected) => {
    const changes = Array.from({ length: n }, (_, i) => change(`r/svc-${i}`, '1.0.0', '1.0.1'));
    const subject = commitSubject('promote(staging→prod)', changes);
    expect(subject).toBe(expected);
    expect(subject.length).toBeLessThanOrEqual(72);
  });

  it('a pin too long for the subject still shows, alone', () => {
    const subject = commitSubject('promote(dev→staging)', [
      change('r/img', 'sha256:' + 'a'.repeat(64), 'sha256:' + 'b'.repeat(64)),
      change('r/other', '1', '2'),
    ]);
    expect(subject).toBe('promote(dev→staging): img sha256:aaaaaaaaaaaa→sha256:bbbbbbbbbbbb, +1 more');
  });

  it('body lists every pin; trailers record source, person, hotfix and the live check', () => {
    const changes = Array.from({ length: 12 }, (_, i) => change(`r/svc-${i}`, '1.0.0', '1.0.1'));
    const msg = promotionCommitMessage('staging', 'prod', changes, {
      promotedFrom: 'staging@abc',
      promotionId: 'id1',
      promotedBy: 'Ada <a@x>',
      hotfixReason: 'CVE\nfix',
      liveCheck: 'skipped — prod\ncluster rebuilt',
    });
    expect(msg.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(12);
    expect(msg).toContain('- svc-11 1.0.0 → 1.0.1 (image:r/svc-11, f/image:r/svc-11)');
    expect(msg).toContain(
      '\nPromoted-From: staging@abc\nPromotion-Id: id1\nPromoted-By: Ada <a@x>\nHotfix-Reason: CVE fix\nLive-Check: skipped — prod cluster rebuilt\n',
    );
  });

  it('a rollback reads rollback(env)', () => {
    const msg = promotionCommitMessage(
      'prod',
      'prod',
      [change('r/web', '1.5.0', '1.4.0')],
      {
        promotedFrom: 'prod@abc',
        promotionId: 'id',
        promotedBy: 'Ada <a@x>',
        liveCheck: 'not applicable',
      },
      true,
    );
    expect(msg.split('\n')[0]).toBe('rollback(prod): web 1.5.0→1.4.0');
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
  it('lists added, removed and changed resources with every changed field old → new', () => {
    const changes = diffRenders(
      [r('A', 'x', { a: 1, b: [1, 2], gone: true }), r('B', 'gone', {})],
      [r('A', 'x', { a: 2, b: [1, 3], c: 'new' }), r('C', 'new', {})],
    );
    expect(changes).toEqual([
      {
        id: 'A n/x',
        change: 'changed',
        fields: [
          { path: 'spec.a', from: 1, to: 2 },
          { path: 'spec.b[1]', from: 2, to: 3 },
          { path: 'spec.gone', from: true, to: undefined },
          { path: 'spec.c', from: undefined, to: 'new' },
        ],
      },
      { id: 'B n/gone', change: 'removed', fields: [] },
      { id: 'C n/new', change: 'added', fields: [] },
    ]);
    expect(formatResourceChange(changes[0]!)).toEqual([
      '  ~ A n/x',
      '      spec.a: 1 → 2',
      '      spec.b[1]: 2 → 3',
      '      spec.gone: true → (absent)',
      '      spec.c: (absent) → new',
    ]);
  });

  it('names containers and hides Secret values', () => {
    const dep = (image: string) => ({
      object: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'web' },
        spec: { template: { spec: { containers: [{ name: 'web', image }] } } },
      },
      origin: { file: 'f', line: 1 },
      env: 'e',
      app: 'a',
    });
    const secret = (v: string) => ({
      ...r('Secret', 's', {}),
      object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, data: { k: v } },
    });
    expect(diffRenders([dep('r/web:1.4.0'), secret('b2xk')], [dep('r/web:1.5.0'), secret('bmV3')])).toEqual([
      {
        id: 'Deployment web/web',
        change: 'changed',
        fields: [
          { path: 'spec.template.spec.containers[web].image', from: 'r/web:1.4.0', to: 'r/web:1.5.0' },
        ],
      },
      { id: 'Secret n/s', change: 'changed', fields: [{ path: 'data.k', from: '(hidden)', to: '(hidden)' }] },
    ]);
  });
});
