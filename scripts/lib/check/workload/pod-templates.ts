import type { Resource } from '../../repo/resource.ts';

export interface PodTemplate {
  resource: Resource;
  spec: Record<string, any>;
  /** JSON path of the pod spec inside the resource, for line lookups. */
  path: (string | number)[];
}

const TEMPLATED = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** Every pod spec the resources define: workload templates, CronJob job templates and bare Pods. */
export function podTemplates(resources: readonly Resource[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const r of resources) {
    const o = r.object as Record<string, any>;
    if (TEMPLATED.has(o.kind) && o.spec?.template?.spec)
      out.push({ resource: r, spec: o.spec.template.spec, path: ['spec', 'template', 'spec'] });
    else if (o.kind === 'CronJob' && o.spec?.jobTemplate?.spec?.template?.spec)
      out.push({
        resource: r,
        spec: o.spec.jobTemplate.spec.template.spec,
        path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
      });
    else if (o.kind === 'Pod' && o.apiVersion === 'v1' && o.spec)
      out.push({ resource: r, spec: o.spec, path: ['spec'] });
  }
  return out;
}

export function containersOf(
  spec: Record<string, any>,
): { container: Record<string, any>; path: (string | number)[] }[] {
  const out: { container: Record<string, any>; path: (string | number)[] }[] = [];
  for (const field of ['initContainers', 'containers'])
    (spec[field] ?? []).forEach((c: Record<string, any>, i: number) =>
      out.push({ container: c, path: [field, i] }),
    );
  return out;
}
