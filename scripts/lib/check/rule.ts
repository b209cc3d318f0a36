import type { Finding, Severity } from './finding.ts';
import type { Resource } from '../repo/resource.ts';
import type { RepoSettings } from '../repo/settings.ts';

/** What a rule sees: every resource of one environment at once, so it can cross-reference. */
export interface RuleContext {
  env: string;
  resources: readonly Resource[];
  settings: RepoSettings;
  /** Find the line of a field inside a resource's source document (falls back to the document start). */
  lineOf(resource: Resource, path: readonly (string | number)[]): number;
}

export interface Rule {
  /** Stable id `family/name`; never renamed once released (SARIF and suppressions key on it). */
  id: string;
  severity: Severity;
  title: string;
  why: string;
  hint: string;
  istioCode?: string;
  check(ctx: RuleContext): Finding[];
}
