import { existsSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { ConnectionError, UsageError } from '../errors.ts';
import type { KubeObject } from '../repo/resource.ts';
import { systemClock, type Clock } from '../time/clock.ts';
import { loadKubeConfigClass, type KubeConfig } from './kube-config-class.ts';

export interface KubeApiOptions {
  kubeconfig?: string;
  context?: string;
  timeoutMs?: number;
  maxAttempts?: number;
  /** Request timeouts and retry backoff run on this clock. */
  clock?: Clock;
  /** KUBECONFIG and HOME are read from here (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
}

export interface ListResult {
  items: KubeObject[];
  /** Kinds the credentials may not list (403): reported and skipped. */
  forbidden: string[];
}

export interface KindRef {
  apiVersion: string;
  kind: string;
}

/** The kinds of these objects, each once (list() would read a kind named twice twice), first seen first. */
export function kindsOf(objects: readonly KubeObject[]): KindRef[] {
  const kinds = new Map<string, KindRef>();
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}`;
    if (!kinds.has(key)) kinds.set(key, { apiVersion: o.apiVersion!, kind: o.kind! });
  }
  return [...kinds.values()];
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

/**
 * A small Kubernetes REST client: kubeconfig and credentials through @kubernetes/client-node,
 * requests through node's http(s) so every call has a timeout and a bounded retry on 429/5xx.
 * Unreachable or 401 is a ConnectionError (exit 2); 403 on one kind is reported, not fatal.
 */
export async function openKubeApi(opts: KubeApiOptions = {}) {
  // Loaded on first use: snapshots never need it.
  const KubeConfig = await loadKubeConfigClass();
  const kc = new KubeConfig();
  try {
    loadKubeConfig(kc, () => new KubeConfig(), opts.kubeconfig, opts.env ?? process.env);
    if (opts.context) kc.setCurrentContext(opts.context);
  } catch (err) {
    throw new UsageError(
      `cannot load kubeconfig: ${(err as Error).message}`,
      'pass --kubeconfig FILE or set KUBECONFIG',
    );
  }
  if (opts.context && !kc.getContexts().some((c) => c.name === opts.context))
    throw new UsageError(
      `kube context "${opts.context}" is not in the kubeconfig`,
      'check kubeContext in clusters/settings.yaml or pass --context',
    );
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new UsageError('the kubeconfig has no current cluster', 'pass --context NAME');
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const maxAttempts = opts.maxAttempts ?? 4;
  const clock = opts.clock ?? systemClock;
  const discovery = new Map<string, Promise<ApiResource[] | 'forbidden'>>();

  async function request(pathAndQuery: string): Promise<{ status: number; body: string }> {
    const url = new URL(pathAndQuery, cluster!.server);
    const options: https.RequestOptions = { method: 'GET', headers: { accept: 'application/json' } };
    await kc.applyToHTTPSOptions(options);
    const lib = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, options, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          cancel();
          resolve({ status: res.statusCode ?? 0, body });
        });
      });
      // The whole exchange, not only socket idleness, must finish in time.
      const cancel = clock.timer(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (err) => {
        cancel();
        reject(err);
      });
      req.end();
    });
  }

  async function getJson(path: string): Promise<{ status: number; json?: any }> {
    let last = '';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        const r = await request(path);
        if (r.status === 401)
          throw new ConnectionError(
            `the cluster at ${cluster!.server} refused the credentials (401)`,
            'log in again or fix the kubeconfig user',
          );
        if (r.status === 429 || r.status >= 500) last = `HTTP ${r.status}`;
        else return { status: r.status, json: r.status === 200 ? JSON.parse(r.body) : undefined };
      } catch (err) {
        if (err instanceof ConnectionError) throw err;
        last = (err as Error).message;
      }
      if (attempt < maxAttempts) await clock.sleep(Math.min(500 * 2 ** (attempt - 1), 4000));
    }
    throw new ConnectionError(
      `cannot reach the cluster at ${cluster!.server} (${path}): ${last}`,
      'check the kube context and network, or use --snapshot FILE',
    );
  }

  function resourcesOf(apiVersion: string): Promise<ApiResource[] | 'forbidden'> {
    let p = discovery.get(apiVersion);
    if (!p) {
      p = getJson(apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`).then((r) =>
        r.status === 403
          ? 'forbidden'
          : r.status === 404
            ? []
            : ((r.json?.resources ?? []) as ApiResource[]).filter((x) => !x.name.includes('/')),
      );
      discovery.set(apiVersion, p);
    }
    return p;
  }

  return {
    server: cluster.server,
    /** Every object of these kinds in the cluster (all namespaces), paginated. */
    async list(kinds: KindRef[]): Promise<ListResult> {
      const items: KubeObject[] = [];
      const forbidden: string[] = [];
      for (const { apiVersion, kind } of kinds) {
        const resources = await resourcesOf(apiVersion);
        const res = resources === 'forbidden' ? undefined : resources.find((r) => r.kind === kind);
        if (!res) {
          if (resources === 'forbidden') forbidden.push(`${apiVersion} ${kind}`);
          continue;
        }
        const base = apiVersion.includes('/')
          ? `/apis/${apiVersion}/${res.name}`
          : `/api/${apiVersion}/${res.name}`;
        let token: string | undefined;
        do {
          const q = new URLSearchParams({ limit: '500', ...(token ? { continue: token } : {}) });
          const r = await getJson(`${base}?${q}`);
          if (r.status === 403) {
            forbidden.push(`${apiVersion} ${kind}`);
            break;
          }
          for (const item of (r.json?.items ?? []) as KubeObject[]) items.push({ apiVersion, kind, ...item });
          token = r.json?.metadata?.continue || undefined;
        } while (token);
      }
      return { items, forbidden };
    },
  };
}

/**
 * What KubeConfig.loadFromDefault does, with the environment passed in: --kubeconfig, else the
 * files in KUBECONFIG (merged), else ~/.kube/config, else the in-cluster service account.
 */
function loadKubeConfig(
  kc: KubeConfig,
  another: () => KubeConfig,
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): void {
  if (file) return kc.loadFromFile(file);
  const files = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  if (files.length) {
    kc.loadFromFile(files[0]!);
    for (const f of files.slice(1)) {
      const more = another();
      more.loadFromFile(f);
      kc.mergeConfig(more);
    }
    return;
  }
  const home = env.HOME ?? env.USERPROFILE;
  const config = home ? path.join(home, '.kube', 'config') : undefined;
  if (config && existsSync(config)) return kc.loadFromFile(config);
  if (env.KUBERNETES_SERVICE_HOST) return kc.loadFromCluster();
  throw new Error('none found (no --kubeconfig, KUBECONFIG or ~/.kube/config)');
}
