import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../cli/write-file-atomic.ts';
import path from 'node:path';
import type { CommandIO } from '../cli/io.ts';
import { oneOf, parseFlags } from '../cli/flags.ts';
import { UsageError } from '../errors.ts';
import { countBySeverity, type Finding } from '../check/finding.ts';
import { formatReport } from '../check/reporters/index.ts';
import { REPORT_FORMATS, type ReportFormat } from '../check/reporters/report.ts';
import type { Rule } from '../check/rule.ts';
import { ALL_RULES } from '../check/rules/index.ts';
import { runRules } from '../check/run-rules.ts';
import { checkSchemas } from '../check/schema-check.ts';
import { createSchemaRegistry, SCHEMA_CACHE_DIR, type SchemaRegistry } from '../check/schema/registry.ts';
import { sortFindings } from '../check/sort-findings.ts';
import { applySuppressions } from '../check/suppression.ts';
import { chartAccess } from '../check/chart-values.ts';
import { validateEnvironments } from '../check/validate-environments.ts';
import { KustomizeRenderer } from '../repo/kustomize-renderer.ts';
import { appsWithChartsNotRendered, chartsNotRenderedNotice } from '../repo/helm-not-rendered.ts';
import { loadLooseFiles } from '../repo/loose-files.ts';
import { findRepoRoot, toolCacheDir } from '../repo/repo-root.ts';
import { openRepository } from '../repo/repository.ts';
import { loadSettings, environmentNamed } from '../repo/settings.ts';
import { SourceIndex } from '../repo/source-index.ts';

export const VALIDATE_USAGE = `Usage: zx scripts/validate.mjs [--env NAME]... [--format text|json|github|sarif] [--output FILE]
       zx scripts/validate.mjs --files PATH... (files, directories, or - for stdin)
       zx scripts/validate.mjs --list-rules

Walks every environment's Argo CD app tree as Argo CD would, renders it with kustomize,
and checks every resource against the API schemas and the repository's rules.

  --env NAME      check only this environment (repeatable; default: all, in promotion order)
  --files PATH    check loose manifests as one set, without the app-of-apps walk
  --format F      text (default), json, github (annotations + text), sarif
  --output FILE   write the report to FILE instead of stdout
  --list-rules    print every rule with id, severity and title
  --no-cache      render without the on-disk render cache

Exit: 0 clean, 1 findings at error severity, 2 could not run.`;

export interface ValidateOptions {
  cwd: string;
  envs?: string[];
  files?: string[];
  readStdin?: () => string;
  cacheDir?: string | null;
  registry?: SchemaRegistry;
  rules?: readonly Rule[];
}

export interface ValidateResult {
  findings: Finding[];
  environments: string[];
  resources: number;
  /** Applications whose Helm charts were not looked inside (helm not on PATH). */
  chartsNotRendered: string[];
}

/** Library entry: validate environments (or loose files) and return findings; prints nothing. */
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const rules = options.rules ?? ALL_RULES;
  if (options.files && options.files.length > 0) {
    let root = options.cwd;
    let allow: string[] = [];
    try {
      root = findRepoRoot(options.cwd);
      allow = (await loadSettings(root)).kindsWithoutSchema;
    } catch {
      // loose files outside a repository: no settings, no allow list
    }
    const index = new SourceIndex(options.cwd);
    let renderer: KustomizeRenderer | undefined;
    let resources;
    try {
      resources = await loadLooseFiles(
        options.files,
        index,
        options.readStdin ?? (() => readFileSync(0, 'utf8')),
        () => (renderer ??= new KustomizeRenderer({ cacheDir: toolCacheDir('gitops-render') })),
      );
    } finally {
      renderer?.dispose();
    }
    const registry = options.registry ?? createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR });
    const findings = await checkSchemas(resources, registry, index, allow);
    const settings = {
      root,
      repoURL: '',
      environments: [],
      chartRepositories: [],
      kindsWithoutSchema: allow,
    };
    findings.push(
      ...runRules(rules, {
        env: '',
        resources,
        settings,
        lineOf: (r, p) => index.lineOf(r.origin, p),
        ...chartAccess(index, []),
      }),
    );
    return {
      findings: sortFindings(applySuppressions(findings, resources)),
      environments: [],
      resources: resources.length,
      chartsNotRendered: [],
    };
  }
  const repo = await openRepository(
    options.cwd,
    options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir },
  );
  try {
    const envs = options.envs?.length ? options.envs : repo.settings.environments.map((e) => e.name);
    for (const e of envs) environmentNamed(repo.settings, e);
    const registry = options.registry ?? createSchemaRegistry({ cacheDir: SCHEMA_CACHE_DIR });
    const result = await validateEnvironments(repo, envs, registry, rules);
    return {
      findings: result.findings,
      environments: envs,
      resources: result.resources,
      chartsNotRendered: appsWithChartsNotRendered(result.renders),
    };
  } finally {
    repo.dispose();
  }
}

export function listRules(rules: readonly Rule[]): string {
  const w = Math.max(4, ...rules.map((r) => r.id.length));
  const lines = rules.map(
    (r) => `${r.id.padEnd(w)}  ${r.severity.padEnd(7)}  ${r.istioCode ? `${r.istioCode} ` : ''}${r.title}`,
  );
  return [`${'rule'.padEnd(w)}  severity  title`, ...lines].join('\n') + '\n';
}

/** CLI: parse flags, run, print, return the exit code. */
export async function main(args: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseFlags(
    args,
    {
      env: { type: 'string', multiple: true },
      files: { type: 'string', multiple: true },
      format: { type: 'string' },
      output: { type: 'string' },
      'list-rules': { type: 'boolean' },
      'no-cache': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    VALIDATE_USAGE,
  );
  if (values.help) {
    io.stdout(`${VALIDATE_USAGE}\n`);
    return 0;
  }
  if (values['list-rules']) {
    io.stdout(listRules(ALL_RULES));
    return 0;
  }
  const format: ReportFormat = oneOf('format', values.format, REPORT_FORMATS, 'text');
  // `--files a b c`: the values after the first file arrive as positionals.
  const files = values.files ? [...values.files, ...positionals] : [];
  if (!values.files && positionals.length > 0)
    throw new UsageError(
      `unexpected argument "${positionals[0]}"`,
      'use --env NAME to pick environments, --files PATH for loose manifests',
    );
  if (values.env && values.files) throw new UsageError('--env and --files cannot be combined');
  const result = await validate({
    cwd: io.cwd,
    envs: values.env ?? [],
    files,
    ...(values['no-cache'] ? { cacheDir: null } : {}),
  });
  const report = formatReport(format, { ...result, rules: ALL_RULES });
  if (values.output) {
    writeFileAtomic(path.resolve(io.cwd, values.output), report);
    const c = countBySeverity(result.findings);
    io.stdout(`${c.error} errors, ${c.warning} warnings — report written to ${values.output}\n`);
  } else {
    io.stdout(report);
  }
  const notice = chartsNotRenderedNotice(result.chartsNotRendered, 'their objects were not validated');
  if (notice) io.stderr(notice);
  return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
