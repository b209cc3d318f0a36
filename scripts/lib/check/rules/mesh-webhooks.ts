import { isIP } from 'node:net';
import type { Rule, RuleContext } from '../rule.ts';
import type { Resource } from '../../repo/resource.ts';
import { analysisScope } from '../mesh/analysis-scope.ts';
import { isIstioWebhook } from '../mesh/injector-webhooks.ts';
import { labelSelectorMatches, type LabelSelector } from '../workload/label-selector.ts';
import { MessageSet } from '../mesh/message-key.ts';
import { at, name } from './rule-helpers.ts';

const ADMISSION = 'admissionregistration.k8s.io';
const REV = 'istio.io/rev';

interface Webhook {
  name?: string;
  namespaceSelector?: LabelSelector;
  objectSelector?: LabelSelector;
  clientConfig?: { url?: string | null; service?: { name?: string; namespace?: string } | null };
}

const webhooksOf = (r: Resource) => (r.object.webhooks ?? []) as Webhook[];

/** Revisions a webhook configuration serves: its istio.io/rev label and the revisions its selectors name. */
function revisionsOf(r: Resource): string[] {
  const out = new Set<string>();
  const label = r.object.metadata?.labels?.[REV];
  if (label !== undefined) out.add(label);
  for (const w of webhooksOf(r))
    for (const s of [w?.namespaceSelector, w?.objectSelector]) {
      if (!s) continue;
      if (s.matchLabels?.[REV] !== undefined) out.add(String(s.matchLabels[REV]));
      for (const e of s.matchExpressions ?? [])
        if (e.key === REV) for (const v of e.values ?? []) out.add(String(v));
    }
  return [...out];
}

const permutations = (key: string, revisions: string[]) => {
  const base = () => [
    {},
    { [key]: key === 'istio-injection' ? 'enabled' : 'true' },
    { [key]: key === 'istio-injection' ? 'disabled' : 'false' },
  ];
  return [...base(), ...revisions.flatMap((rev) => base().map((l) => ({ ...l, [REV]: rev })))] as Record<
    string,
    string
  >[];
};

export const injectionWebhooks: Rule = {
  id: 'mesh/injection-webhooks',
  severity: 'error',
  istioCode: 'IST0139',
  title: "Istio's injector webhooks do not overlap and point at an existing istiod Service",
  why: 'Two injector webhooks that select the same pod inject the sidecar twice; one pointing at a missing Service fails every pod creation it selects.',
  hint: 'keep one injector webhook per namespace/pod label combination (one revision per namespace), and point clientConfig.service at the istiod Service of that revision',
  // istioctl's webhook.Analyzer: every combination of namespace labels (none, istio-injection enabled or
  // disabled, each revision) and pod labels (none, sidecar.istio.io/inject true or false, each revision)
  // must select at most one Istio webhook; and every service reference must exist.
  check: (ctx: RuleContext) => {
    const scope = analysisScope(ctx);
    const configs = scope
      .of(ADMISSION, 'MutatingWebhookConfiguration')
      .filter((r) => revisionsOf(r).length > 0 || webhooksOf(r).some(isIstioWebhook));
    const revisions = [...new Set(configs.flatMap(revisionsOf))];
    const out = new MessageSet();
    const hooks = configs.flatMap((r) =>
      webhooksOf(r).map((w, i) => ({ r, w, i, id: `${r.object.metadata?.name}/${w?.name ?? ''}` })),
    );
    for (const nl of permutations('istio-injection', revisions))
      for (const ol of permutations('sidecar.istio.io/inject', revisions)) {
        const matching = hooks.filter(
          (h) =>
            labelSelectorMatches(h.w?.namespaceSelector, nl) && labelSelectorMatches(h.w?.objectSelector, ol),
        );
        const ids = [...new Set(matching.map((h) => h.id))];
        if (ids.length < 2) continue;
        for (const id of ids) {
          const h = matching.find((x) => x.id === id)!;
          const others = ids.filter((x) => x !== id).sort();
          out.add(
            h.r,
            `overlap|${others.join(',')}`,
            at(
              ctx,
              h.r,
              ['webhooks', h.i],
              `${name(h.r)}: webhook ${h.w?.name} overlaps with ${others.join(', ')}: pods may be injected twice`,
            ),
          );
        }
      }
    const services = new Set(
      scope.of('', 'Service').map((s) => `${s.object.metadata?.namespace ?? ''}/${s.object.metadata?.name}`),
    );
    for (const h of hooks) {
      const svc = h.w?.clientConfig?.service;
      if (!svc) continue;
      const full = `${svc.namespace ?? ''}/${svc.name ?? ''}`;
      if (!services.has(full))
        out.add(
          h.r,
          `service|${full}`,
          at(
            ctx,
            h.r,
            ['webhooks', h.i, 'clientConfig', 'service'],
            `${name(h.r)}: injector refers to a control plane Service that does not exist: ${full}`,
          ),
        );
    }
    return out.findings;
  },
};

