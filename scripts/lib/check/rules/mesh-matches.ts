import type { Rule, RuleContext } from '../rule.ts';
import type { Resource } from '../../repo/resource.ts';
import { analysisScope, NETWORKING } from '../mesh/analysis-scope.ts';
import { MessageSet } from '../mesh/message-key.ts';
import { at, name, spec } from './rule-helpers.ts';

/** A match as istiod compares them (validation asJSON): its content, keys sorted. */
const matchKey = (m: unknown): string =>
  JSON.stringify(m, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );

/** An HTTP match's name does not make it a different match. */
const withoutName = (m: unknown) => {
  if (!m || typeof m !== 'object' || Array.isArray(m)) return m;
  const { name: _ignored, ...rest } = m as Record<string, unknown>;
  return rest;
};

/** Go's %q of a name, as istiod prints route and match names. */
const quoted = (s: string) => JSON.stringify(s);
const routeName = (route: Record<string, any>, i: number, http: boolean) =>
  http && route?.name ? quoted(String(route.name)) : `#${i}`;
const requestName = (m: Record<string, any>, j: number, http: boolean) =>
  http && m?.name ? quoted(String(m.name)) : `#${j}`;

const exactOrPrefix = (s: Record<string, any> | undefined) =>
  s?.exact ? `exact:${s.exact}` : s?.prefix ? `prefix:${s.prefix}` : '';

interface PrefixMatch {
  route: string;
  match: string;
  prefix: string;
  port: number;
  method: string;
  authority: string;
  headers: Map<string, string>;
  queryParams: Map<string, string>;
  withoutHeaders: Map<string, string>;
}

const stringMatches = (m: Record<string, any> | undefined) =>
  new Map(Object.entries(m ?? {}).map(([k, v]) => [k, exactOrPrefix(v as Record<string, any>)]));

/** validation genMatchHTTPRoutes: only matches with a URI prefix take part in the overlap check. */
function prefixMatch(
  route: Record<string, any>,
  m: Record<string, any>,
  i: number,
  j: number,
): PrefixMatch | undefined {
  const prefix = m?.uri?.prefix;
  if (!prefix) return undefined;
  return {
    route: routeName(route, i, true),
    match: requestName(m, j, true),
    prefix: String(prefix),
    port: Number(m.port ?? 0),
    method: exactOrPrefix(m.method) || 'exact:GET',
    authority: exactOrPrefix(m.authority),
    headers: stringMatches(m.headers),
    queryParams: stringMatches(m.queryParams),
    withoutHeaders: stringMatches(m.withoutHeaders),
  };
}

/** Do the maps have the same keys, each of a's values starting with b's (validation coveredValidation)? */
const mapCovered = (a: Map<string, string>, b: Map<string, string>) =>
  a.size === b.size && [...a].every(([k, v]) => b.has(k) && (v === b.get(k) || v.startsWith(b.get(k)!)));

/** Does the earlier prefix match `a` catch every request the later `b` would? */
function covers(a: PrefixMatch, b: PrefixMatch): boolean {
  if (!b.prefix.startsWith(a.prefix) || a.port !== b.port) return false;
  if (a.method !== b.method && !a.method.startsWith(b.method)) return false;
  if (a.authority !== b.authority && !a.authority.startsWith(b.authority)) return false;
  return (
    mapCovered(a.headers, b.headers) &&
    mapCovered(a.queryParams, b.queryParams) &&
    mapCovered(a.withoutHeaders, b.withoutHeaders)
  );
}

/**
 * istiod's analysis of one route list (validation analyzeUnreachable{HTTP,TCP,TLS}Rules): a route
 * after one without matches is unreachable (IST0130), as is a second route without matches and a route
 * all of whose matches repeat earlier ones; a repeated match is ineffective (IST0131); for HTTP, so is a
 * URI prefix match an earlier, shorter prefix with the same other conditions already catches.
 */
