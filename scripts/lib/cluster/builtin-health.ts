import type { KubeObject } from '../repo/resource.ts';

export type HealthStatus = 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
export interface Health {
  status: HealthStatus;
  message: string;
}

type Obj = KubeObject & { spec?: any; status?: any };
const cond = (o: Obj, type: string) =>
  (
    (o.status?.conditions ?? []) as { type: string; status: string; reason?: string; message?: string }[]
  ).find((c) => c.type === type);
const h = (status: HealthStatus, message = ''): Health => ({ status, message });
const generationObserved = (o: Obj) =>
  (o.metadata?.generation as number | undefined) === undefined ||
  (o.status?.observedGeneration ?? 0) >= (o.metadata!.generation as number);

/** Argo CD's built-in health checks (gitops-engine pkg/health), ported; undefined when a kind has none. */
export function builtinHealth(o: Obj): Health | undefined {
  const group = o.apiVersion?.includes('/') ? o.apiVersion.split('/')[0] : '';
  switch (`${group}/${o.kind}`) {
    case 'apps/Deployment':
      return deployment(o);
    case 'apps/StatefulSet':
      return statefulSet(o);
    case 'apps/DaemonSet':
      return daemonSet(o);
    case 'apps/ReplicaSet':
      return replicaSet(o);
    case '/Pod':
      return pod(o);
    case '/Service':
      return o.spec?.type === 'LoadBalancer' && !(o.status?.loadBalancer?.ingress ?? []).length
        ? h('Progressing', 'Waiting for the load balancer address')
        : h('Healthy');
    case '/PersistentVolumeClaim':
      return (
        {
          Bound: h('Healthy'),
          Pending: h('Progressing', 'Waiting for a volume'),
          Lost: h('Degraded', 'The bound volume is lost'),
        }[o.status?.phase as string] ?? h('Unknown', `phase ${o.status?.phase ?? 'unset'}`)
      );
    case 'networking.k8s.io/Ingress':
      return (o.status?.loadBalancer?.ingress ?? []).length
        ? h('Healthy')
        : h('Progressing', 'Waiting for the ingress address');
    case 'batch/Job':
      return job(o);
    case 'autoscaling/HorizontalPodAutoscaler':
      return hpa(o);
    case 'apiregistration.k8s.io/APIService': {
      const c = cond(o, 'Available');
      if (!c) return h('Progressing', 'Waiting to be available');
      return c.status === 'True'
        ? h('Healthy', c.message ?? '')
        : h('Degraded', c.message ?? c.reason ?? 'Not available');
    }
    default:
      return undefined;
  }
}

function deployment(o: Obj): Health {
  if (o.spec?.paused) return h('Suspended', 'Deployment is paused');
  if (!generationObserved(o))
    return h(
      'Progressing',
      'Waiting for rollout to finish: observed deployment generation less than desired generation',
    );
  const c = cond(o, 'Progressing');
  if (c?.reason === 'ProgressDeadlineExceeded')
    return h('Degraded', `Deployment "${o.metadata?.name}" exceeded its progress deadline`);
  const want = o.spec?.replicas ?? 1;
  const s = o.status ?? {};
  if ((s.updatedReplicas ?? 0) < want)
    return h(
      'Progressing',
      `Waiting for rollout to finish: ${s.updatedReplicas ?? 0} out of ${want} new replicas have been updated...`,
    );
  if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0))
    return h(
      'Progressing',
      `Waiting for rollout to finish: ${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas are pending termination...`,
    );
  if ((s.availableReplicas ?? 0) < (s.updatedReplicas ?? 0))
    return h(
      'Progressing',
      `Waiting for rollout to finish: ${s.availableReplicas ?? 0} of ${s.updatedReplicas} updated replicas are available...`,
    );
  return h('Healthy');
}

function statefulSet(o: Obj): Health {
  const s = o.status ?? {};
  if (!s.observedGeneration || !generationObserved(o))
    return h('Progressing', 'Waiting for statefulset spec update to be observed...');
  const want = o.spec?.replicas ?? 1;
  if ((s.readyReplicas ?? 0) < want)
    return h('Progressing', `Waiting for ${want - (s.readyReplicas ?? 0)} pods to be ready...`);
  const strategy = o.spec?.updateStrategy ?? {};
  if (strategy.type === 'OnDelete')
    return h('Healthy', 'statefulset has OnDelete update strategy: not waiting for pods to be updated');
  const partition = strategy.rollingUpdate?.partition ?? 0;
  if (partition > 0) {
    if ((s.updatedReplicas ?? 0) < want - partition)
      return h(
        'Progressing',
        `Waiting for partitioned roll out to finish: ${s.updatedReplicas ?? 0} out of ${want - partition} new pods have been updated...`,
      );
    return h('Healthy', `partitioned roll out complete: ${s.updatedReplicas} new pods have been updated...`);
  }
  if (s.updateRevision && s.updateRevision !== s.currentRevision)
    return h(
      'Progressing',
      `waiting for statefulset rolling update to complete ${s.updatedReplicas ?? 0} pods at revision ${s.updateRevision}...`,
    );
  return h(
    'Healthy',
    `statefulset rolling update complete ${s.currentReplicas ?? want} pods at revision ${s.currentRevision ?? ''}...`.trim(),
  );
}

