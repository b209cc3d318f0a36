import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checksAt,
  evaluatePodSecurity,
  POD_SECURITY_CHECKS,
  type PodSecurityLevel,
  type PodShape,
} from '../../scripts/lib/check/workload/pod-security.ts';
import { enforcePolicy } from '../../scripts/lib/check/workload/pod-security-labels.ts';
import { podSecurityRestricted, resourcesSet } from '../../scripts/lib/check/rules/workload-security.ts';
import type { Rule } from '../../scripts/lib/check/rule.ts';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';
import { validate } from '../../scripts/lib/commands/validate.ts';
import { FIXTURES } from '../helpers/fixture-repo.ts';
import { findings } from '../property/rule-harness.ts';

type Spec = Record<string, any>;

/** A pod that meets restricted at every version: the starting point each row changes one thing in. */
function restrictedPod(): PodShape {
  return {
    metadata: {},
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'app',
          image: 'r/app:1',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}

const app = (p: PodShape): Spec => p.spec.containers[0];
const with_ =
  (change: (p: PodShape) => void): (() => PodShape) =>
  () => {
    const p = restrictedPod();
    change(p);
    return p;
  };
const podSc = (extra: Spec) => with_((p) => Object.assign(p.spec.securityContext, extra));
const appSc = (extra: Spec) => with_((p) => Object.assign(app(p).securityContext, extra));
const spec = (extra: Spec) => with_((p) => Object.assign(p.spec, extra));
const annotated = (annotations: Record<string, string>) => with_((p) => (p.metadata = { annotations }));
const sysctl = (name: string) => podSc({ sysctls: [{ name, value: '1' }] });
const volumes = (...vs: Spec[]) => spec({ volumes: vs });
const windows = (change: (p: PodShape) => void) =>
  with_((p) => {
    p.spec.os = { name: 'windows' };
    change(p);
  });
const userNamespace = (change: (p: PodShape) => void) =>
  with_((p) => {
    p.spec.hostUsers = false;
    change(p);
  });
/** A container that meets restricted, for init and ephemeral containers. */
const goodContainer = (name: string, extra: Spec = {}): Spec => ({
  name,
  image: 'r/x:1',
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, ...extra },
});
const bare = () => ({ spec: { containers: [{ name: 'app', image: 'x:1' }] } });
const APP_SC = 'spec.containers.0.securityContext';

/**
 * The table mirrors pod-security-admission's policy/check_*.go: upstream check name, level, policy minor,
 * the pod, and PSA's verdict: `allowed`, or the checks that fail (comma-separated), then `@` and the field
 * the first violation points at.
 */
