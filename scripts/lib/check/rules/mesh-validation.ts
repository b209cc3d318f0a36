import type { Finding } from '../finding.ts';
import type { Rule, RuleContext } from '../rule.ts';
import type { Resource } from '../../repo/resource.ts';
import { analysisScope, NETWORKING } from '../mesh/analysis-scope.ts';
import { isHttpProtocol, isTlsProtocol, parseProtocol } from '../mesh/protocol.ts';
import { at, durationMs, name, spec } from './rule-helpers.ts';

type Path = (string | number)[];
type Problem = [path: Path, message: string];

/** Envoy's retry policies istiod accepts (x-envoy-retry-on and x-envoy-retry-grpc-on), validation.go. */
const RETRY_ON = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);

/** HTTP status codes Go's http.StatusText knows: istiod also accepts these as retryOn values. */
const STATUS_CODES = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 307,
  308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421,
  422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

const LABEL = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const WILDCARD_LABEL = /^(\*|(\*|\*-)?[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?)$/;
const isLabel = (s: string) => s.length <= 63 && LABEL.test(s);

/** agent.ValidateWildcardDomain: a DNS name whose first label may be a wildcard. */
function wildcardDomainProblem(domain: string): string | undefined {
  if (domain.length > 255) return `domain name "${domain}" too long (max 255)`;
  if (domain.length === 0) return 'empty domain name not allowed';
  const dot = domain.indexOf('.');
  const first = dot < 0 ? domain : domain.slice(0, dot);
  if (first.length > 63 || !WILDCARD_LABEL.test(first))
    return `domain name "${domain}" invalid (label "${first}" invalid)`;
  if (dot < 0) return undefined;
  const parts = domain.slice(dot + 1).split('.');
  const top = parts[parts.length - 1]!;
  if (/^[+-]?\d+$/.test(top))
    return `domain name "${domain}" invalid (top level domain "${top}" cannot be all-numeric)`;
  for (let i = 0; i < parts.length; i++) {
    if (i === parts.length - 1 && parts[i] === '') return undefined;
    if (!isLabel(parts[i]!)) return `domain name "${domain}" invalid (label "${parts[i]}" invalid)`;
  }
  return undefined;
}

/** agent.ValidateDuration: at least 1ms, in whole milliseconds. */
function durationProblem(value: unknown): string | undefined {
  const ms = durationMs(value);
  if (ms === undefined) return undefined; // not a duration at all: the schema check reports it
  if (ms < 1) return 'duration must be greater than 1ms';
  if (!Number.isInteger(Math.round(ms * 1e6) / 1e6)) return 'only durations to ms precision are supported';
  return undefined;
}

/** validateHTTPRetry. */
function retryProblems(r: Record<string, any> | undefined, base: Path): Problem[] {
  if (!r || typeof r !== 'object') return [];
  const out: Problem[] = [];
  const attempts = Number(r.attempts ?? 0);
  if (attempts < 0) out.push([[...base, 'attempts'], 'attempts cannot be negative']);
  if (
    attempts === 0 &&
    (r.perTryTimeout !== undefined || (r.retryOn ?? '') !== '' || r.retryRemoteLocalities !== undefined)
  )
    out.push([base, 'http retry policy configured when attempts are set to 0 (disabled)']);
  for (const field of ['perTryTimeout', 'backoff']) {
    const p = r[field] === undefined ? undefined : durationProblem(r[field]);
    if (p) out.push([[...base, field], `${field}: ${p}`]);
  }
  if (typeof r.retryOn === 'string' && r.retryOn !== '')
    for (const policy of r.retryOn.split(','))
      if (!STATUS_CODES.has(/^[+-]?\d+$/.test(policy) ? Number(policy) : 0) && !RETRY_ON.has(policy))
        out.push([[...base, 'retryOn'], `"${policy}" is not a valid retryOn policy`]);
  return out;
}

/** validateDestination (the checks that hold whatever the route semantics). */
function destinationProblems(d: Record<string, any> | undefined, base: Path): Problem[] {
  if (!d || typeof d !== 'object') return [];
  const out: Problem[] = [];
  const host = String(d.host ?? '');
  const hostProblem = host === '*' ? `invalid destination host ${host}` : wildcardDomainProblem(host);
  if (hostProblem) out.push([[...base, 'host'], hostProblem]);
  if (d.subset !== undefined && d.subset !== '' && !isLabel(String(d.subset)))
    out.push([[...base, 'subset'], `subset name is invalid: ${d.subset}`]);
  if (d.port !== undefined && d.port !== null) {
    const n = Number(d.port.number ?? 0);
    if (!(n >= 1 && n <= 65535))
      out.push([[...base, 'port'], `port number ${n} must be in the range 1..65535`]);
  }
  return out;
}

/** validateHTTPRouteConflict, validateHTTPRouteDestinations, mirrors, retries (of one http route). */
function httpRouteProblems(route: Record<string, any>, base: Path, delegate: boolean): Problem[] {
  const out: Problem[] = [];
  const dests = (route.route ?? []) as Record<string, any>[];
  if (route.delegate && !delegate) {
    if (route.redirect) out.push([base, `root HTTP route ${route.name ?? ''} must not specify redirect`]);
    if (route.route) out.push([base, `root HTTP route ${route.name ?? ''} must not specify route`]);
  } else {
    if (delegate && route.delegate) out.push([base, 'delegate HTTP route cannot contain delegate']);
    if (route.redirect) {
      if (dests.length > 0) out.push([base, 'HTTP route cannot contain both route and redirect']);
      if (route.fault) out.push([base, 'HTTP route cannot contain both fault and redirect']);
      if (route.rewrite) out.push([base, 'HTTP route rule cannot contain both rewrite and redirect']);
      if (route.directResponse)
        out.push([base, 'HTTP route rule cannot contain both direct_response and redirect']);
    } else if (route.directResponse) {
      if (dests.length > 0) out.push([base, 'HTTP route cannot contain both route and direct_response']);
      if (route.fault) out.push([base, 'HTTP route cannot contain both fault and direct_response']);
      if (route.rewrite) out.push([base, 'HTTP route rule cannot contain both rewrite and direct_response']);
    } else if (dests.length === 0) out.push([base, 'HTTP route, redirect or direct_response is required']);
  }
  if (route.mirror && ((route.mirrors ?? []) as unknown[]).length > 0)
    out.push([base, 'HTTP route cannot contain both mirror and mirrors']);
  const mirrorPercentage = route.mirrorPercentage?.value;
  if (typeof mirrorPercentage === 'number' && (mirrorPercentage > 100 || mirrorPercentage < 0))
    out.push([
      [...base, 'mirrorPercentage'],
      `mirror_percentage must be between 0 and 100 (it has ${mirrorPercentage})`,
    ]);
  if (route.mirror) out.push(...destinationProblems(route.mirror, [...base, 'mirror']));
  ((route.mirrors ?? []) as Record<string, any>[]).forEach((m, j) => {
    const p = [...base, 'mirrors', j];
    if (!m) out.push([p, 'mirror cannot be null']);
    else if (!m.destination) out.push([p, 'destination is required for mirrors']);
    else {
      out.push(...destinationProblems(m.destination, [...p, 'destination']));
      const v = m.percentage?.value;
      if (typeof v === 'number' && (v > 100 || v < 0))
        out.push([[...p, 'percentage'], `mirror percentage must be between 0 and 100 (it has ${v})`]);
    }
  });
  out.push(...retryProblems(route.retries, [...base, 'retries']));
  if (route.timeout !== undefined) {
    const p = durationProblem(route.timeout);
    if (p) out.push([[...base, 'timeout'], `timeout: ${p}`]);
  }
  out.push(...routeDestinationProblems(dests, [...base, 'route']));
  return out;
}

/** validate(HTTP)RouteDestinations: a destination each, weights ≥ 0, not all 0 when there are several. */
function routeDestinationProblems(dests: Record<string, any>[], base: Path): Problem[] {
  const out: Problem[] = [];
  let total = 0;
  dests.forEach((rd, j) => {
    const p = [...base, j];
    if (!rd) return void out.push([p, 'weight may not be nil']);
    if (!rd.destination) out.push([p, 'destination is required']);
    out.push(...destinationProblems(rd.destination, [...p, 'destination']));
    const w = Number(rd.weight ?? 0);
    if (w < 0) out.push([[...p, 'weight'], `weight ${w} < 0`]);
    total += w;
  });
  if (dests.length > 1 && total === 0) out.push([base, 'total destination weight = 0']);
  return out;
}

function virtualServiceProblems(vs: Resource): Problem[] {
  const s = spec(vs.object);
  const out: Problem[] = [];
  const hosts = ((s.hosts ?? []) as unknown[]).map(String);
  const gateways = ((s.gateways ?? []) as unknown[]).map(String);
  const delegate = hosts.length === 0;
  if (delegate) {
    if (gateways.length)
      out.push([['spec', 'gateways'], 'delegate virtual service must have no gateways specified']);
    if ((s.tls ?? []).length)
      out.push([['spec', 'tls'], 'delegate virtual service must have no tls route specified']);
    if ((s.tcp ?? []).length)
      out.push([['spec', 'tcp'], 'delegate virtual service must have no tcp route specified']);
  }
  const appliesToMesh = gateways.length === 0 || gateways.includes('mesh');
  hosts.forEach((h, i) => {
    if (appliesToMesh && h === '*')
      out.push([
        ['spec', 'hosts', i],
        'wildcard host * is not allowed for virtual services bound to the mesh gateway',
      ]);
  });
  if (!(s.http ?? []).length && !(s.tcp ?? []).length && !(s.tls ?? []).length)
    out.push([['spec'], 'http, tcp or tls must be provided in virtual service']);
  ((s.http ?? []) as Record<string, any>[]).forEach((route, i) => {
    if (!route) out.push([['spec', 'http', i], 'http route may not be null']);
    else out.push(...httpRouteProblems(route, ['spec', 'http', i], delegate));
  });
  for (const kind of ['tcp', 'tls'])
    ((s[kind] ?? []) as Record<string, any>[]).forEach((route, i) => {
      const base = ['spec', kind, i];
      if (!route) return;
      const dests = (route.route ?? []) as Record<string, any>[];
      if (kind === 'tls') {
        const matches = (route.match ?? []) as Record<string, any>[];
        if (matches.length === 0) out.push([base, 'TLS route must have at least one match condition']);
        matches.forEach((m, j) => {
          if (!m) out.push([[...base, 'match', j], 'TLS match may not be null']);
          else if (!((m.sniHosts ?? []) as unknown[]).length)
            out.push([[...base, 'match', j], 'TLS match must have at least one SNI host']);
        });
      }
      if (dests.length === 0) out.push([base, `${kind.toUpperCase()} route is required`]);
      out.push(...routeDestinationProblems(dests, [...base, 'route']));
    });
  return out;
}

const TERMINATING = new Set(['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL']);

/** validateTLSOptions (the certificate checks). */
function serverTlsProblems(tls: Record<string, any> | undefined, base: Path): Problem[] {
  if (!tls || typeof tls !== 'object') return [];
  const out: Problem[] = [];
  const credentialNames = ((tls.credentialNames ?? []) as unknown[]).length > 0;
  const tlsCertificates = (tls.tlsCertificates ?? []) as Record<string, any>[];
  if (tls.mode === 'ISTIO_MUTUAL') {
    for (const [field, what] of [
      ['serverCertificate', 'server certificate'],
      ['privateKey', 'private key'],
      ['caCertificates', 'CA bundle'],
      ['credentialName', 'credentialName'],
    ] as const)
      if (tls[field]) out.push([[...base, field], `ISTIO_MUTUAL TLS cannot have associated ${what}`]);
    if (tlsCertificates.length)
      out.push([[...base, 'tlsCertificates'], 'ISTIO_MUTUAL TLS cannot have associated tlsCertificates']);
    if (credentialNames)
      out.push([[...base, 'credentialNames'], 'ISTIO_MUTUAL TLS cannot have associated credentialNames']);
    return out;
  }
  const sources = [
    !!(tls.serverCertificate && tls.privateKey),
    !!tls.credentialName,
    credentialNames,
    tlsCertificates.length > 0,
  ];
  if (sources.filter(Boolean).length > 1)
    out.push([
      base,
      'only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified',
    ]);
  if (TERMINATING.has(tls.mode) && (tls.credentialName || credentialNames)) return out;
  if (TERMINATING.has(tls.mode)) {
    const prefix = tls.mode === 'SIMPLE' ? 'SIMPLE TLS' : 'MUTUAL TLS';
    if (tls.mode !== 'SIMPLE' && !tls.caCertificates)
      out.push([base, `${prefix} requires a client CA bundle`]);
    const certs = tlsCertificates.length
      ? tlsCertificates
      : [{ serverCertificate: tls.serverCertificate, privateKey: tls.privateKey }];
    for (const c of certs) {
      if (!c?.serverCertificate) out.push([base, `${prefix} requires a server certificate`]);
      if (!c?.privateKey) out.push([base, `${prefix} requires a private key`]);
    }
  }
  if (tls.caCrl && tls.credentialName)
    out.push([base, 'CRL is not supported with credentialName. CRL has to be specified in the credential']);
  if (tls.caCrl && tls.mode === 'SIMPLE') out.push([base, 'CRL is not supported with SIMPLE TLS']);
  return out;
}

function gatewayProblems(g: Resource): Problem[] {
  const servers = (spec(g.object).servers ?? []) as Record<string, any>[];
  const out: Problem[] = [];
  if (servers.length === 0) out.push([['spec'], 'gateway must have at least one server']);
  const portNames = new Set<string>();
  servers.forEach((server, i) => {
    const base = ['spec', 'servers', i];
    if (!server) return void out.push([base, 'cannot have nil server']);
    if (!((server.hosts ?? []) as unknown[]).length)
      out.push([base, 'server config must contain at least one host']);
    const port = server.port;
    if (!port) out.push([base, 'port is required']);
    else {
      const protocol = parseProtocol(String(port.protocol ?? ''));
      if (protocol === undefined)
        out.push([
          [...base, 'port', 'protocol'],
          `invalid protocol "${port.protocol ?? ''}", supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP`,
        ]);
      if (!port.name) out.push([[...base, 'port'], 'port name must be set']);
      else if (portNames.has(String(port.name)))
        out.push([
          [...base, 'port', 'name'],
          `port names in servers must be unique: duplicate name ${port.name}`,
        ]);
      portNames.add(String(port.name ?? ''));
      if (protocol !== undefined) {
        if (isTlsProtocol(protocol) && !server.tls)
          out.push([base, 'server must have TLS settings for HTTPS/TLS protocols']);
        else if (!isTlsProtocol(protocol) && server.tls) {
          const tls = server.tls as Record<string, any>;
          const passThrough = !tls.mode || tls.mode === 'PASSTHROUGH' || tls.mode === 'AUTO_PASSTHROUGH';
          if (!isHttpProtocol(protocol))
            out.push([[...base, 'tls'], 'server cannot have TLS settings for non HTTPS/TLS ports']);
          else if (!passThrough || tls.caCertificates || tls.privateKey || tls.serverCertificate)
            out.push([[...base, 'tls'], 'server cannot have TLS settings for plain text HTTP ports']);
        }
      }
    }
    out.push(...serverTlsProblems(server.tls, [...base, 'tls']));
  });
  return out;
}

const report = (ctx: RuleContext, r: Resource, problems: Problem[]): Finding[] =>
  problems.map(([path, message]) => at(ctx, r, path, `${name(r)}: ${message}`));

export const istiodValidation: Rule = {
  id: 'mesh/istiod-validation',
  severity: 'error',
  istioCode: 'IST0106',
  title: 'VirtualServices and Gateways pass the checks istiod applies before accepting them',
  why: "istiod's validating webhook rejects them, so the sync fails (or, when validation is off, istiod drops the resource): retry policies Envoy does not know, a route without destination, TLS settings that do not fit the server's protocol.",
  hint: 'fix the field named in the message (retryOn takes Envoy policies like 5xx,reset,connect-failure,refused-stream or HTTP status codes)',
  // The VirtualService and Gateway parts of istiod's pkg/config/validation that concern one resource;
  // istioctl reports them as IST0106 (SchemaValidationError).
  check: (ctx) => {
    const scope = analysisScope(ctx);
    return [
      ...scope.of(NETWORKING, 'VirtualService').flatMap((vs) => report(ctx, vs, virtualServiceProblems(vs))),
      ...scope.of(NETWORKING, 'Gateway').flatMap((g) => report(ctx, g, gatewayProblems(g))),
    ];
  },
};

export const MESH_VALIDATION_RULES: readonly Rule[] = [istiodValidation];
