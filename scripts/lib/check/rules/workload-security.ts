import type { Finding } from '../finding.ts';
import type { Rule, RuleContext } from '../rule.ts';
import { containersOf, podTemplates, type PodTemplate } from '../workload/pod-templates.ts';
import { at, name, ofKind } from './rule-helpers.ts';
import type { Resource } from '../../repo/resource.ts';
import { kubernetesMinor } from '../../repo/kubernetes-version.ts';
import { evaluatePodSecurity, NEWEST_POLICY_MINOR, type PodShape } from '../workload/pod-security.ts';
import { enforcePolicy, type EnforcePolicy } from '../workload/pod-security-labels.ts';

interface NamespacePolicy {
  policy: EnforcePolicy;
  /** False when the namespace is not among the resources: its labels are unknown. */
  known: boolean;
}

/** Each Namespace's enforce policy; a namespace defined elsewhere is assumed restricted, as before. */
function policyOf(namespaces: Map<string, Resource>, ns: string | undefined): NamespacePolicy {
  const r = ns === undefined ? undefined : namespaces.get(ns);
  if (!r) return { policy: { level: 'restricted', version: 'latest' }, known: false };
  return { policy: enforcePolicy(r.object.metadata?.labels).policy, known: true };
}

/** The longest prefix of `path` that exists in `value`, so a finding lands on a line that is there. */
function existingPrefix(value: unknown, path: readonly (string | number)[]): (string | number)[] {
  const out: (string | number)[] = [];
  let cur = value as Record<string | number, unknown> | undefined;
  for (const key of path) {
    if (!cur || typeof cur !== 'object' || !(key in cur)) break;
    out.push(key);
    cur = cur[key] as Record<string | number, unknown> | undefined;
  }
  return out;
}

function podSecurityViolations(
  ctx: RuleContext,
  t: PodTemplate,
  namespaces: Map<string, Resource>,
): Finding[] {
  const ns = t.resource.object.metadata?.namespace;
  const { policy, known } = policyOf(namespaces, ns);
  if (policy.level === 'privileged') return [];
  // `latest` is the policy of the cluster's own release; a newer pinned version evaluates as it too.
  const target = kubernetesMinor(ctx.kubernetesVersion) ?? NEWEST_POLICY_MINOR;
  const minor = policy.version === 'latest' ? target : Math.min(policy.version, target);
  const root = t.path.slice(0, -1);
  let pod: unknown = t.resource.object;
  for (const key of root) pod = (pod as Record<string | number, unknown>)[key];
  const shape = pod as PodShape;
  // A pinned version is named; `latest` is not, so environments at different versions share a finding.
  const level = policy.version === 'latest' ? policy.level : `${policy.level} v1.${minor}`;
  const assumed = known
    ? ''
    : `; namespace ${ns ?? '(none)'} is not among the checked resources, so "restricted" is assumed`;
  // Only a namespace that enforces a level makes the API server reject the pod: where its labels are
  // unknown (a cluster's default is usually privileged) "restricted" is advice, a warning.
  const extra = known ? {} : { severity: 'warning' as const };
  return evaluatePodSecurity(shape, policy.level, minor).map((v) =>
    at(
      ctx,
      t.resource,
      [...root, ...existingPrefix(shape, v.path)],
      `${name(t.resource)}: ${v.detail} (Pod Security ${level}, check ${v.check})`,
      { hint: `${v.fix}${assumed}`, ...extra },
    ),
  );
}

/** Namespaces whose pod-security labels the API server rejects (PSA validates them on create). */
function labelProblems(ctx: RuleContext, namespaces: Iterable<Resource>): Finding[] {
  return [...namespaces].flatMap((r) => {
    const labels = r.object.metadata?.labels;
    return enforcePolicy(labels).problems.map((p) =>
      at(
        ctx,
        r,
        ['metadata', 'labels', p.label],
        `${name(r)}: label ${p.label}: "${String(labels?.[p.label] ?? '')}" ${p.message}; the API server rejects the Namespace`,
        { hint: 'use privileged, baseline or restricted for the level and latest or v1.N for the version' },
      ),
    );
  });
}

export const podSecurityRestricted: Rule = {
  // The id predates levels and versions; it stays, as SARIF and suppressions key on it.
  id: 'workload/pod-security-restricted',
  severity: 'error',
  title: 'Pods meet the Pod Security Standards level their namespace enforces',
  why: 'Pod Security admission rejects a pod that breaks the level its namespace enforces (pod-security.kubernetes.io/enforce and enforce-version; restricted when the namespace is not defined here): the rollout stalls.',
  hint: 'meet the check the finding names, or change the namespace label pod-security.kubernetes.io/enforce',
  check: (ctx) => {
    const namespaces = new Map(
      ofKind(ctx, 'v1', 'Namespace')
        .filter((r) => r.object.metadata?.name)
        .map((r) => [r.object.metadata!.name!, r] as const),
    );
    return [
      ...labelProblems(ctx, namespaces.values()),
      ...podTemplates(ctx.resources).flatMap((t) => podSecurityViolations(ctx, t, namespaces)),
    ];
  },
};