const ROWS: [string, PodSecurityLevel, number, () => PodShape, string][] = [
  // levels
  ['(privileged runs no check)', 'privileged', 36, spec({ hostNetwork: true }), 'allowed'],
  ['(restricted pod)', 'restricted', 36, restrictedPod, 'allowed'],
  ['(restricted pod)', 'baseline', 36, restrictedPod, 'allowed'],
  ['(bare pod)', 'baseline', 36, bare, 'allowed'],
  [
    '(bare pod)',
    'restricted',
    36,
    bare,
    'allowPrivilegeEscalation,capabilities_restricted,runAsNonRoot,seccompProfile_restricted',
  ],
  // hostNamespaces (baseline, 1.0)
  ['hostNamespaces', 'baseline', 36, spec({ hostNetwork: true }), 'hostNamespaces @ spec.hostNetwork'],
  ['hostNamespaces', 'baseline', 0, spec({ hostPID: true }), 'hostNamespaces @ spec.hostPID'],
  ['hostNamespaces', 'restricted', 36, spec({ hostIPC: true }), 'hostNamespaces @ spec.hostIPC'],
  ['hostNamespaces', 'baseline', 36, spec({ hostNetwork: false }), 'allowed'],
  // privileged (baseline, 1.0): init and ephemeral containers count
  ['privileged', 'baseline', 36, appSc({ privileged: true }), `privileged @ ${APP_SC}.privileged`],
  [
    'privileged',
    'baseline',
    36,
    spec({ initContainers: [goodContainer('init', { privileged: true })] }),
    'privileged @ spec.initContainers.0.securityContext.privileged',
  ],
  [
    'privileged',
    'baseline',
    36,
    spec({ ephemeralContainers: [goodContainer('debug', { privileged: true })] }),
    'privileged @ spec.ephemeralContainers.0.securityContext.privileged',
  ],
  ['privileged', 'baseline', 36, appSc({ privileged: false }), 'allowed'],
  // capabilities_baseline (baseline, 1.0), replaced by capabilities_restricted from 1.22
  [
    'capabilities_baseline',
    'baseline',
    36,
    appSc({ capabilities: { add: ['NET_ADMIN'] } }),
    `capabilities_baseline @ ${APP_SC}.capabilities.add.0`,
  ],
  [
    'capabilities_baseline',
    'baseline',
    36,
    appSc({ capabilities: { add: ['CHOWN', 'NET_BIND_SERVICE'] } }),
    'allowed',
  ],
  [
    'capabilities_baseline',
    'restricted',
    21,
    appSc({ capabilities: { add: ['SYS_ADMIN'] } }),
    'capabilities_baseline',
  ],
  ['capabilities_baseline', 'restricted', 21, appSc({ capabilities: undefined }), 'allowed'],
  // capabilities_restricted (restricted, 1.22; Windows pods exempt from 1.25)
  [
    'capabilities_restricted',
    'restricted',
    22,
    appSc({ capabilities: undefined }),
    `capabilities_restricted @ ${APP_SC}.capabilities.drop`,
  ],
  [
    'capabilities_restricted',
    'restricted',
    36,
    appSc({ capabilities: { drop: ['NET_RAW'] } }),
    `capabilities_restricted @ ${APP_SC}.capabilities.drop`,
  ],
  [
    'capabilities_restricted',
    'restricted',
    36,
    appSc({ capabilities: { drop: ['ALL'], add: ['CHOWN'] } }),
    `capabilities_restricted @ ${APP_SC}.capabilities.add.0`,
  ],
  [
    'capabilities_restricted',
    'restricted',
    36,
    appSc({ capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }),
    'allowed',
  ],
  [
    'capabilities_restricted',
    'restricted',
    25,
    windows((p) => delete app(p).securityContext.capabilities),
    'allowed',
  ],
  [
    'capabilities_restricted',
    'restricted',
    24,
    windows((p) => delete app(p).securityContext.capabilities),
    'capabilities_restricted',
  ],
  // hostPathVolumes (baseline, 1.0); restrictedVolumes replaces it at restricted: one violation, not two
  [
    'hostPathVolumes',
    'baseline',
    36,
    volumes({ name: 'h', hostPath: { path: '/' } }),
    'hostPathVolumes @ spec.volumes.0.hostPath',
  ],
  [
    'restrictedVolumes',
    'restricted',
    36,
    volumes({ name: 'h', hostPath: { path: '/' } }),
    'restrictedVolumes @ spec.volumes.0.hostPath',
  ],
  // restrictedVolumes (restricted, 1.0)
  ['restrictedVolumes', 'baseline', 36, volumes({ name: 'n', nfs: { server: 's', path: '/' } }), 'allowed'],
  [
    'restrictedVolumes',
    'restricted',
    0,
    volumes({ name: 'n', nfs: { server: 's', path: '/' } }),
    'restrictedVolumes @ spec.volumes.0.nfs',
  ],
  [
    'restrictedVolumes',
    'restricted',
    36,
    volumes(
      { name: 'a', configMap: { name: 'c' } },
      { name: 'b', secret: { secretName: 's' } },
      { name: 'c', emptyDir: {} },
      { name: 'd', projected: { sources: [] } },
      { name: 'e', downwardAPI: {} },
      { name: 'f', csi: { driver: 'd' } },
      { name: 'g', persistentVolumeClaim: { claimName: 'p' } },
      { name: 'h', ephemeral: {} },
      { name: 'i', image: { reference: 'r/i:1' } },
      { name: 'j' },
    ),
    'allowed',
  ],
  // hostPorts (baseline, 1.0)
  [
    'hostPorts',
    'baseline',
    36,
    with_((p) => (app(p).ports = [{ containerPort: 80, hostPort: 8080 }])),
    'hostPorts @ spec.containers.0.ports.0.hostPort',
  ],
  [
    'hostPorts',
    'baseline',
    36,
    with_((p) => (app(p).ports = [{ containerPort: 80, hostPort: 0 }])),
    'allowed',
  ],
  [
    'hostPorts',
    'baseline',
    36,
    spec({ initContainers: [{ ...goodContainer('init'), ports: [{ containerPort: 1, hostPort: 1 }] }] }),
    'hostPorts @ spec.initContainers.0.ports.0.hostPort',
  ],
  // hostProbesAndHostLifecycle (baseline, 1.34)
  [
    'hostProbesAndHostLifecycle',
    'baseline',
    34,
    with_((p) => (app(p).livenessProbe = { httpGet: { host: '10.0.0.1', port: 80 } })),
    'hostProbesAndHostLifecycle @ spec.containers.0.livenessProbe.httpGet.host',
  ],
  [
    'hostProbesAndHostLifecycle',
    'baseline',
    33,
    with_((p) => (app(p).livenessProbe = { httpGet: { host: '10.0.0.1', port: 80 } })),
    'allowed',
  ],
  [
    'hostProbesAndHostLifecycle',
    'restricted',
    36,
    with_((p) => (app(p).lifecycle = { preStop: { tcpSocket: { host: 'db', port: 5432 } } })),
    'hostProbesAndHostLifecycle @ spec.containers.0.lifecycle.preStop.tcpSocket.host',
  ],
  [
    'hostProbesAndHostLifecycle',
    'baseline',
    36,
    with_((p) => (app(p).readinessProbe = { httpGet: { host: '', port: 80 } })),
    'allowed',
  ],
  // appArmorProfile (baseline, 1.0): the fields and the beta annotation
  [
    'appArmorProfile',
    'baseline',
    36,
    podSc({ appArmorProfile: { type: 'Unconfined' } }),
    'appArmorProfile @ spec.securityContext.appArmorProfile.type',
  ],
  [
    'appArmorProfile',
    'baseline',
    36,
    appSc({ appArmorProfile: { type: 'Localhost', localhostProfile: 'k' } }),
    'allowed',
  ],
  [
    'appArmorProfile',
    'baseline',
    36,
    annotated({ 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' }),
    'appArmorProfile @ metadata.annotations.container.apparmor.security.beta.kubernetes.io/app',
  ],
  [
    'appArmorProfile',
    'baseline',
    36,
    annotated({ 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' }),
    'allowed',
  ],
  // seLinuxOptions (baseline, 1.0; container_engine_t from 1.31)
  [
    'seLinuxOptions',
    'baseline',
    36,
    podSc({ seLinuxOptions: { type: 'spc_t' } }),
    'seLinuxOptions @ spec.securityContext.seLinuxOptions.type',
  ],
  [
    'seLinuxOptions',
    'baseline',
    36,
    appSc({ seLinuxOptions: { user: 'system_u' } }),
    `seLinuxOptions @ ${APP_SC}.seLinuxOptions.user`,
  ],
  [
    'seLinuxOptions',
    'baseline',
    30,
    appSc({ seLinuxOptions: { type: 'container_engine_t' } }),
    'seLinuxOptions',
  ],
  ['seLinuxOptions', 'baseline', 31, appSc({ seLinuxOptions: { type: 'container_engine_t' } }), 'allowed'],
  [
    'seLinuxOptions',
    'baseline',
    36,
    appSc({ seLinuxOptions: { type: 'container_t', level: 's0:c1' } }),
    'allowed',
  ],
  // procMount (baseline, 1.0; user-namespace pods exempt from 1.35) and procMount_restricted (1.35)
  ['procMount', 'baseline', 34, appSc({ procMount: 'Unmasked' }), `procMount @ ${APP_SC}.procMount`],
  [
    'procMount',
    'baseline',
    34,
    userNamespace((p) => (app(p).securityContext.procMount = 'Unmasked')),
    'procMount',
  ],
  [
    'procMount',
    'baseline',
    35,
    userNamespace((p) => (app(p).securityContext.procMount = 'Unmasked')),
    'allowed',
  ],
  [
    'procMount_restricted',
    'restricted',
    35,
    userNamespace((p) => (app(p).securityContext.procMount = 'Unmasked')),
    'procMount_restricted',
  ],
  ['procMount', 'restricted', 34, appSc({ procMount: 'Unmasked' }), 'procMount'],
  ['procMount', 'baseline', 36, appSc({ procMount: 'Default' }), 'allowed'],
  // seccompProfile_baseline (baseline: annotations before 1.19, fields from 1.19)
  [
    'seccompProfile_baseline',
    'baseline',
    18,
    annotated({ 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }),
    'seccompProfile_baseline @ metadata.annotations.seccomp.security.alpha.kubernetes.io/pod',
  ],
  [
    'seccompProfile_baseline',
    'baseline',
    18,
    annotated({ 'container.seccomp.security.alpha.kubernetes.io/app': 'docker/default' }),
    'allowed',
  ],
  [
    'seccompProfile_baseline',
    'baseline',
    19,
    annotated({ 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined' }),
    'allowed',
  ],
  [
    'seccompProfile_baseline',
    'baseline',
    19,
    podSc({ seccompProfile: { type: 'Unconfined' } }),
    'seccompProfile_baseline @ spec.securityContext.seccompProfile.type',
  ],
  [
    'seccompProfile_baseline',
    'baseline',
    36,
    appSc({ seccompProfile: { type: 'Unconfined' } }),
    'seccompProfile_baseline',
  ],
  ['seccompProfile_baseline', 'baseline', 36, podSc({ seccompProfile: undefined }), 'allowed'],
  // seccompProfile_restricted (restricted, 1.19; Windows pods exempt from 1.25): the pod level covers unset containers
  [
    'seccompProfile_restricted',
    'restricted',
    19,
    podSc({ seccompProfile: undefined }),
    `seccompProfile_restricted @ ${APP_SC}.seccompProfile`,
  ],
  ['seccompProfile_restricted', 'restricted', 18, podSc({ seccompProfile: undefined }), 'allowed'],
  [
    'seccompProfile_restricted',
    'restricted',
    36,
    with_((p) => {
      p.spec.securityContext.seccompProfile = undefined;
      app(p).securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' };
    }),
    'allowed',
  ],
  [
    'seccompProfile_restricted',
    'restricted',
    36,
    with_((p) => {
      p.spec.securityContext.seccompProfile = { type: 'Unconfined' };
      app(p).securityContext.seccompProfile = { type: 'RuntimeDefault' };
    }),
    'seccompProfile_restricted @ spec.securityContext.seccompProfile.type',
  ],
  [
    'seccompProfile_restricted',
    'restricted',
    36,
    spec({ initContainers: [goodContainer('init', { seccompProfile: { type: 'Unconfined' } })] }),
    'seccompProfile_restricted @ spec.initContainers.0.securityContext.seccompProfile.type',
  ],
  [
    'seccompProfile_restricted',
    'restricted',
    25,
    windows((p) => delete p.spec.securityContext.seccompProfile),
    'allowed',
  ],
  // sysctls (baseline; the safe set grows in 1.27, 1.29, 1.32 and 1.37)
  ['sysctls', 'baseline', 0, sysctl('kernel.shm_rmid_forced'), 'allowed'],
  ['sysctls', 'baseline', 36, sysctl('kernel.msgmax'), 'sysctls @ spec.securityContext.sysctls.0.name'],
  ['sysctls', 'baseline', 26, sysctl('net.ipv4.ip_local_reserved_ports'), 'sysctls'],
  ['sysctls', 'baseline', 27, sysctl('net.ipv4.ip_local_reserved_ports'), 'allowed'],
  ['sysctls', 'baseline', 28, sysctl('net.ipv4.tcp_keepalive_time'), 'sysctls'],
  ['sysctls', 'baseline', 29, sysctl('net.ipv4.tcp_keepalive_time'), 'allowed'],
  ['sysctls', 'baseline', 31, sysctl('net.ipv4.tcp_rmem'), 'sysctls'],
  ['sysctls', 'baseline', 32, sysctl('net.ipv4.tcp_rmem'), 'allowed'],
  ['sysctls', 'baseline', 36, sysctl('net.ipv4.tcp_notsent_lowat'), 'sysctls'],
  ['sysctls', 'baseline', 37, sysctl('net.ipv4.tcp_notsent_lowat'), 'allowed'],
  // windowsHostProcess (baseline, 1.0)
  [
    'windowsHostProcess',
    'baseline',
    36,
    podSc({ windowsOptions: { hostProcess: true } }),
    'windowsHostProcess @ spec.securityContext.windowsOptions.hostProcess',
  ],
  [
    'windowsHostProcess',
    'baseline',
    36,
    appSc({ windowsOptions: { hostProcess: true } }),
    'windowsHostProcess',
  ],
  ['windowsHostProcess', 'baseline', 36, appSc({ windowsOptions: { hostProcess: false } }), 'allowed'],
  // allowPrivilegeEscalation (restricted, 1.8; Windows pods exempt from 1.25)
  [
    'allowPrivilegeEscalation',
    'restricted',
    8,
    appSc({ allowPrivilegeEscalation: undefined }),
    `allowPrivilegeEscalation @ ${APP_SC}.allowPrivilegeEscalation`,
  ],
  ['allowPrivilegeEscalation', 'restricted', 7, appSc({ allowPrivilegeEscalation: undefined }), 'allowed'],
  [
    'allowPrivilegeEscalation',
    'restricted',
    36,
    appSc({ allowPrivilegeEscalation: true }),
    'allowPrivilegeEscalation',
  ],
  [
    'allowPrivilegeEscalation',
    'restricted',
    36,
    spec({ initContainers: [goodContainer('init', { allowPrivilegeEscalation: undefined })] }),
    'allowPrivilegeEscalation @ spec.initContainers.0.securityContext.allowPrivilegeEscalation',
  ],
  [
    'allowPrivilegeEscalation',
    'restricted',
    25,
    windows((p) => delete app(p).securityContext.allowPrivilegeEscalation),
    'allowed',
  ],
  [
    'allowPrivilegeEscalation',
    'restricted',
    24,
    windows((p) => delete app(p).securityContext.allowPrivilegeEscalation),
    'allowPrivilegeEscalation',
  ],
  // runAsNonRoot (restricted, 1.0; user-namespace pods exempt from 1.35): pod level and container level combined
  ['runAsNonRoot', 'restricted', 36, restrictedPod, 'allowed'],
  [
    'runAsNonRoot',
    'restricted',
    36,
    with_((p) => {
      p.spec.securityContext.runAsNonRoot = undefined;
      app(p).securityContext.runAsNonRoot = true;
    }),
    'allowed',
  ],
  [
    'runAsNonRoot',
    'restricted',
    36,
    with_((p) => {
      p.spec.securityContext.runAsNonRoot = false;
      app(p).securityContext.runAsNonRoot = true;
    }),
    'runAsNonRoot @ spec.securityContext.runAsNonRoot',
  ],
  ['runAsNonRoot', 'restricted', 36, appSc({ runAsNonRoot: false }), `runAsNonRoot @ ${APP_SC}.runAsNonRoot`],
  [
    'runAsNonRoot',
    'restricted',
    36,
    podSc({ runAsNonRoot: undefined }),
    `runAsNonRoot @ ${APP_SC}.runAsNonRoot`,
  ],
  [
    'runAsNonRoot',
    'restricted',
    36,
    with_((p) => {
      p.spec.securityContext.runAsNonRoot = undefined;
      app(p).securityContext.runAsNonRoot = true;
      p.spec.initContainers = [goodContainer('init')];
    }),
    'runAsNonRoot @ spec.initContainers.0.securityContext.runAsNonRoot',
  ],
  [
    'runAsNonRoot',
    'restricted',
    36,
    with_((p) => {
      p.spec.securityContext.runAsNonRoot = undefined;
      app(p).securityContext.runAsNonRoot = true;
      p.spec.ephemeralContainers = [goodContainer('debug')];
    }),
    'runAsNonRoot @ spec.ephemeralContainers.0.securityContext.runAsNonRoot',
  ],
  ['runAsNonRoot', 'baseline', 36, podSc({ runAsNonRoot: false }), 'allowed'],
  [
    'runAsNonRoot',
    'restricted',
    35,
    userNamespace((p) => (p.spec.securityContext.runAsNonRoot = false)),
    'allowed',
  ],
  [
    'runAsNonRoot',
    'restricted',
    34,
    userNamespace((p) => (p.spec.securityContext.runAsNonRoot = false)),
    'runAsNonRoot',
  ],
  // runAsUser (restricted, 1.23; user-namespace pods exempt from 1.35)
  ['runAsUser', 'restricted', 23, podSc({ runAsUser: 0 }), 'runAsUser @ spec.securityContext.runAsUser'],
  ['runAsUser', 'restricted', 22, podSc({ runAsUser: 0 }), 'allowed'],
  ['runAsUser', 'restricted', 36, appSc({ runAsUser: 0 }), `runAsUser @ ${APP_SC}.runAsUser`],
  ['runAsUser', 'restricted', 36, appSc({ runAsUser: 1000 }), 'allowed'],
  ['runAsUser', 'restricted', 35, userNamespace((p) => (app(p).securityContext.runAsUser = 0)), 'allowed'],
  // pod-level resources (1.34+): no PSA check reads them; they neither allow nor forbid
  [
    '(pod-level resources)',
    'restricted',
    36,
    spec({ resources: { limits: { cpu: '1', memory: '1Gi' } } }),
    'allowed',
  ],
  // versions past the newest check evaluate as the newest (PSA clamps to its newest policy)
  ['sysctls', 'baseline', 40, sysctl('net.ipv4.tcp_notsent_lowat'), 'allowed'],
];

/** `a.b.0.c` → ['a', 'b', 0, 'c']; annotation keys (with dots and a slash) stay whole after `annotations`. */
function fieldPath(dotted: string): (string | number)[] {
  const m = /^metadata\.annotations\.(.+)$/.exec(dotted);
  if (m) return ['metadata', 'annotations', m[1]!];
  return dotted.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
}

describe('Pod Security as pod-security-admission evaluates it', () => {
  it.each(ROWS)('%s at %s v1.%d', (_check, level, minor, build, expected) => {
    const violations = evaluatePodSecurity(build(), level, minor);
    if (expected === 'allowed') return expect(violations).toEqual([]);
    const [checks, at] = expected.split(' @ ');
    expect([...new Set(violations.map((v) => v.check))].sort()).toEqual(checks!.split(',').sort());
    if (at) expect(violations[0]!.path).toEqual(fieldPath(at));
  });

  it('every upstream check has a row', () => {
    const named = new Set(ROWS.map((r) => r[0]));
    for (const c of POD_SECURITY_CHECKS) expect(named.has(c.id), c.id).toBe(true);
    expect(POD_SECURITY_CHECKS).toHaveLength(19);
  });

  it.each([
    [
      'baseline',
      36,
      [
        'appArmorProfile',
        'capabilities_baseline',
        'hostNamespaces',
        'hostPathVolumes',
        'hostPorts',
        'hostProbesAndHostLifecycle',
        'privileged',
        'procMount',
        'seLinuxOptions',
        'seccompProfile_baseline',
        'sysctls',
        'windowsHostProcess',
      ],
    ],
    [
      'restricted',
      36,
      [
        'appArmorProfile',
        'hostNamespaces',
        'hostPorts',
        'hostProbesAndHostLifecycle',
        'privileged',
        'seLinuxOptions',
        'sysctls',
        'windowsHostProcess',
        'allowPrivilegeEscalation',
        'capabilities_restricted',
        'procMount_restricted',
        'restrictedVolumes',
        'runAsNonRoot',
        'runAsUser',
        'seccompProfile_restricted',
      ],
    ],
    [
      'restricted',
      18,
      [
        'appArmorProfile',
        'capabilities_baseline',
        'hostNamespaces',
        'hostPorts',
        'privileged',
        'procMount',
        'seLinuxOptions',
        'seccompProfile_baseline',
        'sysctls',
        'windowsHostProcess',
        'allowPrivilegeEscalation',
        'restrictedVolumes',
        'runAsNonRoot',
      ],
    ],
    ['privileged', 36, []],
  ] as const)(
    '%s v1.%d runs %j, restricted checks replacing the baseline ones they override',
    (level, minor, ids) => {
      expect(checksAt(level, minor).map((c) => c.check.id)).toEqual(ids);
    },
  );

  it('an explicit pod-level runAsNonRoot: false is the one violation even when containers set true', () => {
    const p = restrictedPod();
    p.spec.securityContext.runAsNonRoot = false;
    p.spec.initContainers = [goodContainer('init', { runAsNonRoot: true })];
    app(p).securityContext.runAsNonRoot = true;
    expect(evaluatePodSecurity(p, 'restricted', 36)).toEqual([
      expect.objectContaining({
        check: 'runAsNonRoot',
        reason: 'runAsNonRoot != true',
        detail: 'pod must not set securityContext.runAsNonRoot=false',
        path: ['spec', 'securityContext', 'runAsNonRoot'],
      }),
    ]);
  });
});

describe('namespace labels', () => {
  it.each([
    [undefined, { level: 'privileged', version: 'latest' }, []],
    [{ 'pod-security.kubernetes.io/enforce': 'baseline' }, { level: 'baseline', version: 'latest' }, []],
    [
      {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'v1.30',
      },
      { level: 'restricted', version: 30 },
      [],
    ],
    [{ 'pod-security.kubernetes.io/warn': 'restricted' }, { level: 'privileged', version: 'latest' }, []],
    [
      { 'pod-security.kubernetes.io/enforce': 'Restricted' },
      { level: 'restricted', version: 'latest' },
      ['pod-security.kubernetes.io/enforce'],
    ],
    [
      {
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/enforce-version': '1.30',
      },
      { level: 'baseline', version: 'latest' },
      ['pod-security.kubernetes.io/enforce-version'],
    ],
    [
      { 'pod-security.kubernetes.io/audit': 'strict' },
      { level: 'privileged', version: 'latest' },
      ['pod-security.kubernetes.io/audit'],
    ],
  ])('%j → %j', (labels, policy, problems) => {
    const out = enforcePolicy(labels);
    expect(out.policy).toEqual(policy);
    expect(out.problems.map((p) => p.label)).toEqual(problems);
  });
});

const ruleFindings = (rule: Rule, objects: KubeObject[], kubernetesVersion = '1.36') =>
  findings(rule, objects, 'dev', [], kubernetesVersion);

const namespace = (name: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});
const deployment = (ns: string, spec: Spec): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: ns },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec },
  },
});
const hostPathPod = (): Spec => ({
  ...restrictedPod().spec,
  volumes: [{ name: 'h', hostPath: { path: '/var/log' } }],
});
const bareSpec = (): Spec => ({ containers: [{ name: 'web', image: 'r/web:1' }] });
const checksOf = (fs: { message: string }[]) => fs.map((f) => /check (\w+)\)$/.exec(f.message)?.[1]);

