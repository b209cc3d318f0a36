/** Istio's protocol of a port name or value (pkg/config/protocol Parse); undefined is Unsupported. */
export type Protocol =
  | 'TCP'
  | 'UDP'
  | 'GRPC'
  | 'GRPC-Web'
  | 'HTTP'
  | 'HTTP_PROXY'
  | 'HTTP2'
  | 'HTTPS'
  | 'TLS'
  | 'Mongo'
  | 'Redis'
  | 'MySQL';

const BY_NAME: Record<string, Protocol> = {
  tcp: 'TCP',
  udp: 'UDP',
  grpc: 'GRPC',
  'grpc-web': 'GRPC-Web',
  http: 'HTTP',
  http_proxy: 'HTTP_PROXY',
  http2: 'HTTP2',
  https: 'HTTPS',
  tls: 'TLS',
  mongo: 'Mongo',
  redis: 'Redis',
  mysql: 'MySQL',
};

export function parseProtocol(name: string): Protocol | undefined {
  return BY_NAME[name.toLowerCase()];
}

/** Ports whose protocol istiod assumes to be TCP when nothing names it: SMTP, DNS, MySQL, MongoDB. */
const WELL_KNOWN_PORTS = new Set([25, 53, 3306, 27017]);

/** Kubernetes' standard appProtocol values (core/v1 ServicePort.appProtocol). */
const KUBERNETES_APP_PROTOCOLS: Record<string, Protocol> = {
  'kubernetes.io/h2c': 'HTTP2',
  'kubernetes.io/ws': 'HTTP',
  'kubernetes.io/wss': 'HTTPS',
};

/**
 * The protocol istiod infers for a Service port (pkg/config/kube ConvertProtocol): UDP from the port's
 * protocol, else appProtocol when set, else the port name's prefix before `-` (`grpc-web` as a whole),
 * and TCP for well-known ports nothing else names. Undefined: istiod sniffs (IST0118).
 */
export function servicePortProtocol(port: {
  port?: unknown;
  name?: unknown;
  protocol?: unknown;
  appProtocol?: unknown;
}): Protocol | undefined {
  if (port.protocol === 'UDP') return 'UDP';
  let name = typeof port.name === 'string' ? port.name : '';
  if (typeof port.appProtocol === 'string') {
    name = port.appProtocol;
    const standard = KUBERNETES_APP_PROTOCOLS[name];
    if (standard) return standard;
  }
  if (name.toLowerCase().startsWith('grpc-web')) return 'GRPC-Web';
  const dash = name.indexOf('-');
  const p = parseProtocol(dash >= 0 ? name.slice(0, dash) : name);
  if (p === undefined && WELL_KNOWN_PORTS.has(Number(port.port))) return 'TCP';
  return p;
}

export const isTlsProtocol = (p: Protocol | undefined) => p === 'HTTPS' || p === 'TLS';
export const isHttpProtocol = (p: Protocol | undefined) =>
  p === 'HTTP' || p === 'HTTP2' || p === 'HTTP_PROXY' || p === 'GRPC' || p === 'GRPC-Web';
