import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KubeObject } from '../../scripts/lib/repo/resource.ts';

export interface KubeDoubleOptions {
  objects: KubeObject[];
  /** Kinds (plural resource names) answering 403 to list. */
  forbidden?: string[];
  /** Resource names whose first list request fails with 500. */
  flaky?: string[];
  /** Resource names that never answer. */
  hang?: string[];
  pageSize?: number;
  /** More context names, beside dev, all pointing at this double. */
  contexts?: string[];
  /** Answer without the bearer token: kubectl sends none over plain http. */
  anonymous?: boolean;
}

const PLURAL: Record<string, string> = {
  Deployment: 'deployments',
  Service: 'services',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  Namespace: 'namespaces',
  Application: 'applications',
  AppProject: 'appprojects',
  ServiceEntry: 'serviceentries',
};
/** The short names kubectl resolves through discovery (`kubectl get vs,dr`). */
const SHORT: Record<string, string[]> = {
  Deployment: ['deploy'],
  Service: ['svc'],
  ConfigMap: ['cm'],
  Namespace: ['ns'],
  Application: ['app', 'apps'],
  AppProject: ['appproj'],
  VirtualService: ['vs'],
  DestinationRule: ['dr'],
  Gateway: ['gw'],
  ServiceEntry: ['se'],
};
const plural = (kind: string) => PLURAL[kind] ?? `${kind.toLowerCase()}s`;
const groupOf = (gv: string) => (gv.includes('/') ? gv.slice(0, gv.indexOf('/')) : '');

/**
 * A test double of the Kubernetes API server on 127.0.0.1: discovery as kubectl and this repository's
 * client read it (/api, /apis, /api/v1, /apis/<group>/<version>, with short names), paginated
 * cluster-wide lists (limit/continue), scripted 403, 500-then-success and hangs. Requests need
 * the bearer token the kubeconfig it writes carries, else 401. `events` emits `hang` with the path of
 * each request it leaves unanswered, so a test fires the client's timeout instead of waiting.
 */
export async function startKubeApiDouble(o: KubeDoubleOptions) {
  const requests: string[] = [];
  const events = new EventEmitter();
  const failedOnce = new Set<string>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${url.pathname}${url.search}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!o.anonymous && req.headers.authorization !== 'Bearer test-token')
      return send(401, { kind: 'Status', code: 401 });
    const parts = url.pathname.split('/').filter(Boolean);
    const versions = [...new Set(o.objects.map((x) => x.apiVersion!))];
    if (url.pathname === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'] });
    if (url.pathname === '/apis')
      return send(200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [...new Set(versions.filter((v) => v.includes('/')).map(groupOf))].map((name) => {
          const gvs = versions.filter((v) => groupOf(v) === name);
          const list = gvs.map((groupVersion) => ({ groupVersion, version: groupVersion.split('/')[1] }));
          return { name, versions: list, preferredVersion: list[0] };
        }),
      });
    const gv = parts[0] === 'api' ? parts[1]! : `${parts[1]}/${parts[2]}`;
    const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
    const kinds = [...new Set(o.objects.filter((x) => x.apiVersion === gv).map((x) => x.kind!))];
    if (rest.length === 0)
      return send(200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: gv,
        resources: kinds.map((k) => ({
          name: plural(k),
          singularName: k.toLowerCase(),
          kind: k,
          namespaced: k !== 'Namespace',
          verbs: ['get', 'list'],
          ...(SHORT[k] ? { shortNames: SHORT[k] } : {}),
        })),
      });
    const resource = rest[0]!;
    if (o.hang?.includes(resource)) return void events.emit('hang', url.pathname);
    if (o.forbidden?.includes(resource)) return send(403, { kind: 'Status', code: 403 });
    if (o.flaky?.includes(resource) && !failedOnce.has(resource)) {
      failedOnce.add(resource);
      return send(500, { kind: 'Status', code: 500 });
    }
    const items = o.objects.filter((x) => x.apiVersion === gv && plural(x.kind!) === resource);
    const listKind = `${kinds.find((k) => plural(k) === resource) ?? 'Object'}List`;
    const size = o.pageSize ?? 1;
    const start = Number(url.searchParams.get('continue') ?? 0);
    const page = items.slice(start, start + size).map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    const next = start + size < items.length ? String(start + size) : '';
    return send(200, { apiVersion: gv, kind: listKind, metadata: { continue: next }, items: page });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeconfig-'));
  const kubeconfig = path.join(dir, 'config');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
  - name: double
    cluster:
      server: http://127.0.0.1:${port}
      insecure-skip-tls-verify: true
users:
  - name: tester
    user:
      token: test-token
contexts:
${['dev', ...(o.contexts ?? [])].map((c) => `  - name: ${c}\n    context:\n      cluster: double\n      user: tester\n`).join('')}current-context: dev
`,
  );
  return {
    kubeconfig,
    requests,
    events,
    close: () =>
      new Promise<void>((r) => {
        rmSync(dir, { recursive: true, force: true });
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
