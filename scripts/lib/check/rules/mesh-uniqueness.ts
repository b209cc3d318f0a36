import type { Finding } from '../finding.ts';
import type { Rule, RuleContext } from '../rule.ts';
import type { Resource } from '../../repo/resource.ts';
import { analysisScope, NETWORKING, TELEMETRY } from '../mesh/analysis-scope.ts';
import { namespaceOf } from '../mesh/hosts.ts';
import { MessageSet } from '../mesh/message-key.ts';
import { destinationHost, serviceRegistry } from '../mesh/service-registry.ts';
import { namespaceWideSidecars } from '../mesh/namespace-wide-sidecars.ts';
import { at, name, spec } from './rule-helpers.ts';
import { appendTo } from '../../collections/map-of-lists.ts';

/** A label selector as Kubernetes prints it (labels.SelectorFromSet(...).String()): sorted `k=v,k=v`. */
const selectorString = (s: unknown) =>
  Object.entries((s ?? {}) as Record<string, unknown>)
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort()
    .join(',');

const fullName = (r: Resource) =>
  `${r.object.metadata?.namespace ? `${r.object.metadata.namespace}/` : ''}${r.object.metadata?.name ?? ''}`;

const servers = (g: Resource) => (spec(g.object).servers ?? []) as Record<string, any>[];
const portOf = (server: Record<string, any>) => String(Number(server?.port?.number ?? 0));

export const gatewayConflict: Rule = {
  id: 'mesh/gateway-conflict',
  severity: 'error',
  istioCode: 'IST0145',
  title: 'No two Gateways with the same selector serve the same host and bind on one port',
  why: 'The gateway proxy receives both servers and keeps one: the other Gateway silently stops serving that host.',
  hint: 'merge the servers into one Gateway, or give each its own host',
  // istioctl's gateway.ConflictingGatewayAnalyzer, for Gateways whose selectors are equal (selectors that
  // differ only meet through running Pods, which a repository does not have). Per port, each Gateway
  // keeps the hosts of its last server on that port. istioctl also records the hosts it has checked into
  // that shared table while it goes, so its verdict on three or more Gateways can depend on map order;
  // here each server is compared with the other Gateways' declared hosts only.
  check: (ctx) => {
    const gateways = analysisScope(ctx).of(NETWORKING, 'Gateway');
    const table = new Map<string, Map<string, Map<string, string>>>();
    for (const g of gateways)
      for (const server of servers(g)) {
        const key = `${selectorString(spec(g.object).selector)}~${portOf(server)}`;
        const perGateway = table.get(key) ?? new Map<string, Map<string, string>>();
        const bind = String(server?.bind ?? '');
        perGateway.set(
          fullName(g),
          new Map(((server?.hosts ?? []) as unknown[]).map((h) => [String(h), bind])),
        );
        table.set(key, perGateway);
      }
    // The selectors some Gateway's servers bind through.
    const bound = new Set([...table.keys()].map((k) => k.slice(0, k.lastIndexOf('~'))));
    const out = new MessageSet();
    for (const g of gateways) {
      const selector = selectorString(spec(g.object).selector);
      const own = fullName(g);
      if (selector !== '' && !bound.has(selector)) {
        out.add(
          g,
          `IST0101|${selector}`,
          at(ctx, g, ['spec', 'selector'], `${name(g)}: referenced selector not found: "${selector}"`, {
            istioCode: 'IST0101',
          }),
        );
        continue;
      }
      servers(g).forEach((server, i) => {
        const port = portOf(server);
        const bind = String(server?.bind ?? '');
        const hosts = ((server?.hosts ?? []) as unknown[]).map(String);
        const others = [...(table.get(`${selector}~${port}`) ?? new Map<string, Map<string, string>>())]
          .filter(([other, known]) => other !== own && hosts.some((h) => known.get(h) === bind))
          .map(([other]) => other)
          .sort();
        if (others.length === 0) return;
        out.add(
          g,
          `${others.join(',')}|${port}|${hosts.join(',')}`,
          at(
            ctx,
            g,
            ['spec', 'servers', i, 'hosts'],
            `${name(g)}: port ${port} host ${hosts.join(', ')} is also served by ${others.join(', ')} through the same selector (${selector || 'none'})`,
          ),
        );
      });
    }
    return out.findings;
  },
};

