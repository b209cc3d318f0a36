import type { Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';
import type { Resource } from '../../repo/resource.ts';
import { fqdn, namespaceOf } from '../mesh/hosts.ts';
import { lookupService, serviceRegistry } from '../mesh/service-registry.ts';
import { at, ISTIO_NETWORKING, name, ofKind, spec } from './rule-helpers.ts';

const selectorKey = (s: unknown) =>
  JSON.stringify(Object.entries((s ?? {}) as Record<string, string>).sort());
const bareHost = (h: string) => (h.includes('/') ? h.slice(h.indexOf('/') + 1) : h);

export const gatewayConflict: Rule = {
  id: 'mesh/gateway-conflict',
  severity: 'error',
  istioCode: 'IST0145',
  title: 'No two Gateways claim the same selector, port and host',
  why: 'The gateway proxy receives both servers and keeps one: the other Gateway silently stops serving that host.',
  hint: 'merge the servers into one Gateway, or give each its own host',
  check: (ctx) => {
    const seen = new Map<string, string>();
    const out: Finding[] = [];
    for (const g of ofKind(ctx, ISTIO_NETWORKING, 'Gateway'))
      ((spec(g.object).servers ?? []) as Record<string, any>[]).forEach((s, i) =>
        ((s.hosts ?? []) as string[]).forEach((h, j) => {
          const key = `${selectorKey(spec(g.object).selector)}|${s.port?.number}|${bareHost(h)}`;
          const other = seen.get(key);
          if (other && other !== name(g))
            out.push(
              at(
                ctx,
                g,
                ['spec', 'servers', i, 'hosts', j],
                `${name(g)}: port ${s.port?.number} host ${bareHost(h)} is also served by ${other}`,
              ),
            );
          else seen.set(key, name(g));
        }),
      );
    return out;
  },
};

export const duplicateCertificate: Rule = {
  id: 'mesh/gateway-duplicate-certificate',
  severity: 'warning',
  istioCode: 'IST0138',
  title: 'A certificate is used by one Gateway only',
  why: 'Browsers reuse an HTTP/2 connection for every host a certificate covers; a second Gateway with it then answers 404.',
  hint: 'serve the hosts from one Gateway, or issue separate certificates',
  check: (ctx) => {
    const seen = new Map<string, string>();
    const out: Finding[] = [];
    for (const g of ofKind(ctx, ISTIO_NETWORKING, 'Gateway'))
      ((spec(g.object).servers ?? []) as Record<string, any>[]).forEach((s, i) => {
        const cred = s.tls?.credentialName;
        if (!cred) return;
        const key = `${namespaceOf(g)}/${cred}`;
        const other = seen.get(key);
        if (other && other !== name(g))
          out.push(
            at(
              ctx,
              g,
              ['spec', 'servers', i, 'tls', 'credentialName'],
              `${name(g)}: certificate ${cred} is also used by ${other}`,
            ),
          );
        else seen.set(key, name(g));
      });
    return out;
  },
};

function oneDefaultPerNamespace(
  kind: 'Sidecar' | 'Telemetry',
  group: RegExp,
  code: string,
  id: string,
): Rule {
  return {
    id,
    severity: 'error',
    istioCode: code,
    title: `At most one ${kind} without a workload selector per namespace`,
    why: `With several namespace-wide ${kind}s istiod picks one arbitrarily; the others are ignored.`,
    hint: `merge them into one ${kind}, or give all but one a workload selector`,
    check: (ctx) => {
      const byNs = new Map<string, Resource[]>();
      for (const r of ofKind(ctx, group, kind)) {
        const s = spec(r.object);
        if (s.workloadSelector || s.selector || s.targetRef || s.targetRefs) continue;
        byNs.set(namespaceOf(r), [...(byNs.get(namespaceOf(r)) ?? []), r]);
      }
      return [...byNs.values()]
        .filter((rs) => rs.length > 1)
        .flatMap((rs) =>
          rs
            .slice(1)
            .map((r) =>
              at(
                ctx,
                r,
                ['spec'],
                `${name(r)}: ${rs.length} ${kind}s without a selector in namespace ${namespaceOf(r)}`,
              ),
            ),
        );
    },
  };
}

export const multipleDefaultSidecars = oneDefaultPerNamespace(
  'Sidecar',
  ISTIO_NETWORKING,
  'IST0111',
  'mesh/multiple-default-sidecars',
);
export const multipleDefaultTelemetries = oneDefaultPerNamespace(
  'Telemetry',
  /^telemetry\.istio\.io\//,
  'IST0160',
  'mesh/multiple-default-telemetries',
);

export const destinationRuleHostExists: Rule = {
  id: 'mesh/destinationrule-host-exists',
  severity: 'warning',
  istioCode: 'IST0174',
  title: 'DestinationRules apply to a host the mesh knows',
  why: 'A DestinationRule for an unknown host (often a typo or a wrong namespace) changes nothing: its TLS and circuit breaking never apply.',
  hint: 'point spec.host at a Service (short name in the same namespace, or <name>.<namespace>) or a ServiceEntry host',
  check: (ctx) => {
    const registry = serviceRegistry(ctx.resources);
    return ofKind(ctx, ISTIO_NETWORKING, 'DestinationRule')
      .filter((r) => typeof spec(r.object).host === 'string' && !spec(r.object).host.includes('*'))
      .filter((r) => !lookupService(registry, spec(r.object).host, namespaceOf(r)))
      .map((r) =>
        at(
          ctx,
          r,
          ['spec', 'host'],
          `${name(r)}: host ${fqdn(spec(r.object).host, namespaceOf(r))} is not a Service or ServiceEntry`,
        ),
      );
  },
};

export const MESH_UNIQUENESS_RULES: readonly Rule[] = [
  gatewayConflict,
  duplicateCertificate,
  multipleDefaultSidecars,
  multipleDefaultTelemetries,
  destinationRuleHostExists,
];
