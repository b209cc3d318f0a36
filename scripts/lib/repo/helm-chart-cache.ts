import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { runHelm, type HelmBinary } from './helm-binary.ts';

export interface ChartRef {
  repoURL: string;
  chart: string;
  version: string;
}

export type PulledChart = { ok: true; dir: string } | { ok: false; message: string };

/**
 * Charts pulled once into a folder keyed by repository, chart and version (a published chart
 * version never changes), then reused by every render and every run. Pulls go through a temp
 * folder and a rename, so a run that dies mid-pull leaves no half chart behind.
 */
export class HelmChartCache {
  private readonly pulls = new Map<string, Promise<PulledChart>>();

  constructor(
    private readonly dir: string,
    /** Pulls need helm; reading what earlier pulls left does not. */
    private readonly helm: HelmBinary | undefined,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** The chart's folder when an earlier pull left it in the cache; never pulls. */
  cached(ref: ChartRef): string | undefined {
    const dir = this.chartDir(ref);
    return existsSync(path.join(dir, 'Chart.yaml')) ? dir : undefined;
  }

  pull(ref: ChartRef): Promise<PulledChart> {
    const key = this.chartDir(ref);
    let p = this.pulls.get(key);
    if (!p) {
      p = this.pullUncached(ref);
      this.pulls.set(key, p);
    }
    return p;
  }

  private chartDir(ref: ChartRef): string {
    const hash = createHash('sha256').update(`${ref.repoURL}\0${ref.chart}\0${ref.version}`).digest('hex');
    const safe = `${ref.chart}-${ref.version}`.replace(/[^\w.-]/g, '_');
    return path.join(this.dir, `${safe}-${hash.slice(0, 12)}`, path.basename(ref.chart));
  }

  private async pullUncached(ref: ChartRef): Promise<PulledChart> {
    const found = this.cached(ref);
    if (found) return { ok: true, dir: found };
    if (!this.helm)
      return {
        ok: false,
        message: `chart ${ref.chart} ${ref.version} is not cached and helm is not on PATH`,
      };
    mkdirSync(this.dir, { recursive: true });
    const tmp = mkdtempSync(path.join(this.dir, '.pull-'));
    try {
      const out = await runHelm(this.helm, pullArgs(ref, tmp), this.env);
      if (!out.ok)
        return {
          ok: false,
          message: `cannot pull chart ${ref.chart} ${ref.version} from ${ref.repoURL}: ${lastLine(out.stderr)}`,
        };
      const pulled = path.join(tmp, path.basename(ref.chart));
      if (!existsSync(path.join(pulled, 'Chart.yaml')))
        return { ok: false, message: `helm pull of ${ref.chart} ${ref.version} left no Chart.yaml` };
      const target = this.chartDir(ref);
      mkdirSync(path.dirname(target), { recursive: true });
      try {
        renameSync(pulled, target);
      } catch {
        // another run pulled the same chart meanwhile: theirs is as good as ours
        if (!this.cached(ref)) throw new Error(`cannot store chart ${ref.chart} in ${this.dir}`);
      }
      return { ok: true, dir: target };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}

/** `helm pull` as Argo CD runs it (util/helm/cmd.go Fetch / PullOCI), untarred into `dest`. */
export function pullArgs(ref: ChartRef, dest: string): string[] {
  const oci = ref.repoURL.startsWith('oci://') || !/^[a-z]+:\/\//i.test(ref.repoURL);
  if (oci) {
    const base = ref.repoURL.replace(/^oci:\/\//, '').replace(/\/+$/, '');
    return ['pull', `oci://${base}/${ref.chart}`, '--version', ref.version, '--destination', dest, '--untar'];
  }
  return [
    'pull',
    '--destination',
    dest,
    '--version',
    ref.version,
    '--repo',
    ref.repoURL,
    ref.chart,
    '--untar',
  ];
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split('\n')
      .filter((l) => l.trim())
      .at(-1)
      ?.replace(/^Error: /, '') ?? 'no message'
  );
}
