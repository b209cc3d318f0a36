import type { Rule } from '../rule.ts';
import { namespacesInGit } from '../environment/namespaces.ts';
import { at, name } from './rule-helpers.ts';

/** A NetworkPolicy that selects every pod, lists both directions and allows nothing. */
export function isDefaultDeny(policy: Record<string, any>): boolean {
  const s = policy.spec ?? {};
  const types = (s.policyTypes ?? []) as string[];
  return (
    Object.keys(s.podSelector ?? { missing: true }).length === 0 &&
    types.includes('Ingress') &&
    types.includes('Egress') &&
    (s.ingress ?? []).length === 0 &&
    (s.egress ?? []).length === 0
  );
}

export const defaultDenyNetworkPolicy: Rule = {
  id: 'security/default-deny-network-policy',
  // A policy, not something a cluster rejects: clusters/validate.yaml makes it an error here.
  severity: 'warning',
  title: 'Every namespace created in git has a default-deny NetworkPolicy for ingress and egress',
  why: 'Without it every pod accepts connections from, and connects to, anything in the cluster; mesh policy alone is bypassed by pods without a sidecar, and REGISTRY_ONLY egress is best effort.',
  hint: 'add a NetworkPolicy with podSelector: {}, policyTypes: [Ingress, Egress] and no rules, then allow what the namespace needs in further policies',
  // A property of a whole environment: with --files the set is a partial view, so the policy may be
  // in a file that was not given; the rule runs on environments only.
  check: (ctx) => {
    if (ctx.env === '') return [];
    const denied = new Set(
      ctx.resources
        .filter((r) => r.object.kind === 'NetworkPolicy' && r.object.apiVersion === 'networking.k8s.io/v1')
        .filter((r) => isDefaultDeny(r.object as Record<string, any>))
        .map((r) => r.object.metadata?.namespace),
    );
    return namespacesInGit(ctx.resources)
      .filter((ns) => !denied.has(ns.object.metadata?.name))
      .map((ns) =>
        at(
          ctx,
          ns,
          ['metadata', 'name'],
          `${name(ns)} has no default-deny NetworkPolicy (podSelector {}, Ingress and Egress, no rules)`,
        ),
      );
  },
};

export const SECURITY_NETWORK_RULES: readonly Rule[] = [defaultDenyNetworkPolicy];
