import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLuaHealth } from '../../scripts/lib/cluster/lua-health.ts';
import { REPO_ROOT } from '../helpers/fixture-repo.ts';

const argocdDir = path.join(REPO_ROOT, 'clusters/base/argocd');
const lua = readFileSync(path.join(argocdDir, 'health/monitoring.coreos.com-config.lua'), 'utf8');

const meta = { metadata: { name: 'x', namespace: 'observability', generation: 2 } };
const binding = (conditions: object[]) => ({
  group: 'monitoring.coreos.com',
  resource: 'prometheuses',
  name: 'kube-prometheus-stack-prometheus',
  namespace: 'observability',
  conditions,
});
const accepted = (status: string, extra: object = {}) => ({ type: 'Accepted', status, ...extra });

describe.each(['ServiceMonitor', 'PodMonitor', 'PrometheusRule'])(
  'monitoring.coreos.com %s health',
  (kind) => {
    it('is registered in argocd-cm', () => {
      expect(readFileSync(path.join(argocdDir, 'kustomization.yaml'), 'utf8')).toContain(
        `resource.customizations.health.monitoring.coreos.com_${kind}=health/monitoring.coreos.com-config.lua`,
      );
    });

    it.each([
      ['no status (status subresource off)', { ...meta, kind }, 'Healthy', ''],
      ['no bindings (no Prometheus selects it)', { ...meta, kind, status: {} }, 'Healthy', ''],
      [
        'accepted at the current generation',
        { ...meta, kind, status: { bindings: [binding([accepted('True', { observedGeneration: 2 })])] } },
        'Healthy',
        '',
      ],
      [
        'rejected',
        {
          ...meta,
          kind,
          status: {
            bindings: [
              binding([
                accepted('False', {
                  reason: 'InvalidConfiguration',
                  message: 'relabeling regex does not compile',
                }),
              ]),
            ],
          },
        },
        'Degraded',
        'observability/kube-prometheus-stack-prometheus: InvalidConfiguration: relabeling regex does not compile',
      ],
      [
        'rejected without reason or message',
        { ...meta, kind, status: { bindings: [binding([accepted('False')])] } },
        'Degraded',
        'observability/kube-prometheus-stack-prometheus: Rejected',
      ],
      [
        'not yet decided',
        { ...meta, kind, status: { bindings: [binding([accepted('Unknown')])] } },
        'Progressing',
        'observability/kube-prometheus-stack-prometheus: not yet accepted',
      ],
      [
        'accepted for an older generation',
        { ...meta, kind, status: { bindings: [binding([accepted('True', { observedGeneration: 1 })])] } },
        'Progressing',
        'observability/kube-prometheus-stack-prometheus: waiting for generation 2',
      ],
      [
        'one of two Prometheus rejects it',
        {
          ...meta,
          kind,
          status: {
            bindings: [
              binding([accepted('True', { observedGeneration: 2 })]),
              { ...binding([accepted('False', { reason: 'InvalidConfiguration' })]), name: 'other' },
            ],
          },
        },
        'Degraded',
        'observability/other: InvalidConfiguration',
      ],
      [
        'binding without conditions yet',
        { ...meta, kind, status: { bindings: [binding([])] } },
        'Healthy',
        '',
      ],
    ])('%s', (_n, obj, status, message) => {
      expect(runLuaHealth(lua, obj)).toEqual({ status, message });
    });
  },
);
