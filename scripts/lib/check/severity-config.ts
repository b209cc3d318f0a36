import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, parseDocument, LineCounter, type Node } from 'yaml';
import { InputError } from '../errors.ts';
import type { Finding, Severity } from './finding.ts';

/** The repository's own rule levels, beside clusters/settings.yaml. */
export const SEVERITY_CONFIG_FILE = 'clusters/validate.yaml';

export type Level = Severity | 'off';
const LEVELS: readonly Level[] = ['error', 'warning', 'info', 'off'];

/**
 * Rule levels as a team runs them: `severity` for every environment, `environments.<env>.severity`
 * on top for one environment. A level replaces the rule's own for each of its findings; `off` drops
 * them. Suppressions in manifests still apply per resource.
 */
export interface SeverityConfig {
  /** The file the levels came from, repo-relative, for messages. */
  file: string;
  levelsFor(env: string): ReadonlyMap<string, Level>;
}

export const NO_SEVERITY_CONFIG: SeverityConfig = { file: '', levelsFor: () => new Map() };

/**
 * Reads the config, naming file and line for anything it cannot use: an unknown rule id (a typo
 * would silently change nothing), an unknown level or an environment the settings do not declare.
 */
export function loadSeverityConfig(
  file: string,
  shownAs: string,
  ruleIds: ReadonlySet<string>,
  environments: readonly string[] | undefined,
): SeverityConfig {
  if (!existsSync(file)) return NO_SEVERITY_CONFIG;
  const text = readFileSync(file, 'utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const lineOf = (node: Node | null | undefined) => (node?.range ? lines.linePos(node.range[0]).line : 1);
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    throw new InputError(`invalid YAML: ${e.message.split('\n')[0]}`, shownAs, e.linePos?.[0]?.line);
  }
  const fail = (message: string, node: Node | null | undefined, hint?: string): never => {
    throw new InputError(message, shownAs, lineOf(node), hint);
  };
  const readLevels = (node: unknown, where: string): Map<string, Level> => {
    const out = new Map<string, Level>();
    if (node === undefined || node === null) return out;
    if (!isMap(node)) return fail(`${where} must map rule ids to a level`, node as Node);
    for (const pair of node.items) {
      const key = pair.key as Node;
      const id = isScalar(key) ? String(key.value) : '';
      if (!ruleIds.has(id))
        fail(`unknown rule "${id}" in ${where}`, key, 'use an id from `validate --list-rules`');
      const value = pair.value as Node;
      const level = isScalar(value) ? String(value.value) : '';
      if (!(LEVELS as readonly string[]).includes(level))
        fail(`level of ${id} must be one of ${LEVELS.join(', ')} (got "${level}")`, value);
      out.set(id, level as Level);
    }
    return out;
  };
  const root = doc.contents;
  if (root !== null && !isMap(root)) fail('expected a mapping with `severity` and `environments`', root);
  const everywhere = readLevels(isMap(root) ? root.get('severity', true) : undefined, 'severity');
  const perEnv = new Map<string, Map<string, Level>>();
  const envs = isMap(root) ? root.get('environments', true) : undefined;
  if (envs !== undefined && envs !== null) {
    if (!isMap(envs)) return fail('`environments` must map environment names to settings', envs as Node);
    for (const pair of envs.items) {
      const key = pair.key as Node;
      const env = isScalar(key) ? String(key.value) : '';
      if (environments && !environments.includes(env))
        fail(
          `unknown environment "${env}"`,
          key,
          `environments are declared in clusters/settings.yaml: ${environments.join(', ')}`,
        );
      const settings = pair.value;
      const levels = isMap(settings) ? settings.get('severity', true) : undefined;
      perEnv.set(env, readLevels(levels, `environments.${env}.severity`));
    }
  }
  return {
    file: shownAs,
    levelsFor: (env) => {
      const merged = new Map(everywhere);
      for (const e of env.split(',')) for (const [id, level] of perEnv.get(e) ?? []) merged.set(id, level);
      return merged;
    },
  };
}

/** The config of the repository at `root`, or of `--config FILE`. */
export function severityConfigFor(
  root: string,
  explicit: string | undefined,
  cwd: string,
  ruleIds: ReadonlySet<string>,
  environments: readonly string[] | undefined,
): SeverityConfig {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file))
      throw new InputError('no such file', explicit, undefined, 'check the path given to --config');
    return loadSeverityConfig(file, explicit, ruleIds, environments);
  }
  return loadSeverityConfig(
    path.join(root, SEVERITY_CONFIG_FILE),
    SEVERITY_CONFIG_FILE,
    ruleIds,
    environments,
  );
}

/** One environment's findings at the levels the config gives their rules. */
export function applySeverity(findings: Finding[], levels: ReadonlyMap<string, Level>): Finding[] {
  if (levels.size === 0) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const level = levels.get(f.rule);
    if (level === 'off') continue;
    out.push(level ? { ...f, severity: level } : f);
  }
  return out;
}