describe('workload/pod-security-restricted follows the namespace labels and the target version', () => {
  it('a baseline namespace gets baseline checks only', () => {
    const ns = namespace('db', { 'pod-security.kubernetes.io/enforce': 'baseline' });
    expect(ruleFindings(podSecurityRestricted, [ns, deployment('db', bareSpec())])).toEqual([]);
    expect(checksOf(ruleFindings(podSecurityRestricted, [ns, deployment('db', hostPathPod())]))).toEqual([
      'hostPathVolumes',
    ]);
  });

  it('a privileged namespace gets no check, an unlabelled one is the cluster default (privileged)', () => {
    const spec = { ...bareSpec(), hostNetwork: true };
    const privileged = namespace('logs', { 'pod-security.kubernetes.io/enforce': 'privileged' });
    expect(ruleFindings(podSecurityRestricted, [privileged, deployment('logs', spec)])).toEqual([]);
    expect(ruleFindings(podSecurityRestricted, [namespace('logs', {}), deployment('logs', spec)])).toEqual(
      [],
    );
  });

  it('a namespace not among the resources is checked as restricted, as before, and says so', () => {
    const out = ruleFindings(podSecurityRestricted, [deployment('elsewhere', bareSpec())]);
    expect(checksOf(out).sort()).toEqual([
      'allowPrivilegeEscalation',
      'capabilities_restricted',
      'runAsNonRoot',
      'seccompProfile_restricted',
    ]);
    expect(out[0]!.hint).toContain('namespace elsewhere is not among the checked resources');
    expect(out[0]!.message).toContain('(Pod Security restricted, check ');
  });

  it('latest is the target release; a pinned version newer than the target evaluates as the target', () => {
    const probeHost = { ...restrictedPod().spec };
    probeHost.containers = [
      { ...probeHost.containers[0], livenessProbe: { httpGet: { host: 'x', port: 1 } } },
    ];
    const latest = namespace('web', { 'pod-security.kubernetes.io/enforce': 'restricted' });
    const pinned = namespace('web', {
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.36',
    });
    expect(
      checksOf(ruleFindings(podSecurityRestricted, [latest, deployment('web', probeHost)], '1.34')),
    ).toEqual(['hostProbesAndHostLifecycle']);
    expect(ruleFindings(podSecurityRestricted, [latest, deployment('web', probeHost)], '1.33')).toEqual([]);
    expect(ruleFindings(podSecurityRestricted, [pinned, deployment('web', probeHost)], '1.33')).toEqual([]);
  });

  it('a violation under latest reads the same at every target, so environments at different versions share it', () => {
    const ns = namespace('web', { 'pod-security.kubernetes.io/enforce': 'restricted' });
    const messages = (v: string) =>
      ruleFindings(podSecurityRestricted, [ns, deployment('web', bareSpec())], v).map((f) => f.message);
    expect(messages('1.35')).toEqual(messages('1.36'));
    expect(messages('1.36')).toHaveLength(4);
  });

  it('a pinned enforce-version older than the target evaluates the older policy', () => {
    const ns = namespace('web', {
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.21',
    });
    const spec = restrictedPod().spec;
    delete spec.containers[0].securityContext.capabilities;
    expect(ruleFindings(podSecurityRestricted, [ns, deployment('web', spec)])).toEqual([]);
    ns.metadata!.labels!['pod-security.kubernetes.io/enforce-version'] = 'v1.22';
    expect(ruleFindings(podSecurityRestricted, [ns, deployment('web', spec)]).map((f) => f.message)).toEqual([
      expect.stringContaining('(Pod Security restricted v1.22, check capabilities_restricted)'),
    ]);
  });

  it('a pod-security label the API server rejects is an error on the Namespace', () => {
    const out = ruleFindings(podSecurityRestricted, [
      namespace('web', { 'pod-security.kubernetes.io/enforce': 'Restricted' }),
    ]);
    expect(out.map((f) => f.message)).toEqual([
      expect.stringContaining(
        'pod-security.kubernetes.io/enforce: "Restricted" must be one of privileged, baseline, restricted',
      ),
    ]);
  });

  it('checks every pod template kind: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob', () => {
    const spec = hostPathPod();
    const template = { metadata: { labels: { app: 'x' } }, spec };
    const meta = (kind: string) => ({ name: kind.toLowerCase(), namespace: 'x' });
    const objects: KubeObject[] = [
      { apiVersion: 'v1', kind: 'Pod', metadata: meta('Pod'), spec },
      ...['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].map((kind) => ({
        apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1',
        kind,
        metadata: meta(kind),
        spec: { template },
      })),
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: meta('CronJob'),
        spec: { jobTemplate: { spec: { template } } },
      },
    ];
    expect(ruleFindings(podSecurityRestricted, objects).map((f) => f.message.split(':')[0])).toEqual([
      'Pod x/pod',
      'Deployment x/deployment',
      'StatefulSet x/statefulset',
      'DaemonSet x/daemonset',
      'ReplicaSet x/replicaset',
      'Job x/job',
      'CronJob x/cronjob',
    ]);
  });
});

