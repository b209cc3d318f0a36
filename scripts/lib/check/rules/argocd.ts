import type { Rule, RuleContext } from '../rule.ts';
import { ARGOPROJ, at, name, ofKind, spec } from './rule-helpers.ts';
import { sourcesOf } from '../../repo/application.ts';
import { globToRegExp } from '../../repo/glob.ts';
import { clusterScopedKinds } from '../argocd/cluster-scoped-kinds.ts';
import { groupOf, type Resource } from '../../repo/resource.ts';
import type { Finding } from '../finding.ts';
import { SYNC_WAVE, syncWave } from '../argocd/sync-waves.ts';
import { modelledKinds } from '../schema/known-kinds.ts';

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
          r.object.metadata?.annotations?.[SYNC_WAVE] !== undefined &&
          !/^-?\d+$/.test(String(r.object.metadata.annotations[SYNC_WAVE])),
      )
      .map((r) =>
        at(
          ctx,
          r,
          ['metadata', 'annotations', SYNC_WAVE],
          `${name(r)}: sync wave "${r.object.metadata!.annotations![SYNC_WAVE]}" is not an integer`,
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

/** AppProject specs of the environment by name. */
function projectsByName(ctx: RuleContext): Map<string | undefined, Record<string, any>> {
  return new Map(ofKind(ctx, ARGOPROJ, 'AppProject').map((p) => [p.object.metadata?.name, spec(p.object)]));
}

type Destination = { server?: string; name?: string; namespace?: string };

/** Does one of the project's destinations match the Application's cluster and this namespace (globs, as Argo CD)? */
function destinationPermitted(project: Record<string, any>, dest: Destination, namespace: string): boolean {
  return ((project.destinations ?? []) as Destination[]).some(
    (d) =>
      (d.server
        ? dest.server !== undefined && matchesGlob(d.server, dest.server)
        : d.name
          ? dest.name !== undefined && matchesGlob(d.name, dest.name)
          : false) && matchesGlob(d.namespace ?? '*', namespace),
  );
}

export const projectPermits: Rule = {
  id: 'argocd/project-permits',
  severity: 'error',
  title: "The Application's project permits its sources and destination",
  why: 'Argo CD refuses to sync an Application whose repository or destination its AppProject does not allow.',
  hint: "add the repository to the AppProject's sourceRepos or the server/namespace to its destinations",
  check: (ctx) => {
    const projects = projectsByName(ctx);
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
      const dest: Destination = spec(r.object).destination ?? {};
      if (!destinationPermitted(project, dest, dest.namespace ?? ''))
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

type GroupKind = { group?: string; kind?: string };
const listsGroupKind = (list: GroupKind[] | undefined, group: string, kind: string) =>
  (list ?? []).some((e) => matchesGlob(e.group ?? '', group) && matchesGlob(e.kind ?? '', kind));

export const projectPermitsResources: Rule = {
  id: 'argocd/project-permits-resources',
  severity: 'error',
  title: 'Every resource an Application deploys is in a namespace and of a kind its project allows',
  why: 'Argo CD checks each resource, not only the Application\'s destination: a resource in a namespace the project does not list, or a cluster-scoped kind missing from clusterResourceWhitelist, fails the whole sync with "not permitted in project".',
  hint: "add the namespace to the AppProject's destinations, or the group and kind to its clusterResourceWhitelist (namespaceResourceWhitelist, where the project sets one)",
  check: (ctx) => {
    const projects = projectsByName(ctx);
    const apps = new Map(
      ofKind(ctx, ARGOPROJ, 'Application').map((a) => [a.object.metadata?.name, spec(a.object)]),
    );
    const clusterScoped = clusterScopedKinds(ctx.resources);
    const out = [];
    for (const r of ctx.resources) {
      const app = r.app ? apps.get(r.app) : undefined;
      const project = app ? projects.get(app.project) : undefined;
      if (!app || !project) continue;
      const group = groupOf(r.object.apiVersion);
      const kind = r.object.kind ?? '';
      const where = `${name(r)} (Application ${r.app}, project ${app.project})`;
      if (clusterScoped.has(`${group}/${kind}`)) {
        if (
          !listsGroupKind(project.clusterResourceWhitelist, group, kind) ||
          listsGroupKind(project.clusterResourceBlacklist, group, kind)
        )
          out.push(
            at(
              ctx,
              r,
              ['kind'],
              `${where}: cluster-scoped ${group || 'core'}/${kind} is not in the project's clusterResourceWhitelist`,
            ),
          );
        continue;
      }
      const namespace = r.object.metadata?.namespace ?? app.destination?.namespace ?? '';
      if (!destinationPermitted(project, app.destination ?? {}, namespace))
        out.push(
          at(
            ctx,
            r,
            ['metadata', 'namespace'],
            `${where}: namespace ${namespace || '(none)'} is not among the project's destinations`,
          ),
        );
      else if (
        (project.namespaceResourceWhitelist &&
          !listsGroupKind(project.namespaceResourceWhitelist, group, kind)) ||
        listsGroupKind(project.namespaceResourceBlacklist, group, kind)
      )
        out.push(
          at(
            ctx,
            r,
            ['kind'],
            `${where}: ${group || 'core'}/${kind} is not allowed by the project's namespace resource lists`,
          ),
        );
    }
    return out;
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

/** Child Applications of the environment, once each by name. */
function applications(resources: readonly Resource[]): Resource[] {
  const seen = new Set<string>();
  return resources.filter((r) => {
    const n = r.object.metadata?.name ?? '';
    if (r.object.kind !== 'Application' || !ARGOPROJ.test(r.object.apiVersion ?? '') || seen.has(n))
      return false;
    seen.add(n);
    return true;
  });
}

/** API group → the Application providing its CRDs: CRDs rendered in the repo, then settings.crdProviders. */
function crdProviders(
  resources: readonly Resource[],
  configured: Record<string, string>,
): Map<string, string> {
  const out = new Map(Object.entries(configured));
  for (const r of resources)
    if (r.object.kind === 'CustomResourceDefinition' && r.app) {
      const group = (r.object.spec as { group?: string } | undefined)?.group;
      if (group) out.set(group, r.app);
    }
  return out;
}

export const crdWaveOrder: Rule = {
  id: 'argocd/crd-wave-order',
  severity: 'error',
  title: 'Sync waves order CRD providers before their consumers',
  why: 'Argo CD syncs an Application only after every earlier wave is healthy; in the same or an earlier wave than the Application installing the CRDs, its custom resources fail with "no matches for kind" and the sync stalls.',
  hint: 'give the consuming Application a higher argocd.argoproj.io/sync-wave than the provider (or add the group to crdProviders in clusters/settings.yaml when a chart installs it)',
  check: (ctx) => {
    const apps = applications(ctx.resources);
    const waves = new Map(apps.map((a) => [a.object.metadata?.name ?? '', syncWave(a.object)]));
    const providers = crdProviders(ctx.resources, ctx.settings.crdProviders ?? {});
    const out: Finding[] = [];
    for (const app of apps) {
      const appName = app.object.metadata?.name ?? '';
      const groups = new Set(
        ctx.resources.filter((r) => r.app === appName).map((r) => groupOf(r.object.apiVersion)),
      );
      for (const group of [...groups].sort()) {
        const provider = providers.get(group);
        if (!provider || provider === appName) continue;
        const providerWave = waves.get(provider);
        const wave = syncWave(app.object);
        if (providerWave === undefined)
          out.push(
            at(
              ctx,
              app,
              ['metadata', 'annotations', SYNC_WAVE],
              `${name(app)} uses ${group}, whose CRDs Application ${provider} installs, but ${ctx.env || 'this set'} has no Application ${provider}`,
            ),
          );
        else if (wave <= providerWave)
          out.push(
            at(
              ctx,
              app,
              ['metadata', 'annotations', SYNC_WAVE],
              `${name(app)} (wave ${wave}) uses ${group} but syncs no later than ${provider} (wave ${providerWave}), which installs its CRDs`,
            ),
          );
      }
    }
    return out;
  },
};

export const ignoreDifferencesKinds: Rule = {
  id: 'argocd/ignore-differences-kinds',
  severity: 'error',
  title: 'ignoreDifferences entries name a real group and kind',
  why: 'Argo CD matches ignoreDifferences by group and kind: a typo matches nothing, so the drift it was meant to hide keeps the Application OutOfSync.',
  hint: 'use the API group without version (e.g. admissionregistration.k8s.io, "" for core) and the exact Kind (e.g. MutatingWebhookConfiguration)',
  check: (ctx) => {
    const entries = applications(ctx.resources).flatMap((app) =>
      ((spec(app.object).ignoreDifferences ?? []) as { group?: string; kind?: string }[]).map((d, i) => ({
        app,
        d,
        i,
      })),
    );
    if (entries.length === 0) return [];
    const known = new Set(modelledKinds());
    for (const k of ctx.settings.kindsWithoutSchema)
      known.add(`${groupOf(k.slice(0, k.lastIndexOf('/')))}/${k.slice(k.lastIndexOf('/') + 1)}`);
    for (const r of ctx.resources)
      if (r.object.kind === 'CustomResourceDefinition') {
        const s = spec(r.object);
        if (s.group && s.names?.kind) known.add(`${s.group}/${s.names.kind}`);
      }
    // Groups whose CRDs a chart installs: their kinds cannot be listed offline, any kind is accepted.
    const chartGroups = new Set(Object.keys(ctx.settings.crdProviders ?? {}));
    const knownGroups = new Set([...known].map((k) => k.slice(0, k.lastIndexOf('/'))));
    return entries.flatMap(({ app, d, i }) => {
      const group = d.group ?? '';
      const kind = d.kind ?? '';
      // Argo CD matches both as globs.
      if (group.includes('*') || kind.includes('*')) return [];
      if (known.has(`${group}/${kind}`) || (chartGroups.has(group) && !knownGroups.has(group))) return [];
      const field = knownGroups.has(group) || chartGroups.has(group) ? 'kind' : 'group';
      return [
        at(
          ctx,
          app,
          ['spec', 'ignoreDifferences', i, field],
          `${name(app)}: ignoreDifferences[${i}] ${group || '(core)'}/${kind} is not a known kind, so it ignores nothing`,
        ),
      ];
    });
  },
};

export const ARGOCD_RULES: readonly Rule[] = [
  syncWaveInteger,
  chartPinned,
  finalizer,
  projectPermits,
  projectPermitsResources,
  syncPolicyPerEnvironment,
  crdWaveOrder,
  ignoreDifferencesKinds,
];
