/**
 * Pod Security Standards as kubernetes/pod-security-admission evaluates them (policy/check_*.go and
 * policy/registry.go at 8f84a87c, the 1.37 development line; v0.36.2 is the same minus the 1.37 sysctls):
 * the same checks, levels, versions, overrides and pod/container precedence. Each check reports one
 * violation per offending field, so a finding points at the line to fix; whether a pod is allowed is
 * exactly whether PSA's aggregate result is allowed.
 */

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';

/** The newest policy version the checks below define (sysctls changed in 1.37). */
export const NEWEST_POLICY_MINOR = 37;

/** A pod as PSA reads it: the metadata (annotations) and the spec of a Pod or a pod template. */
export interface PodShape {
  metadata?: Record<string, any> | null;
  spec: Record<string, any>;
}

export interface PodSecurityViolation {
  /** The upstream check id (`runAsNonRoot`, `capabilities_restricted`, ...). */
  check: string;
  /** PSA's forbidden reason for the check. */
  reason: string;
  /** How to meet the check. */
  fix: string;
  /** What is wrong at `path`, in PSA's words. */
  detail: string;
  /** Path from the pod (`['spec', ...]` or `['metadata', 'annotations', key]`) to the field to fix. */
  path: (string | number)[];
}

type Found = Omit<PodSecurityViolation, 'check' | 'reason' | 'fix'>;
type CheckFn = (pod: PodShape) => Found[];

interface VersionedCheck {
  since: number;
  check: CheckFn;
  /** Baseline checks this restricted check replaces at its versions. */
  overrides?: string[];
}

interface Check {
  id: string;
  level: 'baseline' | 'restricted';
  reason: string;
  /** How to meet it, for the finding's hint. */
  fix: string;
  versions: VersionedCheck[];
}

interface ContainerAt {
  c: Record<string, any>;
  path: (string | number)[];
}

/** initContainers, containers and ephemeralContainers, in PSA's visiting order. */
function containers(spec: Record<string, any>): ContainerAt[] {
  const out: ContainerAt[] = [];
  for (const field of ['initContainers', 'containers', 'ephemeralContainers'])
    if (Array.isArray(spec[field]))
      spec[field].forEach((c: unknown, i: number) => {
        if (c && typeof c === 'object') out.push({ c: c as Record<string, any>, path: ['spec', field, i] });
      });
  return out;
}

const who = (c: Record<string, any>) => `container "${String(c.name ?? '')}"`;
const obj = (v: unknown): Record<string, any> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : undefined;
const podSc = (pod: PodShape) => obj(pod.spec.securityContext);
const sc = (c: Record<string, any>) => obj(c.securityContext);
const isWindows = (pod: PodShape) => obj(pod.spec.os)?.name === 'windows';
/** `hostUsers: false` puts the pod in a user namespace; PSA relaxes some checks for it since 1.35. */
const inUserNamespace = (pod: PodShape) => pod.spec.hostUsers === false;
const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

const exemptWindows =
  (check: CheckFn): CheckFn =>
  (pod) =>
    isWindows(pod) ? [] : check(pod);
const exemptUserNamespace =
  (check: CheckFn): CheckFn =>
  (pod) =>
    inUserNamespace(pod) ? [] : check(pod);

// --- baseline ---------------------------------------------------------------------------------

const hostNamespaces: CheckFn = (pod) =>
  ['hostNetwork', 'hostPID', 'hostIPC']
    .filter((k) => pod.spec[k] === true)
    .map((k) => ({ detail: `${k}=true`, path: ['spec', k] }));

const privileged: CheckFn = (pod) =>
  containers(pod.spec)
    .filter(({ c }) => sc(c)?.privileged === true)
    .map(({ c, path }) => ({
      detail: `${who(c)} must not set securityContext.privileged=true`,
      path: [...path, 'securityContext', 'privileged'],
    }));

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

function addedCapabilities(c: Record<string, any>): { cap: string; index: number }[] {
  const add = obj(sc(c)?.capabilities)?.add;
  return Array.isArray(add) ? add.map((cap, index) => ({ cap: str(cap), index })) : [];
}

