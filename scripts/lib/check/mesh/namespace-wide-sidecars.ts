import type { RuleContext } from '../rule.ts';
import type { Resource } from '../../repo/resource.ts';
import { appendTo } from '../../collections/map-of-lists.ts';
import { analysisScope, NETWORKING } from './analysis-scope.ts';
import { namespaceOf } from './hosts.ts';

/** Sidecars without a workload selector (or with an empty one), by namespace: each namespace's default. */
export function namespaceWideSidecars(ctx: Pick<RuleContext, 'resources'>): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const r of analysisScope(ctx).of(NETWORKING, 'Sidecar')) {
    const selector = (r.object as { spec?: { workloadSelector?: { labels?: object } } }).spec
      ?.workloadSelector;
    if (Object.keys(selector?.labels ?? {}).length > 0) continue;
    appendTo(out, namespaceOf(r), r);
  }
  return out;
}