function analyzeRoutes(ctx: RuleContext, vs: Resource, kind: 'http' | 'tcp' | 'tls', out: MessageSet): void {
  const http = kind === 'http';
  const routes = (spec(vs.object)[kind] ?? []) as Record<string, any>[];
  const seen = new Map<string, number>();
  const prefixes: { m: PrefixMatch; path: (string | number)[] }[] = [];
  let catchAll = -1;
  const unreachable = (i: number, reason: string) =>
    out.add(
      vs,
      `IST0130|${routeName(routes[i]!, i, http)}|${reason}`,
      at(
        ctx,
        vs,
        ['spec', kind, i],
        `${name(vs)}: ${kind} route ${routeName(routes[i]!, i, http)} is never used (${reason})`,
      ),
    );
  const ineffective = (i: number, j: number, ruleno: string, matchno: string, dupno: string) =>
    out.add(
      vs,
      `IST0131|${ruleno}|${matchno}|${dupno}`,
      at(
        ctx,
        vs,
        ['spec', kind, i, 'match', j],
        `${name(vs)}: ${kind} route ${ruleno} match ${matchno} is never used (duplicate or overlapping match in route ${dupno})`,
        { istioCode: 'IST0131', severity: 'warning' },
      ),
    );
  routes.forEach((route, i) => {
    if (route === null || route === undefined) return;
    const matches = (route.match ?? []) as Record<string, any>[];
    if (matches.length === 0) {
      if (catchAll >= 0) unreachable(i, 'only the last rule can have no matches');
      catchAll = i;
      return;
    }
    let duplicates = 0;
    matches.forEach((m, j) => {
      if (catchAll >= 0) {
        unreachable(i, 'route without matches defined before');
        return;
      }
      const key = matchKey(http ? withoutName(m) : m);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        ineffective(
          i,
          j,
          routeName(route, i, http),
          requestName(m, j, http),
          routeName(routes[earlier]!, earlier, http),
        );
        duplicates++;
        return;
      }
      seen.set(key, i);
      const p = http ? prefixMatch(route, m, i, j) : undefined;
      if (p) prefixes.push({ m: p, path: [i, j] });
    });
    if (duplicates === matches.length) unreachable(i, 'all matches used by prior rules');
  });
  for (let a = 0; a < prefixes.length; a++)
    for (let b = a + 1; b < prefixes.length; b++) {
      const [earlier, later] = [prefixes[a]!.m, prefixes[b]!.m];
      if (later.prefix === earlier.prefix || !covers(earlier, later)) continue;
      const [i, j] = prefixes[b]!.path as [number, number];
      ineffective(
        i,
        j,
        later.route,
        `${later.match} of prefix ${later.prefix}`,
        `${earlier.match} of prefix ${earlier.prefix} on ${earlier.route}`,
      );
    }
}

export const unreachableRoutes: Rule = {
  id: 'mesh/unreachable-route',
  severity: 'error',
  istioCode: 'IST0130',
  title: 'No HTTP, TCP or TLS route is shadowed by an earlier catch-all, identical or wider match',
  why: 'Routes are tried in order: anything after a route without match, a repeated match, or a URI prefix an earlier shorter prefix already catches never receives a request.',
  hint: 'put specific matches (headers, longer prefixes) before general ones and the catch-all last; remove repeated matches',
  // istiod's validation of a VirtualService (analyzeUnreachable*Rules), which istioctl reports as
  // IST0130 (VirtualServiceUnreachableRule) and IST0131 (VirtualServiceIneffectiveMatch).
  check: (ctx) => {
    const out = new MessageSet();
    for (const vs of analysisScope(ctx).of(NETWORKING, 'VirtualService'))
      for (const kind of ['http', 'tcp', 'tls'] as const) analyzeRoutes(ctx, vs, kind, out);
    return out.findings;
  },
};

export const serviceEntryProtocolConflict: Rule = {
  id: 'mesh/serviceentry-protocol-conflict',
  severity: 'error',
  title: 'A host and port have one protocol across ServiceEntries (no istioctl 1.30 counterpart)',
  why: 'istiod builds one listener per host and port: with two protocols one ServiceEntry silently loses.',
  hint: 'use the same protocol for the port in every ServiceEntry of that host',
  check: (ctx) => {
    const seen = new Map<string, { protocol: string; by: string }>();
    const out = new MessageSet();
    for (const se of analysisScope(ctx).of(NETWORKING, 'ServiceEntry'))
      for (const h of (spec(se.object).hosts ?? []) as string[])
        ((spec(se.object).ports ?? []) as { number: number; protocol?: string }[]).forEach((p, i) => {
          const key = `${h}:${p?.number}`;
          const protocol = String(p?.protocol ?? 'TCP').toUpperCase();
          const other = seen.get(key);
          if (other && other.protocol !== protocol)
            out.add(
              se,
              key,
              at(
                ctx,
                se,
                ['spec', 'ports', i, 'protocol'],
                `${name(se)}: ${key} is ${protocol} here but ${other.protocol} in ${other.by}`,
              ),
            );
          else if (!other) seen.set(key, { protocol, by: name(se) });
        });
    return out.findings;
  },
};

export const MESH_MATCH_RULES: readonly Rule[] = [unreachableRoutes, serviceEntryProtocolConflict];
