import type { Finding } from '../finding.ts';
import type { Rule, RuleContext } from '../rule.ts';
import { apiVerdict, replacementAdvice } from '../api-lifecycle.ts';
import { at, name } from './rule-helpers.ts';

function findings(ctx: RuleContext, state: 'removed' | 'deprecated'): Finding[] {
  const out: Finding[] = [];
  for (const r of ctx.resources) {
    const { apiVersion, kind } = r.object;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') continue;
    const verdict = apiVerdict(apiVersion, kind, ctx.kubernetesVersion);
    if (verdict?.state !== state) continue;
    const { entry } = verdict;
    const what = `${name(r)}: ${apiVersion} ${kind}`;
    const advice = replacementAdvice(verdict, ctx.kubernetesVersion);
    // No target version in the message: environments at different versions share one finding.
    const message =
      state === 'removed'
        ? `${what} is no longer served since Kubernetes ${entry.removed}: ${advice}`
        : `${what} is deprecated since Kubernetes ${entry.deprecated}${
            entry.removed ? ` and no longer served from ${entry.removed}` : ''
          }: ${advice}`;
    out.push(at(ctx, r, ['apiVersion'], message));
  }
  return out;
}

export const apiVersionRemoved: Rule = {
  id: 'schema/api-version-removed',
  severity: 'error',
  title: 'No apiVersion the target Kubernetes version no longer serves',
  why: 'The API server answers "no matches for kind" for a version it stopped serving: the sync fails before any field is read.',
  hint: 'move the manifest to the replacement apiVersion (kubectl convert helps) and check the fields that changed',
  check: (ctx) => findings(ctx, 'removed'),
};

export const apiVersionDeprecated: Rule = {
  id: 'schema/api-version-deprecated',
  severity: 'warning',
  title: 'No deprecated apiVersion the target still serves',
  why: 'A deprecated version is served with a warning until the release that removes it; upgrading the cluster then breaks the sync.',
  hint: 'move the manifest to the replacement apiVersion before the release that removes it',
  check: (ctx) => findings(ctx, 'deprecated'),
};

export const API_VERSION_RULES: readonly Rule[] = [apiVersionRemoved, apiVersionDeprecated];
