import type { Finding } from '../finding.ts';
import type { Rule, RuleContext } from '../rule.ts';
import type { Resource } from '../../repo/resource.ts';
import { analysisScope } from '../mesh/analysis-scope.ts';
import { namespaceOf } from '../mesh/hosts.ts';
import { injectorWebhooks } from '../mesh/injector-webhooks.ts';
import { MessageSet } from '../mesh/message-key.ts';
import { labelSelectorMatches, selects } from '../workload/label-selector.ts';
import { at, name, spec } from './rule-helpers.ts';
import { appendTo } from '../../collections/map-of-lists.ts';

const INJECT = 'sidecar.istio.io/inject';
const PROXY = 'istio-proxy';

const deployments = (ctx: RuleContext) => analysisScope(ctx).of('apps', 'Deployment');
const pods = (ctx: RuleContext) => analysisScope(ctx).of('', 'Pod');
const template = (d: Resource) => (spec(d.object).template ?? {}) as Record<string, any>;

/** Labels of the Namespace objects in view, by name. */
const namespaceLabels = (ctx: RuleContext) =>
  new Map(
    analysisScope(ctx)
      .of('', 'Namespace')
      .map((n) => [n.object.metadata?.name ?? '', n.object.metadata?.labels ?? {}]),
  );

/**
 * Will a Deployment's pods have a sidecar (util.DeploymentInMesh)? A proxy container in the template,
 * else the sidecar.istio.io/inject label, else that annotation, else istio-injection=enabled on its
 * Namespace object.
 */
function deploymentInMesh(d: Resource, namespaces: Map<string, Record<string, string>>): boolean {
  const meta = template(d).metadata ?? {};
  const containers = (template(d).spec?.containers ?? []) as Record<string, any>[];
  if (containers.some((c) => c?.name === PROXY && c.image)) return true;
  if (meta.labels?.[INJECT] !== undefined) return meta.labels[INJECT] === 'true';
  if (meta.annotations?.[INJECT] !== undefined) return meta.annotations[INJECT] === 'true';
  const ns = namespaces.get(namespaceOf(d));
  return ns !== undefined && ns['istio-injection'] === 'enabled';
}

export const deploymentServicePorts: Rule = {
  id: 'mesh/deployment-service-ports',
  severity: 'warning',
  istioCode: 'IST0116',
  title: 'Services selecting one meshed Deployment agree on port protocols and target ports',
  why: 'The sidecar builds one inbound listener per port: two Services giving a port different protocols, or sending two ports to one target port, leave one of them misrouted.',
  hint: 'use one protocol per port number across the Services of a workload, and give each Service port its own target port',
  // istioctl's deployment.MultiServiceAnalyzer: Services of the Deployment's namespace whose non-empty
  // selector matches its pod labels; IST0116 per port with several protocols, IST0137 per shared target port.
  check: (ctx) => {
    const namespaces = namespaceLabels(ctx);
    const services = analysisScope(ctx).of('', 'Service');
    const out = new MessageSet();
    for (const d of deployments(ctx)) {
      if (d.object.metadata?.labels?.['gateway.istio.io/managed'] === 'istio.io-mesh-controller') continue;
      if (!deploymentInMesh(d, namespaces)) continue;
      const ns = namespaceOf(d);
      const podLabels = (template(d).metadata?.labels ?? {}) as Record<string, string>;
      const matching = services.filter(
        (s) => namespaceOf(s) === ns && selects(spec(s.object).selector, podLabels),
      );
      const protocols = new Map<number, Map<string, string[]>>();
      const targets = new Map<string, Map<number, string>>();
      for (const s of matching) {
        const svc = `${ns}/${s.object.metadata?.name ?? ''}`;
        for (const p of (spec(s.object).ports ?? []) as Record<string, any>[]) {
          const port = Number(p?.port ?? 0);
          const protocol = String(p?.protocol || 'TCP');
          const byProtocol = protocols.get(port) ?? new Map<string, string[]>();
          appendTo(byProtocol, protocol, svc);
          protocols.set(port, byProtocol);
          const tp =
            p?.targetPort === undefined ||
            p.targetPort === null ||
            String(p.targetPort) === '0' ||
            p.targetPort === ''
              ? String(port)
              : String(p.targetPort);
          const byPort = targets.get(tp) ?? new Map<number, string>();
          byPort.set(port, svc);
          targets.set(tp, byPort);
        }
      }
      for (const [port, byProtocol] of protocols) {
        if (byProtocol.size < 2) continue;
        const names = [...byProtocol.values()].flat().sort();
        out.add(
          d,
          `IST0116|${port}|${names.join(',')}`,
          at(
            ctx,
            d,
            ['metadata', 'name'],
            `${name(d)}: port ${port} has several protocols across the Services selecting it: ${names.join(', ')}`,
          ),
        );
      }
      for (const [tp, byPort] of targets) {
        if (byPort.size < 2) continue;
        const names = [...byPort.values()].sort();
        const ports = [...byPort.keys()].sort((a, b) => a - b);
        out.add(
          d,
          `IST0137|${tp}|${names.join(',')}|${ports.join(',')}`,
          at(
            ctx,
            d,
            ['metadata', 'name'],
            `${name(d)}: Services ${names.join(', ')} send ports ${ports.join(', ')} to the same target port ${tp}`,
            { istioCode: 'IST0137' },
          ),
        );
      }
    }
    return out.findings;
  },
};

