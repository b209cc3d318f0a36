import { performance } from 'node:perf_hooks';
import yaml from 'js-yaml';
import { diffResources } from '../lib/cluster/diff-resources.ts';
import type { KubeObject } from '../lib/repo/resource.ts';
import { syntheticResource } from './synthetic.ts';

/** Drift over a 5,000-object snapshot: live copies with server fields, every tenth one changed. */
export async function benchDrift(count = 5000): Promise<{ objects: number; ms: number; perSecond: number }> {
  const desired = Array.from({ length: count }, (_, i) => yaml.load(syntheticResource(i)) as KubeObject);
  const live = desired.map((o, i) => {
    const copy = structuredClone(o) as KubeObject & { spec?: Record<string, unknown> };
    copy.metadata = { ...copy.metadata, uid: `u${i}`, resourceVersion: String(i), managedFields: [] };
    copy.status = { observedGeneration: 1 };
    if (i % 10 === 0 && copy.spec) copy.spec.replicas = 7;
    return copy;
  });
  const start = performance.now();
  diffResources(
    desired.map((object) => ({ object, ignore: [] })),
    live,
    { trackedBy: () => undefined },
  );
  const ms = performance.now() - start;
  return { objects: count, ms, perSecond: count / (ms / 1000) };
}
