import type { Finding } from '../finding.ts';
import type { Rule, RuleContext } from '../rule.ts';
import { parseQuantity } from '../../cluster/quantity.ts';
import { istiodCharts, valuesFinding } from '../mesh/istiod-charts.ts';
import { ARGOPROJ, at, name, ofKind, spec } from './rule-helpers.ts';

const ISTIOD_BOUNDS = {
  requestsCpu: 0.5,
  requestsMemory: 512 * 2 ** 20,
  limitsCpu: 2,
  limitsMemory: 2 * 2 ** 30,
};

const firstEnv = (ctx: RuleContext) => ctx.settings.environments[0]?.name;
const hardenedEnv = (ctx: RuleContext) => ctx.env !== '' && ctx.env !== firstEnv(ctx);

export const istiodResources: Rule = {
  id: 'mesh/istiod-resources',
  severity: 'error',
  title: 'istiod requests at least 500m/512Mi and is limited to at most 2000m/2Gi (seed property 2)',
  why: 'Below the requests istiod is starved under config churn; above the limits one control plane can take a node.',
  hint: 'set resources in istio/control-plane/values/istiod.yaml within the bounds',
  check: (ctx) =>
    istiodCharts(ctx).flatMap((chart) => {
      const r = (ctx.chartValues(chart).resources ?? {}) as Record<string, Record<string, unknown>>;
      const out: Finding[] = [];
      const check = (path: string[], value: unknown, ok: (n: number) => boolean, text: string) => {
        const n = parseQuantity(value);
        if (n === undefined || !ok(n))
          out.push(
            valuesFinding(
              ctx,
              chart,
              ['resources', ...path],
              `istiod resources.${path.join('.')} = ${value ?? '(unset)'}: ${text}`,
            ),
          );
      };
      check(
        ['requests', 'cpu'],
        r.requests?.cpu,
        (n) => n >= ISTIOD_BOUNDS.requestsCpu,
        'must request at least 500m',
      );
      check(
        ['requests', 'memory'],
        r.requests?.memory,
        (n) => n >= ISTIOD_BOUNDS.requestsMemory,
        'must request at least 512Mi',
      );
      check(
        ['limits', 'cpu'],
        r.limits?.cpu,
        (n) => n <= ISTIOD_BOUNDS.limitsCpu,
        'must be limited to at most 2000m',
      );
      check(
        ['limits', 'memory'],
        r.limits?.memory,
        (n) => n <= ISTIOD_BOUNDS.limitsMemory,
        'must be limited to at most 2Gi',
      );
      return out;
    }),
};

export const accessLogsJson: Rule = {
  id: 'mesh/access-log-json',
  severity: 'error',
  title: 'Envoy access logs go to stdout as JSON (seed property 14)',
  why: 'Log collection parses JSON from stdout; text logs lose their fields and a missing file turns logging off.',
  hint: 'meshConfig.accessLogFile: /dev/stdout and accessLogEncoding: JSON in the istiod values',
  check: (ctx) =>
    istiodCharts(ctx).flatMap((chart) => {
      const mesh = (ctx.chartValues(chart).meshConfig ?? {}) as Record<string, unknown>;
      return mesh.accessLogEncoding === 'JSON' && mesh.accessLogFile
        ? []
        : [
            valuesFinding(
              ctx,
              chart,
              // At the setting that is wrong, in the file that sets it: the encoding first, else the file.
              ['meshConfig', mesh.accessLogEncoding === 'JSON' ? 'accessLogFile' : 'accessLogEncoding'],
              `istiod meshConfig: accessLogEncoding ${String(mesh.accessLogEncoding ?? '(unset)')}, accessLogFile ${String(mesh.accessLogFile ?? '(unset)')}`,
            ),
          ];
    }),
};

export const egressRegistryOnly: Rule = {
  id: 'mesh/egress-registry-only',
  severity: 'error',
  title: 'Egress is REGISTRY_ONLY in every environment after the first (seed property 20)',
  why: 'Only the first environment may reach arbitrary hosts while ServiceEntries are written; later ones allow only registered destinations.',
  hint: 'meshConfig.outboundTrafficPolicy.mode: REGISTRY_ONLY in istio/control-plane/values/<env>/istiod.yaml',
  check: (ctx) =>
    hardenedEnv(ctx)
      ? istiodCharts(ctx).flatMap((chart) => {
          const mode =
            ((ctx.chartValues(chart).meshConfig as any)?.outboundTrafficPolicy?.mode as string | undefined) ??
            'ALLOW_ANY';
          return mode === 'REGISTRY_ONLY'
            ? []
            : [
                valuesFinding(
                  ctx,
                  chart,
                  ['meshConfig', 'outboundTrafficPolicy', 'mode'],
                  `${ctx.env}: outboundTrafficPolicy.mode is ${mode}`,
                ),
              ];
        })
      : [],
};

