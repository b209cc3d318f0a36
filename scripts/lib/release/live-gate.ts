import { readFileSync } from 'node:fs';
import { $ } from 'zx';
import yaml from 'js-yaml';
import type { Environment } from '../repo/settings.ts';
import type { Git } from './git.ts';

export type LiveGate =
  { status: 'passed' | 'skipped'; detail: string } | { status: 'failed'; detail: string; problems: string[] };

export interface LiveGateOptions {
  env: Environment;
  /** `kubectl get applications -o yaml` output standing in for the cluster. */
  snapshot?: string;
  kubeconfig?: string;
  context?: string;
  /** The commit that carries the pins being promoted: apps must run it or a later commit. */
  pinCommit: string;
  git: Git;
}

interface AppStatus {
  metadata?: { name?: string };
  status?: {
    sync?: { status?: string; revision?: string; revisions?: string[] };
    health?: { status?: string };
  };
}

/**
 * The source environment must be Synced and Healthy at a revision that carries the pins. Reads the
 * environment's Argo CD Applications with kubectl (or a snapshot); an unreachable cluster skips the
 * gate with a note, as the promotion cannot see it.
 */
export async function checkSourceLive(o: LiveGateOptions): Promise<LiveGate> {
  let apps: AppStatus[];
  if (o.snapshot) {
    const doc = yaml.load(readFileSync(o.snapshot, 'utf8')) as { items?: AppStatus[] } | AppStatus;
    apps = (doc as { items?: AppStatus[] }).items ?? [doc as AppStatus];
  } else {
    const ctx = o.context ?? o.env.kubeContext;
    const args = [
      'get',
      'applications.argoproj.io',
      '-n',
      o.env.argocdNamespace,
      '-o',
      'json',
      '--request-timeout=5s',
    ];
    if (ctx) args.push('--context', ctx);
    if (o.kubeconfig) args.push('--kubeconfig', o.kubeconfig);
    const p = await $({ quiet: true, nothrow: true })`kubectl ${args}`;
    if (p.exitCode !== 0)
      return {
        status: 'skipped',
        detail: `cluster of ${o.env.name} not reachable (${p.stderr.trim().split('\n')[0] || `kubectl exit ${p.exitCode}`})`,
      };
    apps = (JSON.parse(p.stdout) as { items: AppStatus[] }).items;
  }
  const problems: string[] = [];
  for (const a of apps) {
    const name = a.metadata?.name ?? '?';
    const sync = a.status?.sync?.status ?? 'Unknown';
    const health = a.status?.health?.status ?? 'Unknown';
    if (sync !== 'Synced' || health !== 'Healthy') {
      problems.push(`${name} is ${sync}/${health}`);
      continue;
    }
    const revisions = a.status?.sync?.revisions ?? (a.status?.sync?.revision ? [a.status.sync.revision] : []);
    // Chart-only apps report chart versions as revisions; only git shas are checked against history.
    const shas = revisions.filter((r) => /^[0-9a-f]{40}$/.test(r));
    if (shas.length && !(await anyDescends(o.git, o.pinCommit, shas)))
      problems.push(
        `${name} runs ${shas[0]!.slice(0, 12)}, not the commit carrying the pins (${o.pinCommit.slice(0, 12)}) or later`,
      );
  }
  if (problems.length)
    return {
      status: 'failed',
      detail: `${o.env.name} is not Synced and Healthy at the pinned revision`,
      problems,
    };
  return { status: 'passed', detail: `${apps.length} Applications of ${o.env.name} Synced and Healthy` };
}

async function anyDescends(git: Git, ancestor: string, revisions: string[]): Promise<boolean> {
  for (const r of revisions) if (await git.isAncestor(ancestor, r)) return true;
  return false;
}
