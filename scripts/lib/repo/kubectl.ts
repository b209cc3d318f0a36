import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { MissingToolError } from '../errors.ts';

export interface KubectlBinary {
  path: string;
  /** Changes when kubectl is replaced, so cached renders of another kustomize are not reused. */
  fingerprint: string;
}

const cached = new Map<string, KubectlBinary>();

/** Finds kubectl on PATH (or $KUBECTL) without running it. */
export function findKubectl(env: NodeJS.ProcessEnv = process.env): KubectlBinary {
  const key = env.KUBECTL ? `KUBECTL=${env.KUBECTL}` : `PATH=${env.PATH ?? ''}`;
  const hit = cached.get(key);
  if (hit) return hit;
  const candidates = env.KUBECTL
    ? [env.KUBECTL]
    : (env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, 'kubectl'));
  for (const candidate of candidates) {
    try {
      const st = statSync(candidate);
      if (st.isFile() && st.mode & 0o111) {
        const found = { path: candidate, fingerprint: `${candidate}:${st.size}:${st.mtimeMs}` };
        cached.set(key, found);
        return found;
      }
    } catch {
      // not in this PATH entry
    }
  }
  throw new MissingToolError(
    'kubectl not found on PATH: rendering uses `kubectl kustomize`, as Argo CD renders with kustomize',
    'install kubectl 1.27 or later (https://kubernetes.io/docs/tasks/tools/) or set KUBECTL to its path',
  );
}

export interface KustomizeOutput {
  ok: boolean;
  stdout: string;
  stderr: string;
}

export function runKustomize(kubectl: KubectlBinary, dir: string): Promise<KustomizeOutput> {
  return new Promise((resolve) => {
    execFile(
      kubectl.path,
      ['kustomize', dir],
      { maxBuffer: 256 * 1024 * 1024, env: { ...process.env, KUBECTL_KUSTOMIZE_NO_COLOR: '1' } },
      (error, stdout, stderr) =>
        resolve({ ok: !error, stdout, stderr: cleanKustomizeError(stderr || String(error ?? '')) }),
    );
  });
}

/** kubectl wraps kustomize's message in klog noise: keep only the message itself. */
export function cleanKustomizeError(stderr: string): string {
  const m = /err="(.*)"\s*$/s.exec(stderr.trim());
  const msg = m ? m[1]!.replace(/\\"/g, '"').replace(/\\'/g, "'") : stderr.trim();
  return msg.replace(/^error: /, '');
}
