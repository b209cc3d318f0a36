import type { Severity } from './finding.ts';

/** A check the pipeline itself makes (parsing, the walk, rendering, schemas), beside the rules. */
export interface PipelineCheck {
  id: string;
  severity: Severity;
  title: string;
  /** Findings of this check are a cause: reference findings in the same environment may follow from it. */
  rootCause?: boolean;
}

/** Listed so `--list-rules`, SARIF's rule table and the severity config know every id a finding can carry. */
export const PIPELINE_CHECKS: readonly PipelineCheck[] = [
  {
    id: 'yaml/syntax',
    severity: 'error',
    title: 'Every file parses as YAML the way kubectl reads it',
    rootCause: true,
  },
  { id: 'render/kustomize', severity: 'error', title: 'Every kustomization builds', rootCause: true },
  {
    id: 'render/missing-file',
    severity: 'error',
    title: 'Every path a kustomization lists exists',
    rootCause: true,
  },
  {
    id: 'walk/environment-folder',
    severity: 'error',
    title: 'Every declared environment has its clusters/<env>/ folder',
    rootCause: true,
  },
  {
    id: 'walk/missing-source-path',
    severity: 'error',
    title: 'Application source paths exist in this repository',
    rootCause: true,
  },
  {
    id: 'walk/unknown-repo',
    severity: 'error',
    title: 'Application sources are this repository or a declared chart repository',
    rootCause: true,
  },
  { id: 'walk/helm-values', severity: 'error', title: 'Helm value files exist and parse', rootCause: true },
  { id: 'walk/cycle', severity: 'error', title: 'No Application renders itself', rootCause: true },
  {
    id: 'walk/duplicate-application',
    severity: 'error',
    title: 'Application names are unique in their namespace',
  },
  { id: 'walk/missing-project', severity: 'error', title: "Applications' projects exist" },
  {
    id: 'schema/object',
    severity: 'error',
    title: 'Every document is a Kubernetes object (apiVersion, kind, a name)',
  },
  {
    id: 'schema/unknown-kind',
    severity: 'error',
    title: 'Every apiVersion and kind has a schema (or is allowed without one)',
  },
  {
    id: 'schema/unknown-field',
    severity: 'error',
    title: 'No field the API does not know (kubectl --validate=strict)',
  },
  { id: 'schema/type', severity: 'error', title: 'Field values have the type the API expects' },
  { id: 'schema/required', severity: 'error', title: 'Required fields are present' },
  { id: 'schema/enum', severity: 'error', title: 'Enumerated fields hold an allowed value' },
  { id: 'schema/format', severity: 'error', title: 'Formatted fields (quantities, dates, …) parse' },
  { id: 'schema/other', severity: 'error', title: 'Values match the rest of the API schema' },
];

export const ROOT_CAUSES: ReadonlySet<string> = new Set(
  PIPELINE_CHECKS.filter((c) => c.rootCause).map((c) => c.id),
);