/** Is every label of `x` also in `y` with the same value (gateway certificate.go selectorSubset)? */
const selectorSubset = (x: Record<string, unknown>, y: Record<string, unknown>) =>
  Object.entries(x).every(([k, v]) => k in y && y[k] === v);

function sameCertificate(a: Record<string, any>, b: Record<string, any>): boolean {
  if (a.credentialName && b.credentialName) return a.credentialName === b.credentialName;
  if (a.credentialName || b.credentialName) return false;
  if (!a.serverCertificate || a.serverCertificate !== b.serverCertificate) return false;
  return !!a.privateKey && a.privateKey === b.privateKey;
}

export const duplicateCertificate: Rule = {
  id: 'mesh/gateway-duplicate-certificate',
  severity: 'warning',
  istioCode: 'IST0138',
  title: 'A certificate is served by one Gateway only',
  why: 'Browsers reuse an HTTP/2 connection for every host a certificate covers; a second Gateway with it then answers 404.',
  hint: 'serve the hosts from one Gateway, or issue separate certificates',
  // istioctl's gateway.CertificateAnalyzer: against every other Gateway (any namespace) whose selector
  // includes this one's, any pair of TLS servers with the same credentialName (or server certificate
  // and key); one message per other Gateway.
  check: (ctx) => {
    const gateways = analysisScope(ctx).of(NETWORKING, 'Gateway');
    const out = new MessageSet();
    for (const g of gateways) {
      const selector = (spec(g.object).selector ?? {}) as Record<string, unknown>;
      for (const other of gateways) {
        if (other === g || fullName(other) === fullName(g)) continue;
        if (!selectorSubset(selector, (spec(other.object).selector ?? {}) as Record<string, unknown>))
          continue;
        servers(g).forEach((server, i) => {
          if (!server?.tls) return;
          const shared = servers(other).some((s) => s?.tls && sameCertificate(server.tls, s.tls));
          if (!shared) return;
          const cert = server.tls.credentialName ?? server.tls.serverCertificate;
          out.add(
            g,
            fullName(other),
            at(
              ctx,
              g,
              [
                'spec',
                'servers',
                i,
                'tls',
                server.tls.credentialName ? 'credentialName' : 'serverCertificate',
              ],
              `${name(g)}: certificate ${cert} is also served by Gateway ${fullName(other)}`,
            ),
          );
        });
      }
    }
    return out.findings;
  },
};

/** Is the Namespace ambient and not also opted into sidecars (util.NamespaceInAmbientMode)? */
function ambientNamespace(ns: Resource | undefined): boolean {
  const labels = ns?.object.metadata?.labels ?? {};
  if (labels['istio-injection'] === 'enabled') return false;
  if (labels['istio.io/rev']) return false;
  return labels['istio.io/dataplane-mode'] === 'ambient';
}

const namespaceObjects = (ctx: RuleContext) =>
  new Map(
    analysisScope(ctx)
      .of('', 'Namespace')
      .map((n) => [n.object.metadata?.name ?? '', n]),
  );

function allReported(ctx: RuleContext, groups: Iterable<Resource[]>, what: string): Finding[] {
  const out: Finding[] = [];
  for (const rs of groups) {
    if (rs.length < 2) continue;
    const names = rs.map((r) => r.object.metadata?.name ?? '').sort();
    for (const r of rs)
      out.push(
        at(
          ctx,
          r,
          ['spec'],
          `${name(r)}: ${rs.length} ${what} in namespace ${namespaceOf(r)} (${names.join(', ')})`,
        ),
      );
  }
  return out;
}

