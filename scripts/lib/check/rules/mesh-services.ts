import type { Rule, RuleContext } from '../rule.ts';
import type { Resource } from '../../repo/resource.ts';
import { analysisScope, NETWORKING } from '../mesh/analysis-scope.ts';
import { convertHostToFqdn, hostMatches, namespaceOf } from '../mesh/hosts.ts';
import { meshConfigOf } from '../mesh/mesh-config-values.ts';
import { MessageSet } from '../mesh/message-key.ts';
import { servicePortProtocol } from '../mesh/protocol.ts';
import { exportScopes } from '../mesh/service-registry.ts';
import { at, name, spec } from './rule-helpers.ts';
import { appendTo } from '../../collections/map-of-lists.ts';

const GATEWAY_CONTROLLERS = new Set([
  'istio.io-gateway-controller',
  'istio.io-mesh-controller',
  'istio.io-eastwest-controller',
]);

/**
 * The Service ports istioctl's service.PortNameAnalyzer reports: istiod cannot tell the protocol (UDP,
 * appProtocol, a `<protocol>[-suffix]` name and the well-known ports 25, 53, 3306, 27017 all tell it),
 * or an ExternalName Service's port is named plain `tcp`. Istio's own Services (label `istio`, or
 * `release: istio`) and those of Istio's gateway controllers are skipped.
 */
function unnamedPorts(
  ctx: RuleContext,
): { r: Resource; index: number; port: Record<string, any>; externalName: boolean }[] {
  const out: { r: Resource; index: number; port: Record<string, any>; externalName: boolean }[] = [];
  for (const r of analysisScope(ctx).of('', 'Service')) {
    const labels = r.object.metadata?.labels ?? {};
    if ('istio' in labels || labels.release === 'istio') continue;
    if (GATEWAY_CONTROLLERS.has(labels['gateway.istio.io/managed'] ?? '')) continue;
    const s = spec(r.object);
    const externalName = s.type === 'ExternalName';
    ((s.ports ?? []) as Record<string, any>[]).forEach((port, index) => {
      if (servicePortProtocol(port ?? {}) === undefined || (port?.name === 'tcp' && externalName))
        out.push({ r, index, port: port ?? {}, externalName });
    });
  }
  return out;
}

export const servicePortName: Rule = {
  id: 'mesh/service-port-name',
  severity: 'warning',
  istioCode: 'IST0118',
  title: 'Service ports tell istiod their protocol (name, appProtocol, UDP or a well-known port)',
  why: 'When nothing names the protocol istiod sniffs it on every connection: server-first protocols stall, and HTTP routing, retries and metrics depend on the guess.',
  hint: 'name the port <protocol>[-suffix] (http, http2, grpc, tcp-db, …) or set appProtocol',
  check: (ctx) => {
    const out = new MessageSet(ctx);
    for (const { r, index, port, externalName } of unnamedPorts(ctx)) {
      if (externalName) continue;
      const path = ['spec', 'ports', index];
      out.add(
        r,
        `${port.name ?? ''}|${port.port}|${port.targetPort ?? ''}`,
        at(
          ctx,
          r,
          path,
          `${name(r)}: port ${port.port} "${port.name ?? '(unnamed)'}" does not tell istiod its protocol`,
        ),
        [...path, 'port'],
      );
    }
    return out.findings;
  },
};

export const externalNamePortName: Rule = {
  id: 'mesh/external-name-port-name',
  severity: 'warning',
  istioCode: 'IST0150',
  title: 'ExternalName Service ports name a protocol other than plain tcp',
  why: 'istiod treats an ExternalName Service port without a protocol (or named plain tcp) as opaque TCP to the external host: HTTP routing and TLS origination do not apply to it.',
  hint: 'name the port <protocol>[-suffix] (http, https, tls, …) or set appProtocol',
  check: (ctx) => {
    const out = new MessageSet(ctx);
    for (const { r, index, externalName } of unnamedPorts(ctx)) {
      if (!externalName) continue;
      const path = ['spec', 'ports', index];
      out.add(
        r,
        '',
        at(
          ctx,
          r,
          path,
          `${name(r)}: ExternalName Service port ${index} needs a protocol other than tcp in its name`,
        ),
        [...path, 'port'],
      );
    }
    return out.findings;
  },
};

