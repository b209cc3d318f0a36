import type { Finding } from '../finding.ts';
import type { Rule, RuleContext } from '../rule.ts';
import type { Resource } from '../../repo/resource.ts';
import { fqdn, hostMatches, namespaceOf } from '../mesh/hosts.ts';
import { lookupService, serviceRegistry } from '../mesh/service-registry.ts';
import { at, durationMs, ISTIO_NETWORKING, name, ofKind, spec } from './rule-helpers.ts';

interface RouteDestination {
  host: string;
  subset?: string;
  port?: number;
  path: (string | number)[];
}

/** Every destination a VirtualService sends to: http/tcp/tls routes and http mirrors. */
function destinations(vs: Resource): RouteDestination[] {
  const out: RouteDestination[] = [];
  const s = spec(vs.object);
  for (const kind of ['http', 'tcp', 'tls'])
    (s[kind] ?? []).forEach((route: Record<string, any>, i: number) => {
      (route.route ?? []).forEach((d: Record<string, any>, j: number) => {
        if (d.destination?.host)
          out.push({
            host: d.destination.host,
            subset: d.destination.subset,
            port: d.destination.port?.number,
            path: ['spec', kind, i, 'route', j, 'destination'],
          });
      });
      if (route.mirror?.host)
        out.push({ host: route.mirror.host, subset: route.mirror.subset, path: ['spec', kind, i, 'mirror'] });
    });
  return out;
}

function gatewayRefs(vs: Resource): { ref: string; ns: string; name: string; index: number }[] {
  const ns = namespaceOf(vs);
  return ((spec(vs.object).gateways ?? []) as string[])
    .map((ref, index) => {
      const [gns, gname] = ref.includes('/') ? ref.split('/', 2) : [ns, ref];
      return { ref, ns: gns!, name: gname!, index };
    })
    .filter((g) => g.ref !== 'mesh');
}

export const gatewayExists: Rule = {
  id: 'mesh/gateway-exists',
  severity: 'error',
  istioCode: 'IST0101',
  title: 'Gateways a VirtualService binds to exist',
  why: 'istiod ignores a VirtualService bound to a Gateway that does not exist: the routes silently never apply.',
  hint: 'reference the Gateway as <namespace>/<name>, as it is defined in this environment',
  check: (ctx) => {
    const gateways = new Set(
      ofKind(ctx, ISTIO_NETWORKING, 'Gateway').map((g) => `${namespaceOf(g)}/${g.object.metadata?.name}`),
    );
    return ofKind(ctx, ISTIO_NETWORKING, 'VirtualService').flatMap((vs) =>
      gatewayRefs(vs)
        .filter((g) => !gateways.has(`${g.ns}/${g.name}`))
        .map((g) =>
          at(
            ctx,
            vs,
            ['spec', 'gateways', g.index],
            `${name(vs)}: referenced gateway ${g.ns}/${g.name} not found`,
          ),
        ),
    );
  },
};

export const virtualServiceHostInGateway: Rule = {
  id: 'mesh/virtualservice-host-in-gateway',
  severity: 'error',
  istioCode: 'IST0132',
  title: "VirtualService hosts are within its Gateways' hosts",
  why: 'A host the Gateway does not serve never reaches the VirtualService from outside.',
  hint: "add the host to the Gateway's server hosts, or fix the VirtualService host",
  check: (ctx) => {
    const gateways = new Map(
      ofKind(ctx, ISTIO_NETWORKING, 'Gateway').map((g) => [
        `${namespaceOf(g)}/${g.object.metadata?.name}`,
        g,
      ]),
    );
    const out: Finding[] = [];
    for (const vs of ofKind(ctx, ISTIO_NETWORKING, 'VirtualService'))
      for (const ref of gatewayRefs(vs)) {
        const gw = gateways.get(`${ref.ns}/${ref.name}`);
        if (!gw) continue;
        const served = ((spec(gw.object).servers ?? []) as { hosts?: string[] }[])
          .flatMap((s) => s.hosts ?? [])
          .map((h) => (h.includes('/') ? h.split('/')[1]! : h));
        ((spec(vs.object).hosts ?? []) as string[]).forEach((h, i) => {
          if (!served.some((p) => hostMatches(p, h)))
            out.push(
              at(
                ctx,
                vs,
                ['spec', 'hosts', i],
                `${name(vs)}: host ${h} is not served by gateway ${ref.ns}/${ref.name} (${served.join(', ') || 'no hosts'})`,
              ),
            );
        });
      }
    return out;
  },
};

export const destinationExists: Rule = {
  id: 'mesh/destination-exists',
  severity: 'error',
  istioCode: 'IST0101',
  title: 'Route destinations are Services or ServiceEntries, with a port when they have several',
  why: 'Traffic to a host the mesh does not know fails with 503 (no healthy upstream / NR).',
  hint: 'route to an existing Service (short name in the same namespace, or <name>.<namespace>) or add a ServiceEntry',
  check: (ctx) => {
    const registry = serviceRegistry(ctx.resources);
    const out: Finding[] = [];
    for (const vs of ofKind(ctx, ISTIO_NETWORKING, 'VirtualService'))
      for (const d of destinations(vs)) {
        if (d.host.includes('*')) continue;
        const svc = lookupService(registry, d.host, namespaceOf(vs));
        if (!svc)
          out.push(
            at(
              ctx,
              vs,
              [...d.path, 'host'],
              `${name(vs)}: destination host ${d.host} (${fqdn(d.host, namespaceOf(vs))}) is not a Service or ServiceEntry`,
            ),
          );
        else if (d.port !== undefined && !svc.ports.includes(d.port))
          out.push(
            at(
              ctx,
              vs,
              [...d.path, 'port'],
              `${name(vs)}: ${d.host} has no port ${d.port} (ports: ${svc.ports.join(', ')})`,
            ),
          );
        else if (d.port === undefined && svc.ports.length > 1)
          out.push(
            at(ctx, vs, d.path, `${name(vs)}: ${d.host} has several ports; the destination must name one`, {
              istioCode: 'IST0112',
            }),
          );
      }
    return out;
  },
};

