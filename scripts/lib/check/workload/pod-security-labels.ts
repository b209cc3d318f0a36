import type { PodSecurityLevel } from './pod-security.ts';

/** The namespace labels Pod Security Admission reads (pod-security-admission api/constants.go). */
export const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';
const MODES = ['enforce', 'audit', 'warn'] as const;
const LEVELS: readonly string[] = ['privileged', 'baseline', 'restricted'];
const VERSION = /^v1\.(0|[1-9][0-9]*)$/;

export interface EnforcePolicy {
  level: PodSecurityLevel;
  /** The policy minor the label names, or 'latest'. */
  version: number | 'latest';
}

export interface LabelProblem {
  label: string;
  message: string;
}

/**
 * The enforce policy of a namespace, as PSA's PolicyToEvaluate reads the labels: no enforce label is
 * the cluster default (privileged unless the admission configuration says otherwise), a level it
 * cannot parse is restricted, a version it cannot parse is latest. `problems` are the labels that make
 * the API server reject the Namespace itself (PSA validates all six on create).
 */
export function enforcePolicy(labels: Record<string, unknown> | undefined): {
  policy: EnforcePolicy;
  problems: LabelProblem[];
} {
  const problems: LabelProblem[] = [];
  const get = (key: string) => (labels && key in labels ? String(labels[key] ?? '') : undefined);
  for (const mode of MODES) {
    const level = get(PSA_LABEL_PREFIX + mode);
    if (level !== undefined && !LEVELS.includes(level))
      problems.push({ label: PSA_LABEL_PREFIX + mode, message: `must be one of ${LEVELS.join(', ')}` });
    const version = get(`${PSA_LABEL_PREFIX}${mode}-version`);
    if (version !== undefined && version !== 'latest' && !VERSION.test(version))
      problems.push({ label: `${PSA_LABEL_PREFIX}${mode}-version`, message: 'must be "latest" or "v1.x"' });
  }
  const level = get(`${PSA_LABEL_PREFIX}enforce`);
  const version = get(`${PSA_LABEL_PREFIX}enforce-version`);
  const m = version === undefined ? null : VERSION.exec(version);
  return {
    policy: {
      level:
        level === undefined
          ? 'privileged'
          : LEVELS.includes(level)
            ? (level as PodSecurityLevel)
            : 'restricted',
      version: m ? Number(m[1]) : 'latest',
    },
    problems,
  };
}