const capabilitiesBaseline: CheckFn = (pod) =>
  containers(pod.spec).flatMap(({ c, path }) =>
    addedCapabilities(c)
      .filter(({ cap }) => !BASELINE_CAPABILITIES.has(cap))
      .map(({ cap, index }) => ({
        detail: `${who(c)} must not include "${cap}" in securityContext.capabilities.add`,
        path: [...path, 'securityContext', 'capabilities', 'add', index],
      })),
  );

const hostPathVolumes: CheckFn = (pod) =>
  (Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []).flatMap((v: unknown, i: number) =>
    obj(obj(v)?.hostPath)
      ? [{ detail: `volume "${str(obj(v)!.name)}" uses hostPath`, path: ['spec', 'volumes', i, 'hostPath'] }]
      : [],
  );

const hostPorts: CheckFn = (pod) =>
  containers(pod.spec).flatMap(({ c, path }) =>
    (Array.isArray(c.ports) ? c.ports : []).flatMap((p: unknown, j: number) => {
      const hostPort = obj(p)?.hostPort;
      return hostPort !== undefined && hostPort !== null && hostPort !== 0
        ? [
            {
              detail: `${who(c)} uses hostPort ${str(hostPort)}`,
              path: [...path, 'ports', j, 'hostPort'],
            },
          ]
        : [];
    }),
  );

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

function appArmorProfile(pod: PodShape): Found[] {
  const out: Found[] = [];
  const allowedType = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
  const podProfile = obj(podSc(pod)?.appArmorProfile);
  if (podProfile && !allowedType(podProfile.type))
    out.push({
      detail: `pod must not set AppArmor profile type to "${str(podProfile.type)}"`,
      path: ['spec', 'securityContext', 'appArmorProfile', 'type'],
    });
  for (const { c, path } of containers(pod.spec)) {
    const profile = obj(sc(c)?.appArmorProfile);
    if (profile && !allowedType(profile.type))
      out.push({
        detail: `${who(c)} must not set AppArmor profile type to "${str(profile.type)}"`,
        path: [...path, 'securityContext', 'appArmorProfile', 'type'],
      });
  }
  for (const [key, raw] of Object.entries(obj(pod.metadata?.annotations) ?? {})) {
    const value = str(raw);
    if (
      key.startsWith(APPARMOR_ANNOTATION) &&
      !(value === '' || value === 'runtime/default' || value.startsWith('localhost/'))
    )
      out.push({
        detail: `annotation ${key}="${value}" must be runtime/default or localhost/*`,
        path: ['metadata', 'annotations', key],
      });
  }
  return out;
}

function seLinuxOptions(allowedTypes: ReadonlySet<string>): CheckFn {
  const problems = (opts: Record<string, any>, base: (string | number)[], setter: string): Found[] => {
    const out: Found[] = [];
    const type = str(opts.type);
    if (!allowedTypes.has(type))
      out.push({
        detail: `${setter} must not set securityContext.seLinuxOptions type "${type}"`,
        path: [...base, 'type'],
      });
    if (str(opts.user) !== '')
      out.push({
        detail: `${setter} must not set securityContext.seLinuxOptions.user`,
        path: [...base, 'user'],
      });
    if (str(opts.role) !== '')
      out.push({
        detail: `${setter} must not set securityContext.seLinuxOptions.role`,
        path: [...base, 'role'],
      });
    return out;
  };
  return (pod) => {
    const out: Found[] = [];
    const podOpts = obj(podSc(pod)?.seLinuxOptions);
    if (podOpts) out.push(...problems(podOpts, ['spec', 'securityContext', 'seLinuxOptions'], 'pod'));
    for (const { c, path } of containers(pod.spec)) {
      const opts = obj(sc(c)?.seLinuxOptions);
      if (opts) out.push(...problems(opts, [...path, 'securityContext', 'seLinuxOptions'], who(c)));
    }
    return out;
  };
}

const SELINUX_TYPES_1_0 = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const SELINUX_TYPES_1_31 = new Set([...SELINUX_TYPES_1_0, 'container_engine_t']);

