/** One benchmark figure: what it measures, its unit, and which way is better. */
export interface Figure {
  name: string;
  label: string;
  unit: 'ms' | '/s' | 'MB';
  /** true when a larger number is better (throughput). */
  higherIsBetter: boolean;
  /** The target issue #12 sets, when it sets one. */
  target?: number;
}

export type Measured = Record<string, number>;

export const FIGURES = {
  startFloor: {
    name: 'start.zx-floor',
    label: 'zx starting an empty script',
    unit: 'ms',
    higherIsBetter: false,
  },
  startHelp: {
    name: 'start.validate-help',
    label: 'zx scripts/validate.mjs --help',
    unit: 'ms',
    higherIsBetter: false,
    target: 300,
  },
  startNpx: {
    name: 'start.npx-validate-help',
    label: 'npx zx scripts/validate.mjs --help',
    unit: 'ms',
    higherIsBetter: false,
  },
  stream5: {
    name: 'stream.5mb',
    label: 'validate --files, 5 MB stream, with process start',
    unit: '/s',
    higherIsBetter: true,
    target: 10_000,
  },
  stream5Rss: { name: 'stream.5mb-rss', label: 'peak RSS, 5 MB stream', unit: 'MB', higherIsBetter: false },
  stream26: {
    name: 'stream.26mb',
    label: 'validate --files, 26 MB stream, with process start',
    unit: '/s',
    higherIsBetter: true,
  },
  stream26Rss: {
    name: 'stream.26mb-rss',
    label: 'peak RSS, 26 MB stream',
    unit: 'MB',
    higherIsBetter: false,
    target: 200,
  },
  parse: { name: 'parse', label: 'YAML parse, 10,000 resources', unit: '/s', higherIsBetter: true },
  schema: { name: 'schema', label: 'schema validation, 10,000 resources', unit: '/s', higherIsBetter: true },
  syntheticWalk: {
    name: 'synthetic.walk',
    label: 'synthetic repo walk + parse + schema (10k)',
    unit: 'ms',
    higherIsBetter: false,
  },
  syntheticRules: {
    name: 'synthetic.rules',
    label: 'synthetic repo, every rule included (10k)',
    unit: 'ms',
    higherIsBetter: false,
  },
  repoCold: {
    name: 'repo.cold',
    label: 'validate this repo, empty render cache',
    unit: 'ms',
    higherIsBetter: false,
    target: 3000,
  },
  repoWarm: {
    name: 'repo.warm',
    label: 'validate this repo, warm',
    unit: 'ms',
    higherIsBetter: false,
    target: 1000,
  },
  diffCold: {
    name: 'diff.cold',
    label: 'diff of this repo after a shared-base change, empty render cache',
    unit: 'ms',
    higherIsBetter: false,
    target: 10_000,
  },
  diffWarm: {
    name: 'diff.warm',
    label: 'diff of this repo after a shared-base change, warm',
    unit: 'ms',
    higherIsBetter: false,
  },
  drift: { name: 'drift', label: 'drift over a 5,000-object snapshot', unit: '/s', higherIsBetter: true },
} satisfies Record<string, Figure>;

const fmt = (v: number, unit: Figure['unit']) =>
  unit === '/s' ? `${Math.round(v).toLocaleString('en')}/s` : `${Math.round(v).toLocaleString('en')} ${unit}`;

/** `label: value (baseline X, ±N%) [target]`: a change of more than 20% the wrong way is marked. */
export function formatFigure(f: Figure, value: number, baseline: number | undefined): string {
  let line = `${f.label}: ${fmt(value, f.unit)}`;
  if (baseline !== undefined && Number.isFinite(baseline) && baseline > 0) {
    const change = ((value - baseline) / baseline) * 100;
    const worse = f.higherIsBetter ? change < -20 : change > 20;
    line += ` (baseline ${fmt(baseline, f.unit)}, ${change >= 0 ? '+' : ''}${change.toFixed(0)}%${worse ? ' — slower than the baseline' : ''})`;
  }
  if (f.target !== undefined) {
    const met = f.higherIsBetter ? value >= f.target : value <= f.target;
    line += ` [target ${f.higherIsBetter ? '≥' : '≤'} ${fmt(f.target, f.unit)}: ${met ? 'met' : 'not met'}]`;
  }
  return line;
}