/** The host of a webhook URL as Go's url.Parse and Hostname() give it, or an error. */
function urlHost(url: string): { host: string } | { error: string } {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(url) || /%(?![0-9a-fA-F]{2})/.test(url))
    return { error: 'was provided in an invalid format' };
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(url);
  if (!m) return { host: '' };
  const authority = m[1]!.slice(m[1]!.lastIndexOf('@') + 1);
  if (authority.startsWith('[')) return { host: authority.slice(1, authority.indexOf(']')) };
  const colon = authority.lastIndexOf(':');
  return { host: colon >= 0 ? authority.slice(0, colon) : authority };
}

export const externalControlPlane: Rule = {
  id: 'mesh/external-control-plane',
  severity: 'warning',
  istioCode: 'IST0163',
  title: "Istio's webhooks reach the control plane: a Service or a URL with a host name",
  why: 'A remote cluster reaches an external istiod through its webhooks: without a Service or URL they cannot be called; an IP address in the URL breaks when istiod moves and cannot match its certificate.',
  hint: 'set clientConfig.url to https://<istiod host>:15017/… (a DNS name), or clientConfig.service',
  // istioctl's externalcontrolplane.ExternalControlPlaneAnalyzer on the istio-validator*/istiod-default-validator
  // and istio-sidecar-injector* webhook configurations.
  check: (ctx) => {
    const scope = analysisScope(ctx);
    const configs = [
      ...scope.of(ADMISSION, 'ValidatingWebhookConfiguration').filter((r) => {
        const n = r.object.metadata?.name ?? '';
        return n === 'istiod-default-validator' || n.startsWith('istio-validator');
      }),
      ...scope
        .of(ADMISSION, 'MutatingWebhookConfiguration')
        .filter((r) => (r.object.metadata?.name ?? '').startsWith('istio-sidecar-injector')),
    ];
    const out = new MessageSet();
    for (const r of configs)
      webhooksOf(r).forEach((w, i) => {
        const url = w?.clientConfig?.url;
        const path = ['webhooks', i, 'clientConfig'];
        if (url === undefined || url === null) {
          if (!w?.clientConfig?.service)
            out.add(
              r,
              `blank|${w?.name}`,
              at(ctx, r, path, `${name(r)}: webhook ${w?.name} has neither a URL nor a Service`),
            );
          return;
        }
        const parsed = urlHost(String(url));
        if ('error' in parsed)
          out.add(
            r,
            `invalid|${w?.name}|${url}`,
            at(ctx, r, [...path, 'url'], `${name(r)}: webhook ${w?.name} URL ${url} ${parsed.error}`),
          );
        else if (isIP(parsed.host))
          out.add(
            r,
            `ip|${w?.name}|${url}`,
            at(
              ctx,
              r,
              [...path, 'url'],
              `${name(r)}: webhook ${w?.name} URL ${url} names an IP address, not a host name`,
              {
                istioCode: 'IST0164',
                severity: 'info',
              },
            ),
          );
      });
    return out.findings;
  },
};

export const MESH_WEBHOOK_RULES: readonly Rule[] = [injectionWebhooks, externalControlPlane];
