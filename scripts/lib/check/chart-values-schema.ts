import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AnySchema, ErrorObject, ValidateFunction } from 'ajv';
import { newAjv } from './schema/ajv-on-demand.ts';
import yaml from 'js-yaml';
import { sourcesOf } from '../repo/application.ts';
import type { ChartRef } from '../repo/helm-chart-cache.ts';
import { helmSpecOf, valuesYaml } from '../repo/helm-template-args.ts';
import type { SourceIndex } from '../repo/source-index.ts';
import type { EnvironmentRender } from '../repo/walk.ts';
import { isMap, lineInFile, mergeValues, valueFile } from './chart-values.ts';
import type { Finding } from './finding.ts';

export interface ChartLookup {
  /** The chart's folder when a run with helm pulled it into the cache. */
  cachedChart(ref: ChartRef): string | undefined;
}

type Values = Record<string, unknown>;

/**
 * Chart values checked as far as the chart allows, and only where the chart is in the cache (a
 * run with helm pulled it; nothing is downloaded here): the merged values against the chart's
 * values.schema.json, as `helm template` checks them, pointing at the value file line that set the
 * failing value; and every top-level key of this repository's value files that neither the chart's
 * values.yaml nor its schema knows (a misspelt key Helm silently ignores) as a warning.
 */
export function checkChartValues(
  render: EnvironmentRender,
  charts: ChartLookup,
  index: SourceIndex,
): Finding[] {
  const findings: Finding[] = [];
  for (const chart of render.charts) {
    const dir = charts.cachedChart({ repoURL: chart.repoURL, chart: chart.chart, version: chart.version });
    if (!dir) continue;
    const app = render.applications.find((a) => a.name === chart.app);
    const source = app && sourcesOf(app.resource.object).find((s) => s.source.chart === chart.chart)?.source;
    const at = { file: app?.resource.origin.file ?? '', line: app?.resource.origin.line ?? 1 };
    const files = chart.valueFiles
      .filter((v): v is { ref: string; file: string } => v.file !== undefined)
      .map((v) => ({ file: v.file, values: valueFile(index, v.file) }));
    const { defaults, schema, known, validate } = chartFacts(charts, dir);
    const base = {
      env: render.env.name,
      hint: `compare with the chart's values.yaml: helm show values ${chart.chart} --repo ${chart.repoURL} --version ${chart.version}`,
    };
    for (const { file, values } of files)
      for (const key of Object.keys(values ?? {}))
        if (!known.has(key))
          findings.push({
            ...base,
            rule: 'helm/unknown-value',
            severity: 'warning',
            message: `\`${key}\` is not a value chart ${chart.chart} ${chart.version} knows (not in its values.yaml${schema ? ' or values.schema.json' : ''}); Helm ignores it`,
            file,
            line: lineInFile(index, file, [key]),
          });
    if (validate === undefined) continue;
    const inline = source ? (yaml.load(valuesYaml(helmSpecOf(source))) as Values | undefined) : undefined;
    const layers = [...files.map((f) => ({ ...f })), { file: at.file, values: inline }];
    const merged = layers.reduce<Values>(
      (acc, l) => (isMap(l.values) ? mergeValues(acc, l.values) : acc),
      defaults,
    );
    if (typeof validate === 'string') {
      findings.push({
        ...base,
        rule: 'helm/values-schema',
        severity: 'info',
        message: `values.schema.json of chart ${chart.chart} ${chart.version} cannot be compiled here (${validate}): values not checked against it`,
        ...at,
      });
      continue;
    }
    if (validate(merged)) continue;
    for (const e of (validate.errors ?? []) as ErrorObject[]) {
      const p = e.instancePath.split('/').slice(1).map(unescapePointer);
      const where = [...layers].reverse().find((l) => l.file !== at.file && has(l.values, p));
      findings.push({
        ...base,
        rule: 'helm/values-schema',
        severity: 'error',
        message: `chart ${chart.chart} ${chart.version} rejects its values: ${p.length ? `\`${p.join('.')}\` ` : ''}${e.message ?? 'is invalid'}${chartParamsText(e)}`,
        ...(where ? { file: where.file, line: lineInFile(index, where.file, p) } : at),
      });
    }
  }
  return findings;
}

/** What a cached chart tells about its values: read and compiled once per chart, not per environment. */
interface ChartFacts {
  defaults: Values;
  schema: Record<string, unknown> | undefined;
  /** Top-level keys the chart knows. */
  known: Set<string>;
  /** The compiled schema, or why it does not compile; undefined without a schema. */
  validate: ValidateFunction | string | undefined;
}

// Keyed by the run's chart lookup: a cached chart folder never changes while its run lasts.
const factsByRun = new WeakMap<ChartLookup, Map<string, ChartFacts>>();

function chartFacts(charts: ChartLookup, dir: string): ChartFacts {
  let byDir = factsByRun.get(charts);
  if (!byDir) factsByRun.set(charts, (byDir = new Map()));
  let facts = byDir.get(dir);
  if (!facts) {
    const defaults = (loadYaml(path.join(dir, 'values.yaml')) ?? {}) as Values;
    const schema = loadJson(path.join(dir, 'values.schema.json')) as Record<string, unknown> | undefined;
    const known = new Set([
      'global',
      ...Object.keys(defaults),
      ...Object.keys((schema?.properties ?? {}) as object),
      ...subcharts(dir),
    ]);
    facts = { defaults, schema, known, validate: schema ? compile(schema) : undefined };
    byDir.set(dir, facts);
  }
  return facts;
}

function compile(schema: Record<string, unknown>) {
  const draft = String(schema.$schema ?? '');
  const opts = { strict: false, allErrors: true, validateFormats: false } as const;
  const ajv = newAjv(
    opts,
    draft.includes('2020-12') ? '2020-12' : draft.includes('2019-09') ? '2019-09' : 'draft-07',
  );
  try {
    return ajv.compile(schema as AnySchema);
  } catch (err) {
    return (err as Error).message.split('\n')[0]!;
  }
}

function chartParamsText(e: ErrorObject): string {
  const p = e.params as { additionalProperty?: string; allowedValues?: unknown[] };
  if (p.additionalProperty) return ` (\`${p.additionalProperty}\`)`;
  if (p.allowedValues) return ` (${p.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
  return '';
}

/** Subchart names and aliases: their values live under those keys. */
function subcharts(dir: string): string[] {
  const out: string[] = [];
  const chart = loadYaml(path.join(dir, 'Chart.yaml')) as {
    dependencies?: { name?: string; alias?: string }[];
  };
  for (const d of chart?.dependencies ?? []) for (const n of [d.name, d.alias]) if (n) out.push(n);
  const sub = path.join(dir, 'charts');
  if (existsSync(sub))
    for (const e of readdirSync(sub, { withFileTypes: true }))
      if (e.isDirectory()) out.push(e.name);
      else out.push(e.name.replace(/-\d[\w.+-]*\.tgz$/, ''));
  return out;
}

function has(values: unknown, p: readonly string[]): boolean {
  if (p.length === 0) return false;
  let node = values;
  for (const seg of p) {
    if (!node || typeof node !== 'object') return false;
    if (!(seg in (node as object))) return false;
    node = (node as Record<string, unknown>)[seg];
  }
  return true;
}

const unescapePointer = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

function loadYaml(file: string): unknown {
  try {
    return yaml.load(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function loadJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
