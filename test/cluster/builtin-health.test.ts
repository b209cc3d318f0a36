import { describe, expect, it } from 'vitest';
import { builtinHealth } from '../../scripts/lib/cluster/builtin-health.ts';
import { runLuaHealth } from '../../scripts/lib/cluster/lua-health.ts';

const o = (apiVersion: string, kind: string, spec: unknown, status: unknown, generation?: number) => ({
  apiVersion,
  kind,
  metadata: { name: 'x', ...(generation ? { generation } : {}) },
  spec,
  status,
});

describe('Argo CD built-in health', () => {
  it.each([
    ['Deployment paused', o('apps/v1', 'Deployment', { paused: true }, {}), 'Suspended'],
    [
      'Deployment generation not observed',
      o('apps/v1', 'Deployment', { replicas: 1 }, { observedGeneration: 1 }, 2),
      'Progressing',
    ],
    [
      'Deployment deadline exceeded',
      o(
        'apps/v1',
        'Deployment',
        { replicas: 1 },
        { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] },
      ),
      'Degraded',
    ],
    [
      'Deployment updating',
      o('apps/v1', 'Deployment', { replicas: 3 }, { updatedReplicas: 1, replicas: 3 }),
      'Progressing',
    ],
    [
      'Deployment old pods terminating',
      o('apps/v1', 'Deployment', { replicas: 2 }, { updatedReplicas: 2, replicas: 3, availableReplicas: 2 }),
      'Progressing',
    ],
    [
      'Deployment not yet available',
      o('apps/v1', 'Deployment', { replicas: 2 }, { updatedReplicas: 2, replicas: 2, availableReplicas: 1 }),
      'Progressing',
    ],
    [
      'Deployment healthy',
      o(
        'apps/v1',
        'Deployment',
        { replicas: 2 },
        { updatedReplicas: 2, replicas: 2, availableReplicas: 2, observedGeneration: 1 },
        1,
      ),
      'Healthy',
    ],
    ['StatefulSet not observed', o('apps/v1', 'StatefulSet', { replicas: 3 }, {}), 'Progressing'],
    [
      'StatefulSet pods not ready',
      o('apps/v1', 'StatefulSet', { replicas: 3 }, { observedGeneration: 1, readyReplicas: 1 }),
      'Progressing',
    ],
    [
      'StatefulSet OnDelete',
      o(
        'apps/v1',
        'StatefulSet',
        { replicas: 1, updateStrategy: { type: 'OnDelete' } },
        { observedGeneration: 1, readyReplicas: 1 },
      ),
      'Healthy',
    ],
    [
      'StatefulSet partition pending',
      o(
        'apps/v1',
        'StatefulSet',
        { replicas: 3, updateStrategy: { rollingUpdate: { partition: 1 } } },
        { observedGeneration: 1, readyReplicas: 3, updatedReplicas: 1 },
      ),
      'Progressing',
    ],
    [
      'StatefulSet partition done',
      o(
        'apps/v1',
        'StatefulSet',
        { replicas: 3, updateStrategy: { rollingUpdate: { partition: 1 } } },
        { observedGeneration: 1, readyReplicas: 3, updatedReplicas: 2 },
      ),
      'Healthy',
    ],
    [
      'StatefulSet rolling',
      o(
        'apps/v1',
        'StatefulSet',
        { replicas: 1 },
        { observedGeneration: 1, readyReplicas: 1, updateRevision: 'b', currentRevision: 'a' },
      ),
      'Progressing',
    ],
    [
      'StatefulSet healthy',
      o(
        'apps/v1',
        'StatefulSet',
        { replicas: 1 },
        { observedGeneration: 1, readyReplicas: 1, updateRevision: 'a', currentRevision: 'a' },
      ),
      'Healthy',
    ],
    ['DaemonSet not observed', o('apps/v1', 'DaemonSet', {}, { observedGeneration: 1 }, 2), 'Progressing'],
    [
      'DaemonSet OnDelete',
      o('apps/v1', 'DaemonSet', { updateStrategy: { type: 'OnDelete' } }, {}),
      'Healthy',
    ],
    [
      'DaemonSet updating',
      o('apps/v1', 'DaemonSet', {}, { desiredNumberScheduled: 3, updatedNumberScheduled: 1 }),
      'Progressing',
    ],
    [
      'DaemonSet unavailable',
      o(
        'apps/v1',
        'DaemonSet',
        {},
        { desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 },
      ),
      'Progressing',
    ],
    [
      'DaemonSet healthy',
      o(
        'apps/v1',
        'DaemonSet',
        {},
        { desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 },
      ),
      'Healthy',
    ],
    ['ReplicaSet not observed', o('apps/v1', 'ReplicaSet', {}, { observedGeneration: 1 }, 2), 'Progressing'],
    [
      'ReplicaSet failure',
      o(
        'apps/v1',
        'ReplicaSet',
        { replicas: 1 },
        { conditions: [{ type: 'ReplicaFailure', status: 'True', message: 'quota' }] },
      ),
      'Degraded',
    ],
    [
      'ReplicaSet unavailable',
      o('apps/v1', 'ReplicaSet', { replicas: 2 }, { availableReplicas: 1 }),
      'Progressing',
    ],
    ['ReplicaSet healthy', o('apps/v1', 'ReplicaSet', { replicas: 2 }, { availableReplicas: 2 }), 'Healthy'],
    ['Pod pending', o('v1', 'Pod', {}, { phase: 'Pending' }), 'Progressing'],
    [
      'Pod image pull error',
      o(
        'v1',
        'Pod',
        {},
        {
          phase: 'Pending',
          containerStatuses: [
            { state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "auto"' } } },
          ],
        },
      ),
      'Degraded',
    ],
    [
      'Pod crash looping',
      o(
        'v1',
        'Pod',
        {},
        {
          phase: 'Running',
          containerStatuses: [{ ready: false, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
        },
      ),
      'Degraded',
    ],
    [
      'Pod not ready',
      o('v1', 'Pod', {}, { phase: 'Running', containerStatuses: [{ ready: false }] }),
      'Progressing',
    ],
    ['Pod ready', o('v1', 'Pod', {}, { phase: 'Running', containerStatuses: [{ ready: true }] }), 'Healthy'],
    ['Pod succeeded', o('v1', 'Pod', {}, { phase: 'Succeeded' }), 'Healthy'],
    ['Pod failed', o('v1', 'Pod', {}, { phase: 'Failed' }), 'Degraded'],
    ['Pod unknown', o('v1', 'Pod', {}, { phase: 'Unknown' }), 'Unknown'],
    ['Service ClusterIP', o('v1', 'Service', { type: 'ClusterIP' }, {}), 'Healthy'],
    ['Service LB pending', o('v1', 'Service', { type: 'LoadBalancer' }, {}), 'Progressing'],
    [
      'Service LB ready',
      o('v1', 'Service', { type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } }),
      'Healthy',
    ],
    ['PVC bound', o('v1', 'PersistentVolumeClaim', {}, { phase: 'Bound' }), 'Healthy'],
    ['PVC pending', o('v1', 'PersistentVolumeClaim', {}, { phase: 'Pending' }), 'Progressing'],
    ['PVC lost', o('v1', 'PersistentVolumeClaim', {}, { phase: 'Lost' }), 'Degraded'],
    ['PVC unknown', o('v1', 'PersistentVolumeClaim', {}, {}), 'Unknown'],
    ['Ingress pending', o('networking.k8s.io/v1', 'Ingress', {}, {}), 'Progressing'],
    [
      'Ingress ready',
      o('networking.k8s.io/v1', 'Ingress', {}, { loadBalancer: { ingress: [{ hostname: 'lb' }] } }),
      'Healthy',
    ],
    [
      'Job failed',
      o('batch/v1', 'Job', {}, { conditions: [{ type: 'Failed', status: 'True' }] }),
      'Degraded',
    ],
    [
      'Job complete',
      o('batch/v1', 'Job', {}, { conditions: [{ type: 'Complete', status: 'True' }] }),
      'Healthy',
    ],
    ['Job suspended', o('batch/v1', 'Job', { suspend: true }, {}), 'Suspended'],
    ['Job running', o('batch/v1', 'Job', {}, { active: 1 }), 'Progressing'],
    [
      'HPA cannot scale',
      o(
        'autoscaling/v2',
        'HorizontalPodAutoscaler',
        {},
        { conditions: [{ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale' }] },
      ),
      'Degraded',
    ],
    ['HPA no conditions', o('autoscaling/v2', 'HorizontalPodAutoscaler', {}, {}), 'Progressing'],
    [
      'HPA healthy',
      o(
        'autoscaling/v2',
        'HorizontalPodAutoscaler',
        {},
        {
          conditions: [
            { type: 'AbleToScale', status: 'True' },
            { type: 'ScalingActive', status: 'True' },
          ],
        },
      ),
      'Healthy',
    ],
    [
      'APIService available',
      o(
        'apiregistration.k8s.io/v1',
        'APIService',
        {},
        { conditions: [{ type: 'Available', status: 'True' }] },
      ),
      'Healthy',
    ],
    [
      'APIService unavailable',
      o(
        'apiregistration.k8s.io/v1',
        'APIService',
        {},
        { conditions: [{ type: 'Available', status: 'False', message: 'FailedDiscoveryCheck' }] },
      ),
      'Degraded',
    ],
    ['APIService no condition', o('apiregistration.k8s.io/v1', 'APIService', {}, {}), 'Progressing'],
  ])('%s → %s', (_n, obj, status) => {
    expect(builtinHealth(obj)!.status).toBe(status);
  });

  it('has no opinion on kinds without a built-in check', () => {
    expect(builtinHealth(o('networking.istio.io/v1', 'Gateway', {}, {}))).toBeUndefined();
  });
});

describe('Lua health checks share one VM, never state', () => {
  it('a global one check sets is not there for the next, and obj is each run’s own', () => {
    const setter = 'leak = obj.metadata.name\nreturn { status = "Healthy", message = "" }';
    const reader =
      'if leak == nil then return { status = "Healthy", message = obj.metadata.name } end\nreturn { status = "Degraded", message = leak }';
    expect(runLuaHealth(setter, { metadata: { name: 'a' } })).toEqual({ status: 'Healthy', message: '' });
    expect(runLuaHealth(reader, { metadata: { name: 'b' } })).toEqual({ status: 'Healthy', message: 'b' });
    expect(runLuaHealth('return { status = string.upper("healthy") }', {})).toEqual({
      status: 'HEALTHY',
      message: '',
    });
  });
});
