import type { Rule } from '../rule.ts';
import { ARGOPROJ, at, name, ofKind, spec } from './rule-helpers.ts';
import { sourcesOf } from '../../repo/application.ts';
import { globToRegExp } from '../../repo/glob.ts';

const WAVE = 'argocd.argoproj.io/sync-wave';
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;

export const syncWaveInteger: Rule = {
  id: 'argocd/sync-wave-integer',
  severity: 'error',
  title: 'Sync-wave annotation is an integer string',
  why: 'Argo CD silently treats a sync wave that is not an integer as wave 0, so ordering breaks without a warning.',
  hint: 'write the wave as a quoted integer, e.g. argocd.argoproj.io/sync-wave: "2"',
  check: (ctx) =>
    ctx.resources
      .filter(
        (r) =>
          r.object.metadata?.annotations?.[WAVE] !== undefined &&
          !/^-?\d+$/.test(String(r.object.metadata.annotations[WAVE])),
      )
      .map((r) =>
        at(
          ctx,
          r,
          ['metadata', 'annotations', WAVE],
          `${name(r)}: sync wave "${r.object.metadata!.annotations![WAVE]}" is not an integer`,
        ),
      ),
};

export const chartPinned: Rule = {
  id: 'argocd/chart-pinned',
  severity: 'error',
  title: 'Helm chart sources pin an exact version',
  why: 'A range, `*` or an empty targetRevision lets a new chart release change the cluster without a commit.',
  hint: 'set targetRevision to an exact chart version (e.g. 1.30.0), promoted through release-pins',
  check: (ctx) =>
    ofKind(ctx, ARGOPROJ, 'Application').flatMap((r) =>
      sourcesOf(r.object)
        .filter(({ source }) => source.chart && !EXACT_VERSION.test(String(source.targetRevision ?? '')))
        .map(({ source, fieldPath }) =>
          at(
            ctx,
            r,
            [...fieldPath, 'targetRevision'],
            `${name(r)}: chart ${source.chart} targetRevision "${source.targetRevision ?? ''}" is not an exact version`,
          ),
        ),
    ),
};

export const finalizer: Rule = {
  id: 'argocd/finalizer',
  severity: 'warning',
  title: 'Child Applications carry the resources finalizer',
  why: 'Without resources-finalizer.argocd.argoproj.io, deleting an Application leaves its resources running unmanaged.',
  hint: 'add metadata.finalizers: [resources-finalizer.argocd.argoproj.io]',
  check: (ctx) =>
    ofKind(ctx, ARGOPROJ, 'Application')
      .filter(
        (r) =>
          r.app !== '' &&
          !(r.object.metadata?.finalizers as string[] | undefined)?.some((f) =>
            f.startsWith('resources-finalizer.argocd.argoproj.io'),
          ),
      )
      .map((r) => at(ctx, r, ['metadata'], `${name(r)} has no resources finalizer`)),
};

const matchesGlob = (pattern: string, value: string) =>
  pattern === '*' || pattern === value || globToRegExp(pattern).test(value);

export const projectPermits: Rule = {
  id: 'argocd/project-permits',
  severity: 'error',
  title: "The Application's project permits its sources and destination",
  why: 'Argo CD refuses to sync an Application whose repository or destination its AppProject does not allow.',
  hint: "add the repository to the AppProject's sourceRepos or the server/namespace to its destinations",
  check: (ctx) => {
    const projects = new Map(
      ofKind(ctx, ARGOPROJ, 'AppProject').map((p) => [p.object.metadata?.name, spec(p.object)]),
    );
    return ofKind(ctx, ARGOPROJ, 'Application').flatMap((r) => {
      const project = projects.get(spec(r.object).project);
      if (!project) return [];
      const out = [];
      for (const { source, fieldPath } of sourcesOf(r.object)) {
        const repos: string[] = project.sourceRepos ?? [];
        if (source.repoURL && !repos.some((p) => matchesGlob(p, source.repoURL!)))
          out.push(
            at(
              ctx,
              r,
              [...fieldPath, 'repoURL'],
              `${name(r)}: project ${spec(r.object).project} does not allow source ${source.repoURL}`,
            ),
          );
      }
      const dest = spec(r.object).destination ?? {};
      const dests: { server?: string; name?: string; namespace?: string }[] = project.destinations ?? [];
      const ok = dests.some(
        (d) =>
          (d.server
            ? dest.server !== undefined && matchesGlob(d.server, dest.server)
            : d.name
              ? dest.name !== undefined && matchesGlob(d.name, dest.name)
              : false) && matchesGlob(d.namespace ?? '*', dest.namespace ?? ''),
      );
      if (!ok)
        out.push(
          at(
            ctx,
            r,
            ['spec', 'destination'],
            `${name(r)}: project ${spec(r.object).project} does not allow destination ${dest.server ?? dest.name ?? '?'} namespace ${dest.namespace ?? '(none)'}`,
          ),
        );
      return out;
    });
  },
};

export const syncPolicyPerEnvironment: Rule = {
  id: 'argocd/sync-policy',
  severity: 'error',
  title: 'Sync policy fits the environment (seed property 18)',
  why: 'The last environment in promotion order (prod) is synced by hand; earlier ones sync automatically with prune and self-heal; all retry.',
  hint: 'last environment: remove syncPolicy.automated; others: automated {prune: true, selfHeal: true}; all: syncPolicy.retry',
  check: (ctx) => {
    const envs = ctx.settings.environments.map((e) => e.name);
    if (!ctx.env || !envs.includes(ctx.env)) return [];
    const last = envs.at(-1) === ctx.env;
    return ofKind(ctx, ARGOPROJ, 'Application').flatMap((r) => {
      const policy = spec(r.object).syncPolicy ?? {};
      const out = [];
      if (last && policy.automated !== undefined)
        out.push(
          at(
            ctx,
            r,
            ['spec', 'syncPolicy', 'automated'],
            `${name(r)}: ${ctx.env} is synced by hand, but this Application syncs automatically`,
          ),
        );
      if (!last && (policy.automated?.prune !== true || policy.automated?.selfHeal !== true))
        out.push(
          at(
            ctx,
            r,
            ['spec', 'syncPolicy'],
            `${name(r)}: ${ctx.env} must sync automatically with prune and selfHeal`,
          ),
        );
      if (!policy.retry) out.push(at(ctx, r, ['spec', 'syncPolicy'], `${name(r)}: no syncPolicy.retry`));
      return out;
    });
  },
};

export const ARGOCD_RULES: readonly Rule[] = [
  syncWaveInteger,
  chartPinned,
  finalizer,
  projectPermits,
  syncPolicyPerEnvironment,
];