/** VirtualServices bound to the mesh (no gateways, or `mesh` among them) by `scope/fqdn` of each host. */
function meshGatewayHosts(ctx: RuleContext): Map<string, { vs: Resource; index: number }[]> {
  const out = new Map<string, { vs: Resource; index: number }[]>();
  for (const vs of analysisScope(ctx).of(NETWORKING, 'VirtualService')) {
    const s = spec(vs.object);
    const gateways = (s.gateways ?? []) as unknown[];
    if (gateways.length > 0 && !gateways.includes('mesh')) continue;
    const ns = namespaceOf(vs);
    for (const scope of exportScopes(ns, (s.exportTo ?? []) as unknown[]))
      ((s.hosts ?? []) as unknown[]).forEach((h, index) => {
        const key = `${scope}/${convertHostToFqdn(ns, String(h))}`;
        appendTo(out, key, { vs, index });
      });
  }
  return out;
}

export const conflictingMeshHosts: Rule = {
  id: 'mesh/conflicting-mesh-hosts',
  severity: 'error',
  istioCode: 'IST0109',
  title: 'No two mesh-bound VirtualServices visible in one namespace claim the same host',
  why: 'istiod merges them in an unspecified order: one of the two routing tables silently wins.',
  hint: 'merge the routes into one VirtualService per host, or keep each visible in its own namespace with exportTo',
  // istioctl's virtualservice.ConflictingMeshGatewayHostsAnalyzer: hosts keyed by exportTo scope; a
  // host exported to some namespaces also meets (wildcard-matching) hosts exported everywhere. Each
  // VirtualService is reported once.
  check: (ctx) => {
    const byHost = meshGatewayHosts(ctx);
    const everywhere = [...byHost]
      .filter(([k]) => k.startsWith('*/'))
      .map(([k, v]) => [k.slice(2), v] as const);
    const reported = new Set<Resource>();
    const out = new MessageSet(ctx);
    for (const [key, list] of byHost) {
      const slash = key.indexOf('/');
      const host = key.slice(slash + 1);
      const all =
        key.slice(0, slash) === '*'
          ? list
          : [...list, ...everywhere.filter(([h]) => hostMatches(host, h)).flatMap(([, v]) => v)];
      if (all.length < 2) continue;
      const names = [...new Set(all.map((e) => `${namespaceOf(e.vs)}/${e.vs.object.metadata?.name}`))].sort();
      for (const { vs, index } of all) {
        if (reported.has(vs)) continue;
        reported.add(vs);
        out.add(
          vs,
          '',
          at(
            ctx,
            vs,
            ['spec', 'hosts', index],
            `${name(vs)}: host ${key} is also routed in the mesh by ${names.join(', ')}`,
          ),
        );
      }
    }
    return out.findings;
  },
};

const VERIFYING_MODES = new Set(['SIMPLE', 'MUTUAL']);

export const destinationRuleTlsVerification: Rule = {
  id: 'mesh/destinationrule-tls-verification',
  severity: 'warning',
  istioCode: 'IST0128',
  title: 'TLS origination verifies the server certificate (caCertificates)',
  why: 'Without a CA the sidecar accepts any server certificate: TLS without authentication of the peer.',
  hint: 'set tls.caCertificates (e.g. /etc/ssl/certs/ca-certificates.crt), or credentialName together with a workloadSelector',
  // istioctl's destinationrule.CaCertificateAnalyzer: SIMPLE or MUTUAL without caCertificates, unless a
  // credentialName supplies them for a DestinationRule with a workloadSelector; IST0129 per port.
  check: (ctx) => {
    const out = new MessageSet(ctx);
    for (const r of analysisScope(ctx).of(NETWORKING, 'DestinationRule')) {
      const s = spec(r.object);
      const selector = s.workloadSelector !== undefined && s.workloadSelector !== null;
      const unverified = (tls: Record<string, any> | undefined) =>
        VERIFYING_MODES.has(tls?.mode) && !tls?.caCertificates && !(tls?.credentialName && selector);
      const tp = s.trafficPolicy ?? {};
      if (unverified(tp.tls))
        out.add(
          r,
          'IST0128',
          at(
            ctx,
            r,
            ['spec', 'trafficPolicy', 'tls'],
            `${name(r)}: TLS ${tp.tls.mode} to ${s.host} without caCertificates does not verify the server`,
          ),
        );
      ((tp.portLevelSettings ?? []) as Record<string, any>[]).forEach((p, i) => {
        if (!unverified(p?.tls)) return;
        out.add(
          r,
          `IST0129|${JSON.stringify(p.port ?? null)}`,
          at(
            ctx,
            r,
            ['spec', 'trafficPolicy', 'portLevelSettings', i, 'tls'],
            `${name(r)}: TLS ${p.tls.mode} to ${s.host} port ${p.port?.number ?? '?'} without caCertificates does not verify the server`,
            { istioCode: 'IST0129' },
          ),
        );
      });
    }
    return out.findings;
  },
};

