import type { Finding } from '../finding.ts';
import type { Rule, RuleContext } from '../rule.ts';
import { containersOf, podTemplates, type PodTemplate } from '../workload/pod-templates.ts';
import { at, name } from './rule-helpers.ts';

/** Volume types Pod Security Standards `restricted` allows (kubernetes/pod-security-admission). */
const ALLOWED_VOLUMES = new Set([
  'configMap',
  'downwardAPI',
  'emptyDir',
  'projected',
  'secret',
  'csi',
  'persistentVolumeClaim',
  'ephemeral',
  'image',
]);

function restrictedViolations(ctx: RuleContext, t: PodTemplate): Finding[] {
  const out: Finding[] = [];
  const pod = t.spec;
  const psc = pod.securityContext ?? {};
  const here = (path: (string | number)[], msg: string) =>
    at(ctx, t.resource, [...t.path, ...path], `${name(t.resource)}: ${msg}`);
  for (const host of ['hostNetwork', 'hostPID', 'hostIPC'])
    if (pod[host] === true) out.push(here([host], `${host} is not allowed`));
  (pod.volumes ?? []).forEach((v: Record<string, unknown>, i: number) => {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !ALLOWED_VOLUMES.has(type))
      out.push(here(['volumes', i], `volume type ${type} is not allowed`));
  });
  for (const { container: c, path } of containersOf(pod)) {
    const sc = c.securityContext ?? {};
    const who = `container ${c.name}`;
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true)
      out.push(here([...path], `${who} does not set runAsNonRoot: true`));
    if ((sc.runAsUser ?? psc.runAsUser) === 0)
      out.push(here([...path, 'securityContext', 'runAsUser'], `${who} runs as user 0`));
    if (sc.allowPrivilegeEscalation !== false)
      out.push(here([...path, 'securityContext'], `${who} does not set allowPrivilegeEscalation: false`));
    if (sc.privileged === true)
      out.push(here([...path, 'securityContext', 'privileged'], `${who} is privileged`));
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL'))
      out.push(here([...path, 'securityContext'], `${who} does not drop ALL capabilities`));
    const add: string[] = sc.capabilities?.add ?? [];
    const extra = add.filter((a) => a !== 'NET_BIND_SERVICE');
    if (extra.length)
      out.push(
        here(
          [...path, 'securityContext', 'capabilities', 'add'],
          `${who} adds capabilities ${extra.join(', ')}`,
        ),
      );
    const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      out.push(here([...path], `${who} has no seccompProfile RuntimeDefault or Localhost`));
  }
  return out;
}

export const podSecurityRestricted: Rule = {
  id: 'workload/pod-security-restricted',
  severity: 'error',
  title: 'Pods meet Pod Security Standards "restricted"',
  why: 'Namespaces enforce the restricted profile: the API server rejects pods that do not meet it, so the rollout stalls.',
  hint: 'set runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop [ALL], seccompProfile RuntimeDefault',
  check: (ctx) => podTemplates(ctx.resources).flatMap((t) => restrictedViolations(ctx, t)),
};

export const imagePinned: Rule = {
  id: 'workload/image-pinned',
  severity: 'error',
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

export const resourcesSet: Rule = {
  id: 'workload/resources',
  severity: 'warning',
  title: 'Containers request and limit CPU and memory',
  why: 'Without requests the scheduler overcommits nodes; without limits one pod can starve its neighbours.',
  hint: 'set resources.requests and resources.limits for cpu and memory',
  check: (ctx) =>
    podTemplates(ctx.resources).flatMap((t) =>
      containersOf(t.spec)
        .filter(({ container: c }) =>
          ['requests', 'limits'].some((k) => !c.resources?.[k]?.cpu || !c.resources?.[k]?.memory),
        )
        .map(({ container: c, path }) =>
          at(
            ctx,
            t.resource,
            [...t.path, ...path],
            `${name(t.resource)}: container ${c.name} lacks cpu/memory requests or limits`,
          ),
        ),
    ),
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
  severity: 'error',
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