const procMount: CheckFn = (pod) =>
  containers(pod.spec).flatMap(({ c, path }) => {
    const value = sc(c)?.procMount;
    return value !== undefined && value !== null && value !== 'Default'
      ? [
          {
            detail: `${who(c)} must not set securityContext.procMount to "${str(value)}"`,
            path: [...path, 'securityContext', 'procMount'],
          },
        ]
      : [];
  });

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_ANNOTATION = 'container.seccomp.security.alpha.kubernetes.io/';

/** Before 1.19 seccomp was set by annotations: runtime/default, docker/default or localhost/*. */
const seccompBaselineAnnotations: CheckFn = (pod) => {
  const annotations = obj(pod.metadata?.annotations) ?? {};
  const valid = (v: string) =>
    v === 'runtime/default' || v === 'docker/default' || v.startsWith('localhost/');
  const keys = [
    SECCOMP_POD_ANNOTATION,
    ...containers(pod.spec).map(({ c }) => SECCOMP_CONTAINER_ANNOTATION + str(c.name)),
  ];
  return [...new Set(keys)]
    .filter((k) => k in annotations && !valid(str(annotations[k])))
    .map((k) => ({
      detail: `annotation ${k}="${str(annotations[k])}" must be runtime/default, docker/default or localhost/*`,
      path: ['metadata', 'annotations', k],
    }));
};

const validSeccomp = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';

/** Pod and containers that set seccompProfile.type to something other than RuntimeDefault or Localhost. */
function explicitSeccomp(pod: PodShape): Found[] {
  const out: Found[] = [];
  const podProfile = obj(podSc(pod)?.seccompProfile);
  if (podProfile && !validSeccomp(podProfile.type))
    out.push({
      detail: `pod must not set securityContext.seccompProfile.type to "${str(podProfile.type)}"`,
      path: ['spec', 'securityContext', 'seccompProfile', 'type'],
    });
  for (const { c, path } of containers(pod.spec)) {
    const profile = obj(sc(c)?.seccompProfile);
    if (profile && !validSeccomp(profile.type))
      out.push({
        detail: `${who(c)} must not set securityContext.seccompProfile.type to "${str(profile.type)}"`,
        path: [...path, 'securityContext', 'seccompProfile', 'type'],
      });
  }
  return out;
}

const seccompBaseline: CheckFn = explicitSeccomp;

function sysctls(allowed: ReadonlySet<string>): CheckFn {
  return (pod) => {
    const list = podSc(pod)?.sysctls;
    return (Array.isArray(list) ? list : []).flatMap((s: unknown, i: number) => {
      const name = str(obj(s)?.name);
      return allowed.has(name)
        ? []
        : [
            {
              detail: `sysctl ${name} is not in the safe set`,
              path: ['spec', 'securityContext', 'sysctls', i, 'name'],
            },
          ];
    });
  };
}

