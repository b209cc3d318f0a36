import type { CommandIO } from '../cli/io.ts';
import { oneOf, parseFlags } from '../cli/flags.ts';
import { UsageError } from '../errors.ts';
import type { Severity } from '../check/finding.ts';
import { REPORT_FORMATS, type ReportFormat } from '../check/reporters/report.ts';
import type { Rule } from '../check/rule.ts';
import type { ValidateOptions, ValidateResult } from '../check/validate.ts';
import { outputFlag } from '../cli/output-path.ts';

export type { ValidateOptions, ValidateResult };

export const VALIDATE_USAGE = `Usage: zx scripts/validate.mjs [--env NAME]... [--format text|json|github|sarif] [--output FILE]
       zx scripts/validate.mjs --files PATH... (files, directories, or - for stdin)
       zx scripts/validate.mjs --list-rules

Walks every environment's Argo CD app tree as Argo CD would, renders it with kustomize,
and checks every resource against the API schemas and the repository's rules.

  --env NAME      check only this environment (repeatable; default: all, in promotion order)
  --files PATH    check loose manifests without the app-of-apps walk: files, folders
                  (every kustomization in them rendered), or - for stdin
  --kubernetes-version V
                  with --files: the Kubernetes release to check against (default: the newest
                  the schemas describe); environments name theirs in clusters/settings.yaml
  --format F      text (default), json, github (annotations + text), sarif
  --output FILE   write the report to FILE instead of stdout
  --fail-on L     exit 1 on findings of this level or worse: error (default) or warning
  --config FILE   rule levels from FILE instead of clusters/validate.yaml
  --list-rules    print every check with id, severity and title (--format json for JSON)
  --no-cache      render without the on-disk render cache (GITOPS_RENDER_CACHE=DIR moves it)
  --help

Exit: 0 clean, 1 findings at the --fail-on level, 2 could not run.`;

const FAIL_ON: readonly Severity[] = ['error', 'warning'];

/**
 * Library entry: validate environments (or loose files) and return findings; prints nothing.
 * The pipeline loads on first use, so `--help` and a bad flag answer without it.
 */
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  return (await import('../check/validate.ts')).validate(options);
}

export function listRules(rules: readonly Pick<Rule, 'id' | 'severity' | 'title' | 'istioCode'>[]): string {
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
      'fail-on': { type: 'string' },
      'kubernetes-version': { type: 'string' },
      config: { type: 'string' },
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
  const format: ReportFormat = oneOf('format', values.format, REPORT_FORMATS, 'text');
  const failOn = oneOf('fail-on', values['fail-on'], FAIL_ON, 'error');
  if (values['list-rules']) {
    const { ALL_RULES } = await import('../check/rules/index.ts');
    const { PIPELINE_CHECKS } = await import('../check/pipeline-checks.ts');
    const all = [...PIPELINE_CHECKS, ...ALL_RULES];
    if (format === 'json')
      io.stdout(
        `${JSON.stringify(
          all.map((r) => ({
            id: r.id,
            severity: r.severity,
            title: r.title,
            ...('istioCode' in r && r.istioCode ? { istioCode: r.istioCode } : {}),
          })),
          null,
          2,
        )}\n`,
      );
    else io.stdout(listRules(ALL_RULES));
    return 0;
  }
  // `--files a b c`: the values after the first file arrive as positionals.
  const files = values.files ? [...values.files, ...positionals] : [];
  if (!values.files && positionals.length > 0)
    throw new UsageError(
      `unexpected argument "${positionals[0]}"`,
      'use --env NAME to pick environments, --files PATH for loose manifests',
    );
  if (values.env && values.files) throw new UsageError('--env and --files cannot be combined');
  const kubernetesVersion = values['kubernetes-version'];
  if (kubernetesVersion !== undefined) {
    if (!values.files)
      throw new UsageError(
        '--kubernetes-version applies to --files only',
        'environments name their version as kubernetesVersion in clusters/settings.yaml',
      );
    const { kubernetesVersionProblem } = await import('../repo/kubernetes-version.ts');
    const problem = kubernetesVersionProblem(kubernetesVersion);
    if (problem) throw new UsageError(`--kubernetes-version ${problem}`);
  }
  const output = outputFlag(values.output, io.cwd);
  const result = await validate({
    cwd: io.cwd,
    envs: values.env ?? [],
    files,
    ...(io.readStdin ? { readStdin: io.readStdin } : {}),
    ...(values.config ? { config: values.config } : {}),
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    ...(values['no-cache']
      ? { cacheDir: null }
      : io.env.GITOPS_RENDER_CACHE
        ? { cacheDir: io.env.GITOPS_RENDER_CACHE }
        : {}),
  });
  const [{ formatReport }, { ALL_RULES }, { PIPELINE_CHECKS }, { countBySeverity }, { writeFileAtomic }] =
    await Promise.all([
      import('../check/reporters/index.ts'),
      import('../check/rules/index.ts'),
      import('../check/pipeline-checks.ts'),
      import('../check/finding.ts'),
      import('../cli/write-file-atomic.ts'),
    ]);
  const report = formatReport(format, { ...result, rules: [...PIPELINE_CHECKS, ...ALL_RULES] });
  if (output) {
    writeFileAtomic(output, report);
    const c = countBySeverity(result.findings);
    io.stderr(`${c.error} errors, ${c.warning} warnings — report written to ${values.output}\n`);
  } else {
    io.stdout(report);
  }
  const { chartsNotRenderedNotice } = await import('../repo/helm-not-rendered.ts');
  const notice = chartsNotRenderedNotice(result.chartsNotRendered, 'their objects were not validated');
  if (notice) io.stderr(notice);
  const failing = failOn === 'warning' ? ['error', 'warning'] : ['error'];
  return result.findings.some((f) => failing.includes(f.severity)) ? 1 : 0;
}