/** Istio's own workloads (label `istio`, or `release: istio`) are not checked (util.IsIstioControlPlane). */
const controlPlane = (r: Resource) => {
  const labels = r.object.metadata?.labels ?? {};
  return 'istio' in labels || labels.release === 'istio';
};

const PROXY_UID = 1337;

export const applicationUid: Rule = {
  id: 'mesh/application-uid',
  severity: 'warning',
  istioCode: 'IST0144',
  title: 'Application containers do not run as UID 1337',
  why: "1337 is the sidecar's own UID: the iptables rules let its traffic bypass the proxy, so an application running as 1337 escapes the mesh (no mTLS, no policy).",
  hint: 'run the application as another user (securityContext.runAsUser)',
  // istioctl's applicationUID.Analyzer on Pods and Deployments: the pod's or an application container's
  // runAsUser (not istio-proxy or istio-operator); one message per resource.
  check: (ctx) => {
    const out = new MessageSet();
    const visit = (r: Resource, podSpec: Record<string, any>, base: (string | number)[]) => {
      if (controlPlane(r)) return;
      const paths: (string | number)[][] = [];
      if (podSpec?.securityContext?.runAsUser === PROXY_UID)
        paths.push([...base, 'securityContext', 'runAsUser']);
      ((podSpec?.containers ?? []) as Record<string, any>[]).forEach((c, i) => {
        if (c?.name !== PROXY && c?.name !== 'istio-operator' && c?.securityContext?.runAsUser === PROXY_UID)
          paths.push([...base, 'containers', i, 'securityContext', 'runAsUser']);
      });
      if (paths.length > 0)
        out.add(r, '', at(ctx, r, paths[0]!, `${name(r)}: runs as UID 1337, the UID of the Istio proxy`));
    };
    for (const p of pods(ctx)) visit(p, spec(p.object), ['spec']);
    for (const d of deployments(ctx)) visit(d, template(d).spec ?? {}, ['spec', 'template', 'spec']);
    return out.findings;
  },
};

const autoImage = (podSpec: Record<string, any>) =>
  ((podSpec?.containers ?? []) as Record<string, any>[]).findIndex(
    (c) => c?.name === PROXY && c?.image === 'auto',
  );

export const imageAuto: Rule = {
  id: 'mesh/image-auto',
  severity: 'warning',
  istioCode: 'IST0146',
  title: '`image: auto` proxies are injected',
  why: 'Only the sidecar injector replaces `image: auto` with the proxy image: a Pod written with it, or a Deployment no injector webhook selects, pulls an image literally named "auto" and never starts.',
  hint: 'label the pods (or their namespace) so the injector selects them, e.g. the gateway\'s sidecar.istio.io/inject: "true", or set a real image',
  // istioctl's injection.ImageAutoAnalyzer: a Pod with it always (IST0147); a Deployment when no Istio
  // injector webhook selects its namespace and pod labels (IST0146).
  check: (ctx) => {
    const out: Finding[] = [];
    for (const p of pods(ctx)) {
      const i = autoImage(spec(p.object));
      if (i >= 0)
        out.push(
          at(
            ctx,
            p,
            ['spec', 'containers', i, 'image'],
            `${name(p)}: Pod ${p.object.metadata?.name} uses image: auto, which only the injector replaces`,
            {
              istioCode: 'IST0147',
              severity: 'error',
            },
          ),
        );
    }
    const namespaces = namespaceLabels(ctx);
    const webhooks = injectorWebhooks(ctx);
    for (const d of deployments(ctx)) {
      const i = autoImage(template(d).spec ?? {});
      if (i < 0) continue;
      const nsLabels = namespaces.get(namespaceOf(d));
      const podLabels = (template(d).metadata?.labels ?? {}) as Record<string, string>;
      if (
        webhooks.some(
          (w) =>
            labelSelectorMatches(w.namespaceSelector, nsLabels) &&
            labelSelectorMatches(w.objectSelector, podLabels),
        )
      )
        continue;
      out.push(
        at(
          ctx,
          d,
          ['spec', 'template', 'spec', 'containers', i, 'image'],
          `${name(d)}: uses image: auto, but no injector webhook selects its pods (namespace ${namespaceOf(d)})`,
        ),
      );
    }
    return out;
  },
};

export const MESH_WORKLOAD_RULES: readonly Rule[] = [deploymentServicePorts, applicationUid, imageAuto];
