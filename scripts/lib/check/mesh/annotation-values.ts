import { parse } from 'yaml';
import { parseQuantity } from '../../cluster/quantity.ts';

/** A value check of istiod's sidecar injector (kube/inject AnnotationValidation): an error text, or undefined. */
type Check = (value: string) => string | undefined;

const uint = (bits: number, value: string) =>
  /^\d+$/.test(value) && Number(value) < 2 ** bits
    ? undefined
    : `"${value}" is not an unsigned ${bits}-bit integer`;

const port = (value: string) => (uint(16, value.trim()) ? `failed parsing port '${value}'` : undefined);

const portList = (name: string) => (value: string) => {
  const v = value.trim();
  if (v === '') return undefined;
  const bad = v.split(',').find((p) => port(p));
  return bad === undefined ? undefined : `${name} invalid: failed parsing port '${bad}'`;
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** netip.ParsePrefix: an address (no leading zeros, no zone) and a prefix length within its size. */
function cidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return false;
  const [addr, bits] = [value.slice(0, slash), value.slice(slash + 1)];
  if (!/^(0|[1-9]\d*)$/.test(bits)) return false;
  if (IPV4.test(addr)) return Number(bits) <= 32;
  if (!addr.includes(':') || addr.includes('%') || !/^[0-9a-fA-F:.]+$/.test(addr)) return false;
  const groups = addr.split('::');
  if (groups.length > 2) return false;
  const count = groups.flatMap((g) => (g === '' ? [] : g.split(':'))).length;
  return (groups.length === 2 ? count < 8 : count === 8) && Number(bits) <= 128;
}

const cidrList = (name: string, star: boolean) => (value: string) => {
  if (star && value === '*') return undefined;
  if (value === '') return undefined;
  const bad = value.split(',').find((c) => !cidr(c));
  return bad === undefined ? undefined : `${name} invalid: failed parsing cidr '${bad}'`;
};

const interfaces = (value: string) => {
  if (value === '') return undefined;
  for (const raw of value.split(',')) {
    const i = raw.trim();
    if (i.length === 0) return 'empty interface name';
    if (i.length > 15) return `interface name "${i}" too long (max 15 chars)`;
    if (!/^[a-zA-Z][a-zA-Z0-9_.-]*$/.test(i)) return `interface name "${i}" contains invalid characters`;
  }
  return undefined;
};

const BOOLS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * The annotations the injector validates, with its checks. proxy.istio.io/config is only checked to be
 * a YAML mapping here; istiod also validates every ProxyConfig field.
 */
export const ANNOTATION_CHECKS: Record<string, Check> = {
  'sidecar.istio.io/interceptionMode': (v) =>
    ['REDIRECT', 'TPROXY', 'NONE'].includes(v)
      ? undefined
      : `interceptionMode invalid, use REDIRECT,TPROXY,NONE: ${v}`,
  'status.sidecar.istio.io/port': (v) =>
    port(v) ? `excludeInboundPorts invalid: failed parsing port '${v}'` : undefined,
  'readiness.status.sidecar.istio.io/initialDelaySeconds': (v) => uint(32, v),
  'readiness.status.sidecar.istio.io/periodSeconds': (v) => uint(32, v),
  'readiness.status.sidecar.istio.io/failureThreshold': (v) => uint(32, v),
  'traffic.sidecar.istio.io/includeOutboundIPRanges': cidrList('includeIPRanges', true),
  'traffic.sidecar.istio.io/excludeOutboundIPRanges': cidrList('excludeIPRanges', false),
  'traffic.sidecar.istio.io/includeInboundPorts': (v) =>
    v === '*' ? undefined : portList('includeInboundPorts')(v),
  'traffic.sidecar.istio.io/excludeInboundPorts': portList('excludeInboundPorts'),
  'traffic.sidecar.istio.io/excludeOutboundPorts': portList('excludeOutboundPorts'),
  'traffic.sidecar.istio.io/excludeInterfaces': interfaces,
  'traffic.sidecar.istio.io/kubevirtInterfaces': interfaces,
  'istio.io/reroute-virtual-interfaces': interfaces,
  'prometheus.istio.io/merge-metrics': (v) => (BOOLS.has(v) ? undefined : `"${v}" is not a boolean`),
  'proxy.istio.io/config': (v) => {
    try {
      const doc = parse(v);
      return doc === null || (typeof doc === 'object' && !Array.isArray(doc))
        ? undefined
        : 'not a ProxyConfig';
    } catch {
      return 'not YAML';
    }
  },
  'sidecar.istio.io/proxyCPU': quantity,
  'sidecar.istio.io/proxyMemory': quantity,
  'sidecar.istio.io/proxyCPULimit': quantity,
  'sidecar.istio.io/proxyMemoryLimit': quantity,
};

function quantity(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) return 'value contains control characters';
  return parseQuantity(value) === undefined || value !== value.trim()
    ? `"${value}" is not a quantity`
    : undefined;
}