export const strictMtls: Rule = {
  id: 'mesh/mtls-strict',
  severity: 'error',
  title: 'mTLS is STRICT mesh-wide in every environment after the first (seed property 3)',
  why: 'PERMISSIVE accepts plaintext: fine while services join the mesh in the first environment, never beyond it.',
  hint: 'a PeerAuthentication named default in istio-system with mtls.mode STRICT, and no namespace or workload loosening it',
  check: (ctx) => {
    // Only environments that run Istio (its control plane chart, or Istio resources) have a mesh to harden.
    const runsIstio =
      istiodCharts(ctx).length > 0 ||
      ctx.resources.some((r) => /\.istio\.io\//.test(r.object.apiVersion ?? ''));
    if (!hardenedEnv(ctx) || !runsIstio) return [];
    const pas = ofKind(ctx, /^security\.istio\.io\//, 'PeerAuthentication');
    const out: Finding[] = [];
    const meshWide = pas.find(
      (p) => p.object.metadata?.namespace === 'istio-system' && !spec(p.object).selector,
    );
    if (!meshWide) {
      const anchor =
        ctx.resources.find(
          (r) => r.object.kind === 'Application' && ARGOPROJ.test(r.object.apiVersion ?? ''),
        ) ?? ctx.resources[0];
      if (anchor)
        out.push(at(ctx, anchor, [], `${ctx.env}: no mesh-wide PeerAuthentication in istio-system`));
    }
    for (const p of pas) {
      const mode = spec(p.object).mtls?.mode;
      if (mode !== undefined && mode !== 'STRICT' && mode !== 'UNSET')
        out.push(
          at(
            ctx,
            p,
            ['spec', 'mtls', 'mode'],
            `${name(p)}: mode ${mode}; environments after ${firstEnv(ctx)} must be STRICT`,
          ),
        );
      for (const [port, setting] of Object.entries(
        (spec(p.object).portLevelMtls ?? {}) as Record<string, { mode?: string }>,
      ))
        if (setting.mode && setting.mode !== 'STRICT' && setting.mode !== 'UNSET')
          out.push(
            at(
              ctx,
              p,
              ['spec', 'portLevelMtls', port, 'mode'],
              `${name(p)}: port ${port} mode ${setting.mode}; environments after ${firstEnv(ctx)} must be STRICT`,
            ),
          );
    }
    return out;
  },
};

export const tracingSampling: Rule = {
  id: 'mesh/tracing-sampling',
  severity: 'error',
  title: 'Tracing names a configured provider and samples within 0–100 % (seed property 13)',
  why: 'There is no default tracer since Istio 1.22: an unknown provider or an out-of-range percentage means no traces.',
  hint: 'reference an extensionProviders entry of the istiod meshConfig; randomSamplingPercentage between 0 and 100',
  check: (ctx) => {
    const providers = new Set<string>(['envoy', 'prometheus', 'stackdriver']);
    for (const chart of istiodCharts(ctx))
      for (const p of ((ctx.chartValues(chart).meshConfig as any)?.extensionProviders ?? []) as {
        name: string;
      }[])
        providers.add(p.name);
    const checkProviders = istiodCharts(ctx).length > 0;
    return ofKind(ctx, /^telemetry\.istio\.io\//, 'Telemetry').flatMap((t) =>
      ((spec(t.object).tracing ?? []) as Record<string, any>[]).flatMap((tr, i) => {
        const out: Finding[] = [];
        const pct = tr.randomSamplingPercentage;
        if (pct !== undefined && (typeof pct !== 'number' || pct < 0 || pct > 100))
          out.push(
            at(
              ctx,
              t,
              ['spec', 'tracing', i, 'randomSamplingPercentage'],
              `${name(t)}: randomSamplingPercentage ${pct} is outside 0–100`,
            ),
          );
        if (checkProviders)
          ((tr.providers ?? []) as { name: string }[]).forEach((p, j) => {
            if (!providers.has(p.name))
              out.push(
                at(
                  ctx,
                  t,
                  ['spec', 'tracing', i, 'providers', j],
                  `${name(t)}: tracing provider ${p.name} is not an istiod extension provider`,
                ),
              );
          });
        return out;
      }),
    );
  },
};

/** Groups whose kinds Argo CD judges by itself (built-in checks, or healthy by existence). */
const BUILTIN_GROUPS = /(^|\.)k8s\.io$|^(apps|batch|autoscaling|policy|v1|)$/;

export const healthChecksPresent: Rule = {
  id: 'argocd/health-checks',
  severity: 'error',
  title: 'argocd-cm has a health check for Applications and every custom kind deployed (seed property 17)',
  why: 'Without one Argo CD calls a custom resource Healthy as soon as it exists, so sync waves do not wait for it.',
  hint: 'add resource.customizations.health.<group>_<Kind> to clusters/base/argocd (a .lua file)',
  check: (ctx) => {
    const cm = ctx.resources.find(
      (r) => r.object.kind === 'ConfigMap' && r.object.metadata?.name === 'argocd-cm',
    );
    if (!cm) return [];
    const keys = new Set(Object.keys((cm.object.data ?? {}) as object));
    const needed = new Map<string, (typeof ctx.resources)[number]>();
    for (const r of ctx.resources) {
      const group = r.object.apiVersion?.includes('/') ? r.object.apiVersion.split('/')[0]! : '';
      if (!r.app || BUILTIN_GROUPS.test(group) || r.object.kind === 'CustomResourceDefinition') continue;
      if (group === 'argoproj.io' && r.object.kind !== 'Application') continue;
      const key = `resource.customizations.health.${group}_${r.object.kind}`;
      if (!keys.has(key) && !needed.has(key)) needed.set(key, r);
    }
    if (!keys.has('resource.customizations.health.argoproj.io_Application'))
      needed.set('resource.customizations.health.argoproj.io_Application', cm);
    return [...needed].map(([key, r]) =>
      at(ctx, r === cm ? cm : r, [], `argocd-cm of ${ctx.env || 'this set'} has no ${key}`),
    );
  },
};

export const MESH_CONFIG_RULES: readonly Rule[] = [
  istiodResources,
  accessLogsJson,
  egressRegistryOnly,
  strictMtls,
  tracingSampling,
  healthChecksPresent,
];
