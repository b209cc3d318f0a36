import type { Finding } from '../finding.ts';
import type { Rule, RuleContext } from '../rule.ts';
import { fqdn, namespaceOf } from '../mesh/hosts.ts';
import { at, ISTIO_NETWORKING, name, ofKind, spec } from './rule-helpers.ts';

/** Protocol prefixes istiod recognises in Service port names (`<protocol>[-<suffix>]`). */
const PROTOCOLS = [
  'http',
  'http2',
  'https',
  'grpc',
  'grpc-web',
  'tcp',
  'tls',
  'mongo',
  'mysql',
  'redis',
  'udp',
];
const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

export const servicePortName: Rule = {
  id: 'mesh/service-port-name',
  severity: 'warning',
  istioCode: 'IST0118',
  title: 'Service ports are named <protocol>[-suffix] or set appProtocol',
  why: 'Without a protocol istiod treats the port as opaque TCP: no HTTP routing, retries or metrics for it.',
  hint: 'name the port http, http-web, grpc, tcp-db, … or set appProtocol',
  check: (ctx) =>
    ctx.resources
      .filter(
        (r) =>
          r.object.apiVersion === 'v1' &&
          r.object.kind === 'Service' &&
          !SYSTEM_NAMESPACES.has(namespaceOf(r)),
      )
      .flatMap((r) =>
        ((spec(r.object).ports ?? []) as { name?: string; appProtocol?: string }[]).flatMap((p, i) => {
          if (p.appProtocol) return [];
          const n = (p.name ?? '').toLowerCase();
          const ok = PROTOCOLS.some((proto) => n === proto || n.startsWith(`${proto}-`));
          return ok
            ? []
            : [
                at(
                  ctx,
                  r,
                  ['spec', 'ports', i],
                  `${name(r)}: port "${p.name ?? '(unnamed)'}" does not name its protocol`,
                ),
              ];
        }),
      ),
};

export const conflictingMeshHosts: Rule = {
  id: 'mesh/conflicting-mesh-hosts',
  severity: 'error',
  istioCode: 'IST0109',
  title: 'No two mesh-bound VirtualServices claim the same host',
  why: 'istiod merges them in an unspecified order: one of the two routing tables silently wins.',
  hint: 'merge the routes into one VirtualService per host',
  check: (ctx) => {
    const seen = new Map<string, string>();
    const out: Finding[] = [];
    for (const vs of ofKind(ctx, ISTIO_NETWORKING, 'VirtualService')) {
      const gateways = (spec(vs.object).gateways ?? []) as string[];
      if (gateways.length && !gateways.includes('mesh')) continue;
      ((spec(vs.object).hosts ?? []) as string[]).forEach((h, i) => {
        const host = fqdn(h, namespaceOf(vs));
        const other = seen.get(host);
        if (other)
          out.push(at(ctx, vs, ['spec', 'hosts', i], `${name(vs)}: host ${host} is also routed by ${other}`));
        else seen.set(host, name(vs));
      });
    }
    return out;
  },
};

const tlsFindings = (
  ctx: RuleContext,
  r: Parameters<typeof at>[1],
  tls: Record<string, any> | undefined,
  path: (string | number)[],
  code: string,
): Finding[] => {
  if (!tls || !['SIMPLE', 'MUTUAL'].includes(tls.mode) || tls.credentialName) return [];
  const out: Finding[] = [];
  if (!tls.caCertificates)
    out.push(
      at(ctx, r, path, `${name(r)}: TLS ${tls.mode} without caCertificates does not verify the server`, {
        istioCode: code,
      }),
    );
  if (!tls.sni || !(tls.subjectAltNames ?? []).length)
    out.push(
      at(ctx, r, path, `${name(r)}: TLS ${tls.mode} should set sni and subjectAltNames`, {
        istioCode: code,
        severity: 'warning',
      }),
    );
  return out;
};

export const destinationRuleTlsVerification: Rule = {
  id: 'mesh/destinationrule-tls-verification',
  severity: 'warning',
  istioCode: 'IST0128',
  title: 'TLS origination verifies the server (caCertificates, sni, subjectAltNames)',
  why: 'Without a CA, SNI and SANs the sidecar accepts any certificate: TLS without authentication of the peer.',
  hint: 'set tls.caCertificates (e.g. /etc/ssl/certs/ca-certificates.crt), sni and subjectAltNames',
  check: (ctx) =>
    ofKind(ctx, ISTIO_NETWORKING, 'DestinationRule').flatMap((r) => {
      const tp = spec(r.object).trafficPolicy ?? {};
      return [
        ...tlsFindings(ctx, r, tp.tls, ['spec', 'trafficPolicy', 'tls'], 'IST0128'),
        ...((tp.portLevelSettings ?? []) as Record<string, any>[]).flatMap((p, i) =>
          tlsFindings(ctx, r, p.tls, ['spec', 'trafficPolicy', 'portLevelSettings', i, 'tls'], 'IST0129'),
        ),
      ];
    }),
};

export const serviceEntryAddresses: Rule = {
  id: 'mesh/serviceentry-addresses',
  severity: 'warning',
  istioCode: 'IST0134',
  title: 'ServiceEntries with TCP ports declare addresses',
  why: 'For plain TCP the sidecar can only tell destinations apart by IP: without addresses it forwards by port only.',
  hint: 'add spec.addresses, or use TLS (SNI) or HTTP protocols on the ports',
  check: (ctx) =>
    ofKind(ctx, ISTIO_NETWORKING, 'ServiceEntry')
      .filter((r) => !(spec(r.object).addresses ?? []).length)
      .filter((r) =>
        ((spec(r.object).ports ?? []) as { protocol?: string }[]).some(
          (p) => !p.protocol || p.protocol.toUpperCase() === 'TCP',
        ),
      )
      .map((r) => at(ctx, r, ['spec', 'ports'], `${name(r)}: TCP ports without spec.addresses`)),
};

export const MESH_SERVICE_RULES: readonly Rule[] = [
  servicePortName,
  conflictingMeshHosts,
  destinationRuleTlsVerification,
  serviceEntryAddresses,
];
