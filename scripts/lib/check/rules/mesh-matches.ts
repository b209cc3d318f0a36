import type { Finding } from '../finding.ts';
import type { Rule } from '../rule.ts';
import { at, ISTIO_NETWORKING, name, ofKind, spec } from './rule-helpers.ts';

const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x,
  );

export const unreachableRoutes: Rule = {
  id: 'mesh/unreachable-route',
  severity: 'error',
  istioCode: 'IST0130',
  title: 'No HTTP route is shadowed by an earlier catch-all or an identical match',
  why: 'Routes are tried in order: anything after a route without match, or after the same match, never receives a request.',
  hint: 'put specific matches (headers, prefixes) before the catch-all, and remove duplicated matches',
  check: (ctx) => {
    const out: Finding[] = [];
    for (const vs of ofKind(ctx, ISTIO_NETWORKING, 'VirtualService')) {
      const seen = new Map<string, number>();
      let catchAll: number | undefined;
      ((spec(vs.object).http ?? []) as Record<string, any>[]).forEach((route, i) => {
        const matches = (route.match ?? []) as unknown[];
        if (catchAll !== undefined) {
          out.push(
            at(
              ctx,
              vs,
              ['spec', 'http', i],
              `${name(vs)}: http[${i}] is unreachable after the catch-all http[${catchAll}]`,
            ),
          );
          return;
        }
        if (matches.length === 0) {
          catchAll = i;
          return;
        }
        matches.forEach((m, j) => {
          const key = canonical(m);
          const first = seen.get(key);
          if (first !== undefined)
            out.push(
              at(
                ctx,
                vs,
                ['spec', 'http', i, 'match', j],
                `${name(vs)}: http[${i}].match[${j}] repeats a match of http[${first}] and never applies`,
                { istioCode: 'IST0131' },
              ),
            );
          else seen.set(key, i);
        });
      });
    }
    return out;
  },
};

export const serviceEntryProtocolConflict: Rule = {
  id: 'mesh/serviceentry-protocol-conflict',
  severity: 'error',
  istioCode: 'IST0177',
  title: 'A host and port have one protocol across ServiceEntries',
  why: 'istiod builds one listener per host and port: with two protocols one ServiceEntry silently loses.',
  hint: 'use the same protocol for the port in every ServiceEntry of that host',
  check: (ctx) => {
    const seen = new Map<string, { protocol: string; by: string }>();
    const out: Finding[] = [];
    for (const se of ofKind(ctx, ISTIO_NETWORKING, 'ServiceEntry'))
      for (const h of (spec(se.object).hosts ?? []) as string[])
        ((spec(se.object).ports ?? []) as { number: number; protocol?: string }[]).forEach((p, i) => {
          const key = `${h}:${p.number}`;
          const protocol = String(p.protocol ?? 'TCP').toUpperCase();
          const other = seen.get(key);
          if (other && other.protocol !== protocol)
            out.push(
              at(
                ctx,
                se,
                ['spec', 'ports', i, 'protocol'],
                `${name(se)}: ${key} is ${protocol} here but ${other.protocol} in ${other.by}`,
              ),
            );
          else if (!other) seen.set(key, { protocol, by: name(se) });
        });
    return out;
  },
};

export const MESH_MATCH_RULES: readonly Rule[] = [unreachableRoutes, serviceEntryProtocolConflict];