describe('workload/resources counts pod-level resources from 1.34', () => {
  const spec = {
    resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
    containers: [{ name: 'web', image: 'r/web:1' }],
  };
  it.each([
    ['1.34', 0],
    ['1.36', 0],
    ['1.33', 1],
  ])('at %s: %d findings', (version, n) => {
    expect(ruleFindings(resourcesSet, [deployment('web', spec)], version)).toHaveLength(n);
  });
});

describe('findings point at the field to fix', () => {
  const DIR = path.join(FIXTURES, 'rules');
  it.each([
    [
      'workload-pod-security-levels',
      [
        'namespaces.yaml:23 pod-security.kubernetes.io/enforce-version',
        'workloads.yaml:19 runAsNonRoot',
        'workloads.yaml:50 hostPathVolumes',
      ],
    ],
  ])('%s', async (dir, expected) => {
    const result = await validate({ cwd: DIR, files: [dir] });
    const hits = result.findings
      .filter((f) => f.rule === 'workload/pod-security-restricted')
      .map(
        (f) =>
          `${path.basename(f.file)}:${f.line} ${/check (\w+)\)$/.exec(f.message)?.[1] ?? /label ([^:]+):/.exec(f.message)?.[1]}`,
      );
    expect(hits).toEqual(expected);
  });
});