export const multipleDefaultSidecars: Rule = {
  id: 'mesh/multiple-default-sidecars',
  severity: 'error',
  istioCode: 'IST0111',
  title: 'At most one Sidecar without a workload selector per namespace',
  why: 'With several namespace-wide Sidecars istiod picks one arbitrarily; the others are ignored.',
  hint: 'merge them into one Sidecar, or give all but one a workload selector',
  // istioctl's sidecar.SelectorAnalyzer (the part without Pods): every one of them is reported, except in
  // an ambient namespace (IST0167 there).
  check: (ctx) => {
    const namespaces = namespaceObjects(ctx);
    return allReported(
      ctx,
      [...namespaceWideSidecars(ctx)]
        .filter(([ns]) => !ambientNamespace(namespaces.get(ns)))
        .map(([, rs]) => rs),
      'Sidecars without a workload selector',
    );
  },
};

export const sidecarInAmbientNamespace: Rule = {
  id: 'mesh/sidecar-in-ambient-namespace',
  severity: 'warning',
  istioCode: 'IST0167',
  title: 'No namespace-wide Sidecar in an ambient namespace',
  why: 'Workloads of an ambient namespace (istio.io/dataplane-mode: ambient, without sidecar injection) have no sidecar: a Sidecar resource there has no effect.',
  hint: 'remove the Sidecar, or take the namespace out of ambient mode',
  check: (ctx) => {
    const namespaces = namespaceObjects(ctx);
    return [...namespaceWideSidecars(ctx)]
      .filter(([ns]) => ambientNamespace(namespaces.get(ns)))
      .flatMap(([ns, rs]) =>
        rs.map((r) =>
          at(
            ctx,
            r,
            ['metadata', 'name'],
            `${name(r)}: namespace ${ns} is in ambient mode, the Sidecar has no effect`,
          ),
        ),
      );
  },
};

export const multipleDefaultTelemetries: Rule = {
  id: 'mesh/multiple-default-telemetries',
  severity: 'error',
  istioCode: 'IST0160',
  title: 'At most one Telemetry without a selector per namespace',
  why: 'With several namespace-wide Telemetries istiod picks one arbitrarily; the others are ignored.',
  hint: 'merge them into one Telemetry, or give all but one a selector',
  // istioctl's telemetry.DefaultSelectorAnalyzer: a Telemetry without `selector` (targetRefs do not count).
  check: (ctx) => {
    const byNs = new Map<string, Resource[]>();
    for (const r of analysisScope(ctx).of(TELEMETRY, 'Telemetry')) {
      const selector = spec(r.object).selector;
      if (selector !== undefined && selector !== null) continue;
      appendTo(byNs, namespaceOf(r), r);
    }
    return allReported(ctx, byNs.values(), 'Telemetries without a selector');
  },
};

export const destinationRuleHostExists: Rule = {
  id: 'mesh/destinationrule-host-exists',
  severity: 'warning',
  istioCode: 'IST0174',
  title: 'DestinationRules apply to a host the mesh knows and shows them',
  why: 'A DestinationRule for an unknown host (often a typo or a wrong namespace) changes nothing: its TLS and circuit breaking never apply.',
  hint: 'point spec.host at a Service (a short name is looked up in this namespace; otherwise <name>.<namespace>.svc.cluster.local) or a ServiceEntry host visible here',
  // istioctl's destinationrule.SubsetSelectPodAnalyzer (the part without Pods): the host resolves through
  // util.GetDestinationHost with the DestinationRule's own exportTo.
  check: (ctx) => {
    const registry = serviceRegistry(ctx);
    return analysisScope(ctx)
      .of(NETWORKING, 'DestinationRule')
      .filter((r) => {
        const s = spec(r.object);
        return !destinationHost(
          registry,
          namespaceOf(r),
          ((s.exportTo ?? []) as unknown[]).map(String),
          String(s.host ?? ''),
        );
      })
      .map((r) =>
        at(
          ctx,
          r,
          ['spec', 'host'],
          `${name(r)}: host ${String(spec(r.object).host ?? '')} is no Service or ServiceEntry visible in namespace ${namespaceOf(r)}`,
        ),
      );
  },
};

export const MESH_UNIQUENESS_RULES: readonly Rule[] = [
  gatewayConflict,
  duplicateCertificate,
  multipleDefaultSidecars,
  sidecarInAmbientNamespace,
  multipleDefaultTelemetries,
  destinationRuleHostExists,
];
