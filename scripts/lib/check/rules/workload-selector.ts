import type { Rule } from '../rule.ts';
import { labelSelectorMatches, type LabelSelector } from '../workload/label-selector.ts';
import { at, name } from './rule-helpers.ts';

/** Kinds whose selector the API server requires to select their own pod template. */
const SELECTING = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

const selectorMatchesTemplate: Rule = {
  id: 'workload/selector-matches-template',
  severity: 'error',
  title: "A workload's selector selects its own pod template's labels",
  why: 'The API server rejects an apps/v1 workload whose selector does not match its template labels ("selector does not match template labels"), and a Job with manualSelector the same way; Argo CD shows the sync as failed.',
  hint: 'make spec.selector.matchLabels a subset of spec.template.metadata.labels (the selector is immutable once created)',
  check: (ctx) =>
    ctx.resources.flatMap((r) => {
      const o = r.object as Record<string, any>;
      const applies =
        (SELECTING.has(o.kind) && /^apps\//.test(o.apiVersion ?? '')) ||
        (o.kind === 'Job' && o.apiVersion === 'batch/v1' && o.spec?.manualSelector === true);
      if (!applies || !o.spec?.template) return [];
      const selector = o.spec.selector as LabelSelector | undefined;
      if (!selector || typeof selector !== 'object') return [];
      const empty =
        !Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length;
      if (empty) return [at(ctx, r, ['spec', 'selector'], `${name(r)}: an empty selector is not allowed`)];
      const labels = o.spec.template.metadata?.labels as Record<string, string> | undefined;
      if (labelSelectorMatches(selector, labels)) return [];
      return [
        at(
          ctx,
          r,
          ['spec', 'selector'],
          `${name(r)}: selector ${JSON.stringify(selector)} does not match the template labels ${JSON.stringify(labels ?? {})}`,
        ),
      ];
    }),
};

export const WORKLOAD_SELECTOR_RULES: readonly Rule[] = [selectorMatchesTemplate];
