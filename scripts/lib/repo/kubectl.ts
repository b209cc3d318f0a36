import { execFile } from 'node:child_process';
import { MissingToolError } from '../errors.ts';
import { firstExecutable, onPath, type Executable } from './executable.ts';
import { MINIMUM_KUBECTL } from './kustomize-version.ts';

export type KubectlBinary = Executable;

const cached = new Map<string, KubectlBinary>();

/** Finds kubectl on PATH (or $KUBECTL) without running it. */
export function findKubectl(env: NodeJS.ProcessEnv = process.env): KubectlBinary {
  const key = env.KUBECTL ? `KUBECTL=${env.KUBECTL}` : `PATH=${env.PATH ?? ''}`;
  const hit = cached.get(key);
  if (hit) return hit;
  const found = firstExecutable(env.KUBECTL ? [env.KUBECTL] : onPath('kubectl', env));
  if (found) {
    cached.set(key, found);
    return found;
  }
  throw new MissingToolError(
    'kubectl not found on PATH: rendering uses `kubectl kustomize`, as Argo CD renders with kustomize',
    `install kubectl ${MINIMUM_KUBECTL} or later (https://kubernetes.io/docs/tasks/tools/) or set KUBECTL to its path`,
  );
}

export interface KustomizeOutput {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/**
 * One build. Builds run in parallel up to the core count (concurrency.ts), so each kubectl gets one
 * scheduler thread (GOMAXPROCS=1, unless set): Go's own parallel GC and spinning threads only
 * contend with the other builds, measured at a fifth more CPU and wall time for the same renders.
 */
export function runKustomize(kubectl: KubectlBinary, dir: string): Promise<KustomizeOutput> {
  return new Promise((resolve) => {
    execFile(
      kubectl.path,
      ['kustomize', dir],
      {
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, GOMAXPROCS: process.env.GOMAXPROCS ?? '1', KUBECTL_KUSTOMIZE_NO_COLOR: '1' },
      },
      (error, stdout, stderr) =>
        resolve({ ok: !error, stdout, stderr: cleanKustomizeError(stderr || String(error ?? '')) }),
    );
  });
}

/**
 * kubectl wraps kustomize's message in klog noise: keep only the message itself. kustomize panics
 * on some bad input (an `openapi` file that is not a schema): the first line says what, the Go
 * stack that follows is for kustomize's developers.
 */
export function cleanKustomizeError(stderr: string): string {
  const panic = /^panic: (.*)$/m.exec(stderr);
  if (panic) return `kustomize stopped: ${panic[1]!.trim()}`;
  const m = /err="(.*)"\s*$/s.exec(stderr.trim());
  const msg = m ? m[1]!.replace(/\\"/g, '"').replace(/\\'/g, "'") : stderr.trim();
  return msg.replace(/^error: /, '');
}