function daemonSet(o: Obj): Health {
  const s = o.status ?? {};
  if (!generationObserved(o))
    return h(
      'Progressing',
      'Waiting for rollout to finish: observed daemon set generation less than desired generation',
    );
  if (o.spec?.updateStrategy?.type === 'OnDelete')
    return h('Healthy', 'daemon set has OnDelete update strategy');
  if ((s.updatedNumberScheduled ?? 0) < (s.desiredNumberScheduled ?? 0))
    return h(
      'Progressing',
      `Waiting for daemon set "${o.metadata?.name}" rollout to finish: ${s.updatedNumberScheduled ?? 0} out of ${s.desiredNumberScheduled} new pods have been updated...`,
    );
  if ((s.numberAvailable ?? 0) < (s.desiredNumberScheduled ?? 0))
    return h(
      'Progressing',
      `Waiting for daemon set "${o.metadata?.name}" rollout to finish: ${s.numberAvailable ?? 0} of ${s.desiredNumberScheduled} updated pods are available...`,
    );
  return h('Healthy');
}

function replicaSet(o: Obj): Health {
  if (!generationObserved(o))
    return h(
      'Progressing',
      'Waiting for rollout to finish: observed replica set generation less than desired generation',
    );
  const failure = cond(o, 'ReplicaFailure');
  if (failure?.status === 'True') return h('Degraded', failure.message ?? 'Replica failure');
  const want = o.spec?.replicas ?? 1;
  if ((o.status?.availableReplicas ?? 0) < want)
    return h(
      'Progressing',
      `Waiting for rollout to finish: ${o.status?.availableReplicas ?? 0} out of ${want} new replicas are available...`,
    );
  return h('Healthy');
}

const BAD_WAIT =
  /^(ErrImagePull|ImagePullBackOff|CrashLoopBackOff|CreateContainerConfigError|InvalidImageName|CreateContainerError|RunContainerError)$/;

function pod(o: Obj): Health {
  const statuses = [...(o.status?.initContainerStatuses ?? []), ...(o.status?.containerStatuses ?? [])] as {
    ready?: boolean;
    state?: { waiting?: { reason?: string; message?: string } };
  }[];
  const bad = statuses.find((c) => BAD_WAIT.test(c.state?.waiting?.reason ?? ''));
  switch (o.status?.phase) {
    case 'Pending':
      return bad
        ? h('Degraded', bad.state!.waiting!.message ?? bad.state!.waiting!.reason!)
        : h('Progressing', o.status?.message ?? '');
    case 'Succeeded':
      return h('Healthy', o.status?.message ?? '');
    case 'Failed':
      return h('Degraded', o.status?.message ?? 'Pod failed');
    case 'Running': {
      if (bad) return h('Degraded', bad.state!.waiting!.message ?? bad.state!.waiting!.reason!);
      const ready = ((o.status?.containerStatuses ?? []) as { ready?: boolean }[]).every((c) => c.ready);
      return ready ? h('Healthy') : h('Progressing', 'Waiting for containers to be ready');
    }
    default:
      return h('Unknown', o.status?.message ?? '');
  }
}

function job(o: Obj): Health {
  if (cond(o, 'Failed')?.status === 'True') return h('Degraded', cond(o, 'Failed')!.message ?? 'Job failed');
  if (cond(o, 'Complete')?.status === 'True') return h('Healthy', cond(o, 'Complete')!.message ?? '');
  if (o.spec?.suspend === true) return h('Suspended', 'Job is suspended');
  return h('Progressing', 'Job is running');
}

function hpa(o: Obj): Health {
  for (const type of ['AbleToScale', 'ScalingActive']) {
    const c = cond(o, type);
    if (c?.status === 'False' && c.reason !== 'ScalingDisabled')
      return h('Degraded', c.message ?? c.reason ?? `${type} is False`);
  }
  if (!cond(o, 'AbleToScale') && !cond(o, 'ScalingActive'))
    return h('Progressing', 'Waiting for the HPA to report its conditions');
  return h('Healthy', cond(o, 'ScalingLimited')?.message ?? '');
}