export const destinationRuleTlsIdentity: Rule = {
  id: 'mesh/destinationrule-tls-identity',
  severity: 'warning',
  title:
    'TLS origination names the server: sni and subjectAltNames (repository policy; no istioctl counterpart)',
  why: "Istio's security best practice: without SNI the server may present the wrong certificate, without subjectAltNames any certificate the CA signed is accepted.",
  hint: 'set tls.sni and tls.subjectAltNames to the external host',
  check: (ctx) =>
    analysisScope(ctx)
      .of(NETWORKING, 'DestinationRule')
      .flatMap((r) => {
        const tp = spec(r.object).trafficPolicy ?? {};
        const policies: [Record<string, any> | undefined, (string | number)[]][] = [
          [tp.tls, ['spec', 'trafficPolicy', 'tls']],
          ...((tp.portLevelSettings ?? []) as Record<string, any>[]).map(
            (p, i) =>
              [p?.tls, ['spec', 'trafficPolicy', 'portLevelSettings', i, 'tls']] as [
                Record<string, any>,
                (string | number)[],
              ],
          ),
        ];
        return policies
          .filter(([tls]) => VERIFYING_MODES.has(tls?.mode) && !tls?.credentialName)
          .filter(([tls]) => !tls!.sni || !((tls!.subjectAltNames ?? []) as unknown[]).length)
          .map(([tls, path]) =>
            at(ctx, r, path, `${name(r)}: TLS ${tls!.mode} should set sni and subjectAltNames`),
          );
      }),
};

/** ISTIO_META_DNS_CAPTURE with address auto-allocation in the mesh's default proxy config. */
function addressesAllocated(ctx: RuleContext): boolean {
  const meta = (meshConfigOf(ctx)?.defaultConfig?.proxyMetadata ?? {}) as Record<string, unknown>;
  return (
    meta.ISTIO_META_DNS_CAPTURE === 'true' &&
    (meta.ISTIO_META_DNS_AUTO_ALLOCATE === 'true' || meta.PILOT_ENABLE_IP_AUTOALLOCATE === 'true')
  );
}

export const serviceEntryAddresses: Rule = {
  id: 'mesh/serviceentry-addresses',
  severity: 'warning',
  istioCode: 'IST0134',
  title: 'ServiceEntries with TCP ports declare addresses',
  why: 'For plain TCP the sidecar can only tell destinations apart by IP: without addresses it forwards by port only.',
  hint: 'add spec.addresses, use TLS (SNI) or HTTP protocols on the ports, or enable DNS capture with address auto-allocation',
  // istioctl's serviceentry.ProtocolAddressesAnalyzer: every port without protocol or with TCP (any case),
  // unless the mesh config captures DNS and allocates addresses.
  check: (ctx) => {
    if (addressesAllocated(ctx)) return [];
    const out = new MessageSet(ctx);
    for (const r of analysisScope(ctx).of(NETWORKING, 'ServiceEntry')) {
      const s = spec(r.object);
      if (((s.addresses ?? []) as unknown[]).length > 0) continue;
      ((s.ports ?? []) as Record<string, any>[]).forEach((p, i) => {
        const protocol = String(p?.protocol ?? '');
        if (protocol !== '' && protocol.toUpperCase() !== 'TCP') return;
        out.add(
          r,
          '',
          at(ctx, r, ['spec', 'ports', i], `${name(r)}: TCP port ${p?.number} without spec.addresses`),
          ['spec', 'ports', i, 'name'],
        );
      });
    }
    return out.findings;
  },
};

export const MESH_SERVICE_RULES: readonly Rule[] = [
  servicePortName,
  externalNamePortName,
  conflictingMeshHosts,
  destinationRuleTlsVerification,
  destinationRuleTlsIdentity,
  serviceEntryAddresses,
];