export const imagePinned: Rule = {
  id: 'workload/image-pinned',
  // A policy, not something a cluster rejects: clusters/validate.yaml makes it an error here.
  severity: 'warning',
  title: 'Images are pinned by tag or digest, never latest',
  why: 'An untagged or latest image changes under a running Deployment without a commit, and cannot be promoted or rolled back.',
  hint: 'set the tag in the overlay kustomization `images:` (newTag) or pin a digest',
  check: (ctx) =>
    podTemplates(ctx.resources).flatMap((t) =>
      containersOf(t.spec).flatMap(({ container: c, path }) => {
        const image = String(c.image ?? '');
        const tag = image.includes('@') ? 'digest' : image.slice(image.lastIndexOf('/') + 1).split(':')[1];
        return !tag || tag === 'latest'
          ? [
              at(
                ctx,
                t.resource,
                [...t.path, ...path, 'image'],
                `${name(t.resource)}: container ${c.name} image "${image}" is not pinned`,
              ),
            ]
          : [];
      }),
    ),
};

/** Pod-level `resources` (PodLevelResources, beta and on by default since 1.34) cover every container. */
const POD_LEVEL_RESOURCES_SINCE = 34;

export const resourcesSet: Rule = {
  id: 'workload/resources',
  severity: 'warning',
  title: 'Containers request and limit CPU and memory, in the container or at pod level',
  why: 'Without requests the scheduler overcommits nodes; without limits one pod can starve its neighbours.',
  hint: 'set resources.requests and resources.limits for cpu and memory (per container, or once in the pod spec from Kubernetes 1.34)',
  check: (ctx) => {
    const podLevel = (kubernetesMinor(ctx.kubernetesVersion) ?? 0) >= POD_LEVEL_RESOURCES_SINCE;
    return podTemplates(ctx.resources).flatMap((t) =>
      containersOf(t.spec)
        .filter(({ container: c }) =>
          ['requests', 'limits'].some((k) =>
            ['cpu', 'memory'].some(
              (r) => !c.resources?.[k]?.[r] && !(podLevel && t.spec.resources?.[k]?.[r]),
            ),
          ),
        )
        .map(({ container: c, path }) =>
          at(
            ctx,
            t.resource,
            [...t.path, ...path],
            `${name(t.resource)}: container ${c.name} lacks cpu/memory requests or limits`,
          ),
        ),
    );
  },
};

export const probesSet: Rule = {
  id: 'workload/probes',
  severity: 'warning',
  title: 'Long-running containers have liveness and readiness probes',
  why: 'Without readiness a pod receives traffic before it can serve; without liveness a hung process is never restarted.',
  hint: 'add readinessProbe and livenessProbe (and startupProbe for slow starters)',
  check: (ctx) =>
    podTemplates(ctx.resources)
      .filter((t) => !['Job', 'CronJob'].includes(t.resource.object.kind ?? ''))
      .flatMap((t) =>
        ((t.spec.containers ?? []) as Record<string, any>[])
          .filter((c) => !c.livenessProbe || !c.readinessProbe)
          .map((c) =>
            at(
              ctx,
              t.resource,
              [...t.path, 'containers', (t.spec.containers as unknown[]).indexOf(c)],
              `${name(t.resource)}: container ${c.name} lacks a liveness or readiness probe`,
            ),
          ),
      ),
};

export const noPlainSecret: Rule = {
  id: 'security/no-plain-secret',
  // A policy, not something a cluster rejects: clusters/validate.yaml makes it an error here.
  severity: 'warning',
  title: 'No Secret with data in git',
  why: 'Anything committed is readable by everyone with repository access, forever; credentials belong in SealedSecrets.',
  hint: 'seal it with kubeseal and commit the SealedSecret instead',
  check: (ctx) =>
    ctx.resources
      .filter((r) => r.object.apiVersion === 'v1' && r.object.kind === 'Secret')
      .filter(
        (r) =>
          Object.keys((r.object.data as object) ?? {}).length +
            Object.keys((r.object.stringData as object) ?? {}).length >
          0,
      )
      .map((r) =>
        at(ctx, r, [r.object.data ? 'data' : 'stringData'], `${name(r)} carries data in plain text`),
      ),
};

export const readOnlyRootFilesystem: Rule = {
  id: 'workload/read-only-root-filesystem',
  // A warning, not an error: the API server and Pod Security "restricted" accept a writable root
  // filesystem, so the rollout does not fail; it is hardening whose fix (emptyDir mounts for the paths
  // the image writes) needs knowledge of the image, and it may need a justified suppression.
  severity: 'warning',
  title: 'Containers run with a read-only root filesystem',
  why: 'A writable root filesystem lets an intruder drop tools or change binaries in the container; read-only confines writes to declared volumes.',
  hint: 'set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes (e.g. /tmp)',
  check: (ctx) =>
    podTemplates(ctx.resources).flatMap((t) =>
      containersOf(t.spec)
        .filter(({ container: c }) => c.securityContext?.readOnlyRootFilesystem !== true)
        .map(({ container: c, path }) =>
          at(
            ctx,
            t.resource,
            [...t.path, ...path, 'securityContext'],
            `${name(t.resource)}: container ${c.name} does not set readOnlyRootFilesystem: true`,
          ),
        ),
    ),
};

export const WORKLOAD_RULES: readonly Rule[] = [
  podSecurityRestricted,
  readOnlyRootFilesystem,
  imagePinned,
  resourcesSet,
  probesSet,
  noPlainSecret,
];