export const subsetExists: Rule = {
  id: 'mesh/subset-exists',
  severity: 'error',
  istioCode: 'IST0101',
  title: 'Route subsets are defined in a DestinationRule for that host',
  why: 'A route to an undefined subset fails every request with 503 (NR).',
  hint: "define the subset in the DestinationRule of that host, keyed on the pods' version label",
  check: (ctx) => {
    const subsets = new Map<string, Set<string>>();
    for (const dr of ofKind(ctx, ISTIO_NETWORKING, 'DestinationRule')) {
      const host = fqdn(spec(dr.object).host ?? '', namespaceOf(dr));
      const set = subsets.get(host) ?? new Set<string>();
      for (const s of spec(dr.object).subsets ?? []) set.add(s.name);
      subsets.set(host, set);
    }
    return ofKind(ctx, ISTIO_NETWORKING, 'VirtualService').flatMap((vs) =>
      destinations(vs)
        .filter((d) => d.subset && !subsets.get(fqdn(d.host, namespaceOf(vs)))?.has(d.subset))
        .map((d) =>
          at(
            ctx,
            vs,
            [...d.path, 'subset'],
            `${name(vs)}: subset ${d.subset} of ${d.host} is not defined in any DestinationRule`,
          ),
        ),
    );
  },
};

export const routeWeights: Rule = {
  id: 'mesh/route-weights',
  severity: 'error',
  title: 'Weighted routes add up to 100 (seed property 5)',
  why: 'istiod rejects or normalises weights that do not sum to 100, so a canary split is not what the file says.',
  hint: 'make the weights of each route add up to 100',
  check: (ctx) =>
    ofKind(ctx, ISTIO_NETWORKING, 'VirtualService').flatMap((vs) =>
      ['http', 'tcp', 'tls'].flatMap((kind) =>
        ((spec(vs.object)[kind] ?? []) as Record<string, any>[]).flatMap((route, i) => {
          const dests = (route.route ?? []) as { weight?: number }[];
          if (dests.length < 2 && (dests[0]?.weight === undefined || dests[0].weight === 100)) return [];
          const sum = dests.reduce((s, d) => s + (d.weight ?? 0), 0);
          return sum === 100
            ? []
            : [
                at(
                  ctx,
                  vs,
                  ['spec', kind, i, 'route'],
                  `${name(vs)}: route weights add up to ${sum}, not 100`,
                ),
              ];
        }),
      ),
    ),
};

export const retriesWithinTimeout: Rule = {
  id: 'mesh/retries-within-timeout',
  severity: 'error',
  title: 'Timeouts parse and retries fit inside the route timeout (seed properties 7 and 8)',
  why: 'When attempts × perTryTimeout exceeds the route timeout the last retries can never happen; a bad duration is rejected by istiod.',
  hint: 'use durations like 30s or 250ms, attempts > 0, and attempts × perTryTimeout ≤ timeout',
  check: (ctx) => {
    const out: Finding[] = [];
    for (const vs of ofKind(ctx, ISTIO_NETWORKING, 'VirtualService'))
      ((spec(vs.object).http ?? []) as Record<string, any>[]).forEach((route, i) => {
        const base = ['spec', 'http', i];
        const timeout = route.timeout === undefined ? undefined : durationMs(route.timeout);
        if (route.timeout !== undefined && timeout === undefined)
          out.push(
            at(ctx, vs, [...base, 'timeout'], `${name(vs)}: timeout "${route.timeout}" is not a duration`),
          );
        const r = route.retries;
        if (!r) return;
        const per = r.perTryTimeout === undefined ? undefined : durationMs(r.perTryTimeout);
        if (r.perTryTimeout !== undefined && per === undefined)
          out.push(
            at(
              ctx,
              vs,
              [...base, 'retries', 'perTryTimeout'],
              `${name(vs)}: perTryTimeout "${r.perTryTimeout}" is not a duration`,
            ),
          );
        if (typeof r.attempts !== 'number' || r.attempts < 0)
          out.push(at(ctx, vs, [...base, 'retries'], `${name(vs)}: retries.attempts must be a number ≥ 0`));
        else if (timeout !== undefined && per !== undefined && r.attempts * per > timeout)
          out.push(
            at(
              ctx,
              vs,
              [...base, 'retries'],
              `${name(vs)}: ${r.attempts} × ${r.perTryTimeout} exceeds the route timeout ${route.timeout}`,
            ),
          );
      });
    return out;
  },
};

export const MESH_ROUTING_RULES: readonly Rule[] = [
  gatewayExists,
  virtualServiceHostInGateway,
  destinationExists,
  subsetExists,
  routeWeights,
  retriesWithinTimeout,
];

export type { RuleContext };
