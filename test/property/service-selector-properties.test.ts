import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serviceSelectsWorkload } from '../../scripts/lib/check/rules/workload-references.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import { findings } from './rule-harness.ts';

// Few namespaces, keys and values, so selectors often match some pods and miss others.
const ns = fc.constantFrom('a', 'b');
const labels = fc.dictionary(fc.constantFrom('app', 'tier', 'version'), fc.constantFrom('x', 'y'), {
  maxKeys: 3,
});

const deployment = (i: number, namespace: string, podLabels: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: `d${i}`, namespace },
  spec: {
    template: { metadata: { labels: podLabels }, spec: { containers: [{ name: 'c', image: 'r/c:1' }] } },
  },
});
const service = (i: number, namespace: string, selector: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: `s${i}`, namespace },
  spec: { selector, ports: [{ port: 80 }] },
});

describe('workload/service-selector-matches looks pods up by label, and finds what comparing every pair finds', () => {
  it('a Service is reported exactly when no pod of its namespace carries all of its selector', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(ns, labels), { maxLength: 6 }),
        fc.array(fc.tuple(ns, labels), { minLength: 1, maxLength: 6 }),
        (pods, services) => {
          const objects = [
            ...pods.map(([n, l], i) => deployment(i, n, l)),
            ...services.map(([n, s], i) => service(i, n, s)),
          ];
          const reported = findings(serviceSelectsWorkload, objects)
            .map((f) => f.message.split(':')[0])
            .sort();
          const expected = services
            .map(([n, selector], i) => ({ n, selector, name: `Service ${n}/s${i}` }))
            .filter(({ selector }) => Object.keys(selector).length > 0)
            .filter(
              ({ n, selector }) =>
                !pods.some(([pn, pl]) => pn === n && Object.entries(selector).every(([k, v]) => pl[k] === v)),
            )
            .map((s) => s.name)
            .sort();
          expect(reported).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