const SYSCTLS_1_0 = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
]);
const SYSCTLS_1_27 = new Set([...SYSCTLS_1_0, 'net.ipv4.ip_local_reserved_ports']);
const SYSCTLS_1_29 = new Set([
  ...SYSCTLS_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SYSCTLS_1_32 = new Set([...SYSCTLS_1_29, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']);
const SYSCTLS_1_37 = new Set([
  ...SYSCTLS_1_32,
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
]);

const windowsHostProcess: CheckFn = (pod) => {
  const out: Found[] = [];
  if (obj(podSc(pod)?.windowsOptions)?.hostProcess === true)
    out.push({
      detail: 'pod must not set securityContext.windowsOptions.hostProcess=true',
      path: ['spec', 'securityContext', 'windowsOptions', 'hostProcess'],
    });
  for (const { c, path } of containers(pod.spec))
    if (obj(sc(c)?.windowsOptions)?.hostProcess === true)
      out.push({
        detail: `${who(c)} must not set securityContext.windowsOptions.hostProcess=true`,
        path: [...path, 'securityContext', 'windowsOptions', 'hostProcess'],
      });
  return out;
};

const hostProbesAndHostLifecycle: CheckFn = (pod) =>
  containers(pod.spec).flatMap(({ c, path }) => {
    const out: Found[] = [];
    const handlers: [unknown, (string | number)[]][] = [
      ...['livenessProbe', 'readinessProbe', 'startupProbe'].map(
        (p) => [c[p], [...path, p]] as [unknown, (string | number)[]],
      ),
      ...['postStart', 'preStop'].map(
        (h) => [obj(c.lifecycle)?.[h], [...path, 'lifecycle', h]] as [unknown, (string | number)[]],
      ),
    ];
    for (const [handler, at] of handlers)
      for (const action of ['httpGet', 'tcpSocket']) {
        const host = str(obj(obj(handler)?.[action])?.host);
        if (host !== '')
          out.push({
            detail: `${who(c)} uses probe or lifecycle host "${host}"`,
            path: [...at, action, 'host'],
          });
      }
    return out;
  });

// --- restricted -------------------------------------------------------------------------------

const allowPrivilegeEscalation: CheckFn = (pod) =>
  containers(pod.spec)
    .filter(({ c }) => sc(c)?.allowPrivilegeEscalation !== false)
    .map(({ c, path }) => ({
      detail: `${who(c)} must set securityContext.allowPrivilegeEscalation=false`,
      path: [...path, 'securityContext', 'allowPrivilegeEscalation'],
    }));

const capabilitiesRestricted: CheckFn = (pod) =>
  containers(pod.spec).flatMap(({ c, path }) => {
    const caps = obj(sc(c)?.capabilities);
    const base = [...path, 'securityContext', 'capabilities'];
    const drop = caps?.drop;
    const out: Found[] = [];
    if (!caps || !Array.isArray(drop) || !drop.includes('ALL'))
      out.push({
        detail: `${who(c)} must set securityContext.capabilities.drop=["ALL"]`,
        path: [...base, 'drop'],
      });
    if (caps)
      for (const { cap, index } of addedCapabilities(c))
        if (cap !== 'NET_BIND_SERVICE')
          out.push({
            detail: `${who(c)} must not include "${cap}" in securityContext.capabilities.add`,
            path: [...base, 'add', index],
          });
    return out;
  });

const RESTRICTED_VOLUME_TYPES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];
const ALLOWED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

const restrictedVolumes: CheckFn = (pod) =>
  (Array.isArray(pod.spec.volumes) ? pod.spec.volumes : []).flatMap((raw: unknown, i: number) => {
    const v = obj(raw) ?? {};
    const set = (k: string) => v[k] !== undefined && v[k] !== null;
    if (ALLOWED_VOLUME_TYPES.some(set)) return [];
    // A volume without a known source is defaulted to emptyDir by the API server before admission
    // (unknown keys are dropped when it decodes the object).
    const type = RESTRICTED_VOLUME_TYPES.find(set);
    return type
      ? [
          {
            detail: `volume "${str(v.name)}" uses restricted volume type "${type}"`,
            path: ['spec', 'volumes', i, type],
          },
        ]
      : [];
  });

const runAsNonRoot: CheckFn = (pod) => {
  const explicit: Found[] = [];
  const podValue = podSc(pod)?.runAsNonRoot;
  if (podValue === false)
    explicit.push({
      detail: 'pod must not set securityContext.runAsNonRoot=false',
      path: ['spec', 'securityContext', 'runAsNonRoot'],
    });
  const implicit: Found[] = [];
  for (const { c, path } of containers(pod.spec)) {
    const value = sc(c)?.runAsNonRoot;
    const field = [...path, 'securityContext', 'runAsNonRoot'];
    if (value === false)
      explicit.push({ detail: `${who(c)} must not set securityContext.runAsNonRoot=false`, path: field });
    else if (value !== true && podValue !== true)
      implicit.push({ detail: `pod or ${who(c)} must set securityContext.runAsNonRoot=true`, path: field });
  }
  // As PSA: an explicit false is the finding; the unset containers follow once it is fixed.
  return explicit.length > 0 ? explicit : implicit;
};

const runAsUser: CheckFn = (pod) => {
  const out: Found[] = [];
  if (podSc(pod)?.runAsUser === 0)
    out.push({ detail: 'pod must not set runAsUser=0', path: ['spec', 'securityContext', 'runAsUser'] });
  for (const { c, path } of containers(pod.spec))
    if (sc(c)?.runAsUser === 0)
      out.push({
        detail: `${who(c)} must not set runAsUser=0`,
        path: [...path, 'securityContext', 'runAsUser'],
      });
  return out;
};

const seccompRestricted: CheckFn = (pod) => {
  const explicit = explicitSeccomp(pod);
  if (explicit.length > 0) return explicit;
  if (obj(podSc(pod)?.seccompProfile)) return [];
  return containers(pod.spec)
    .filter(({ c }) => !obj(sc(c)?.seccompProfile))
    .map(({ c, path }) => ({
      detail: `pod or ${who(c)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      path: [...path, 'securityContext', 'seccompProfile'],
    }));
};

// --- the registry -----------------------------------------------------------------------------

/** Every check PSA registers, with the minor version each variant applies from. */
export const POD_SECURITY_CHECKS: readonly Check[] = [
  {
    id: 'appArmorProfile',
    level: 'baseline',
    reason: 'forbidden AppArmor profile',
    fix: 'leave appArmorProfile unset or set its type to RuntimeDefault or Localhost',
    versions: [{ since: 0, check: appArmorProfile }],
  },
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    reason: 'non-default capabilities',
    fix: 'add only capabilities from the default set (NET_BIND_SERVICE, CHOWN, SETUID, ...); never NET_ADMIN, SYS_ADMIN, NET_RAW',
    versions: [{ since: 0, check: capabilitiesBaseline }],
  },
  {
    id: 'hostNamespaces',
    level: 'baseline',
    reason: 'host namespaces',
    fix: 'remove hostNetwork, hostPID and hostIPC (or set them false)',
    versions: [{ since: 0, check: hostNamespaces }],
  },
  {
    id: 'hostPathVolumes',
    level: 'baseline',
    reason: 'hostPath volumes',
    fix: 'use a configMap, secret, emptyDir or persistentVolumeClaim volume instead of hostPath',
    versions: [{ since: 0, check: hostPathVolumes }],
  },
  {
    id: 'hostPorts',
    level: 'baseline',
    reason: 'hostPort',
    fix: 'remove hostPort; expose the port through a Service',
    versions: [{ since: 0, check: hostPorts }],
  },
  {
    id: 'hostProbesAndHostLifecycle',
    level: 'baseline',
    reason: 'probe or lifecycle host',
    fix: 'remove host from httpGet/tcpSocket probes and lifecycle handlers (they target the pod IP)',
    versions: [{ since: 34, check: hostProbesAndHostLifecycle }],
  },
  {
    id: 'privileged',
    level: 'baseline',
    reason: 'privileged',
    fix: 'remove securityContext.privileged (or set it false)',
    versions: [{ since: 0, check: privileged }],
  },
  {
    id: 'procMount',
    level: 'baseline',
    reason: 'procMount',
    fix: 'remove securityContext.procMount (or set it to Default)',
    versions: [
      { since: 0, check: procMount },
      { since: 35, check: exemptUserNamespace(procMount) },
    ],
  },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    reason: 'seLinuxOptions',
    fix: 'leave seLinuxOptions.user and role unset; type may only be container_t, container_init_t, container_kvm_t or container_engine_t',
    versions: [
      { since: 0, check: seLinuxOptions(SELINUX_TYPES_1_0) },
      { since: 31, check: seLinuxOptions(SELINUX_TYPES_1_31) },
    ],
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    reason: 'seccompProfile',
    fix: 'set seccompProfile.type to RuntimeDefault or Localhost, never Unconfined',
    versions: [
      { since: 0, check: seccompBaselineAnnotations },
      { since: 19, check: seccompBaseline },
    ],
  },
  {
    id: 'sysctls',
    level: 'baseline',
    reason: 'forbidden sysctls',
    fix: 'set only the safe sysctls the level allows',
    versions: [
      { since: 0, check: sysctls(SYSCTLS_1_0) },
      { since: 27, check: sysctls(SYSCTLS_1_27) },
      { since: 29, check: sysctls(SYSCTLS_1_29) },
      { since: 32, check: sysctls(SYSCTLS_1_32) },
      { since: 37, check: sysctls(SYSCTLS_1_37) },
    ],
  },
  {
    id: 'windowsHostProcess',
    level: 'baseline',
    reason: 'hostProcess',
    fix: 'remove windowsOptions.hostProcess (or set it false)',
    versions: [{ since: 0, check: windowsHostProcess }],
  },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    reason: 'allowPrivilegeEscalation != false',
    fix: 'set securityContext.allowPrivilegeEscalation: false on every container',
    versions: [
      { since: 8, check: allowPrivilegeEscalation },
      { since: 25, check: exemptWindows(allowPrivilegeEscalation) },
    ],
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    reason: 'unrestricted capabilities',
    fix: 'set securityContext.capabilities.drop: [ALL] on every container; add back only NET_BIND_SERVICE',
    versions: [
      { since: 22, check: capabilitiesRestricted, overrides: ['capabilities_baseline'] },
      { since: 25, check: exemptWindows(capabilitiesRestricted), overrides: ['capabilities_baseline'] },
    ],
  },
  {
    id: 'procMount_restricted',
    level: 'restricted',
    reason: 'procMount',
    fix: 'remove securityContext.procMount (or set it to Default)',
    versions: [{ since: 35, check: procMount, overrides: ['procMount'] }],
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    reason: 'restricted volume types',
    fix: 'use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret volumes',
    versions: [{ since: 0, check: restrictedVolumes, overrides: ['hostPathVolumes'] }],
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    reason: 'runAsNonRoot != true',
    fix: 'set securityContext.runAsNonRoot: true on the pod (containers may then leave it unset, never false)',
    versions: [
      { since: 0, check: runAsNonRoot },
      { since: 35, check: exemptUserNamespace(runAsNonRoot) },
    ],
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    reason: 'runAsUser=0',
    fix: 'run as a non-zero user: remove runAsUser: 0',
    versions: [
      { since: 23, check: runAsUser },
      { since: 35, check: exemptUserNamespace(runAsUser) },
    ],
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    reason: 'seccompProfile',
    fix: 'set securityContext.seccompProfile.type: RuntimeDefault on the pod (or Localhost)',
    versions: [
      { since: 19, check: seccompRestricted, overrides: ['seccompProfile_baseline'] },
      { since: 25, check: exemptWindows(seccompRestricted), overrides: ['seccompProfile_baseline'] },
    ],
  },
];

/** The variant of a check that applies at a policy minor, or undefined before its first version. */
function variantAt(check: Check, minor: number): VersionedCheck | undefined {
  return check.versions.filter((v) => v.since <= minor).at(-1);
}

/**
 * The checks a level runs at a policy version, as PSA's registry builds them: restricted is baseline
 * plus the restricted checks, minus the baseline checks a restricted check overrides at that version.
 * Versions newer than the checks define evaluate as the newest.
 */
export function checksAt(
  level: PodSecurityLevel,
  minor: number,
): { check: Check; variant: VersionedCheck }[] {
  if (level === 'privileged') return [];
  const v = Math.min(minor, NEWEST_POLICY_MINOR);
  const active = (l: Check['level']) =>
    POD_SECURITY_CHECKS.filter((c) => c.level === l)
      .map((check) => ({ check, variant: variantAt(check, v) }))
      .filter((x): x is { check: Check; variant: VersionedCheck } => x.variant !== undefined);
  const restricted = level === 'restricted' ? active('restricted') : [];
  const overridden = new Set(restricted.flatMap((r) => r.variant.overrides ?? []));
  return [...active('baseline').filter((b) => !overridden.has(b.check.id)), ...restricted];
}

/** Every violation of the pod at the level and policy minor; empty when PSA allows the pod. */
export function evaluatePodSecurity(
  pod: PodShape,
  level: PodSecurityLevel,
  minor: number,
): PodSecurityViolation[] {
  return checksAt(level, minor).flatMap(({ check, variant }) =>
    variant.check(pod).map((f) => ({ check: check.id, reason: check.reason, fix: check.fix, ...f })),
  );
}
