import type { Finding, Severity } from './finding.ts';
import type { Resource } from '../repo/resource.ts';
import type { RepoSettings } from '../repo/settings.ts';
import type { HelmChartSource } from '../repo/walk.ts';

/** What a rule sees: every resource of one environment at once, so it can cross-reference. */
export interface RuleContext {
  env: string;
  /** The Kubernetes minor the resources are checked against (`1.N`): the environment's, or the flag's for loose files. */
  kubernetesVersion: string;
  resources: readonly Resource[];
  settings: RepoSettings;
  /** Find the line of a field inside a resource's source document (falls back to the document start). */
  lineOf(resource: Resource, path: readonly (string | number)[]): number;
  /**
   * Where a field was set: its line in the source document, or in the patch or kustomization that
   * set it when one did. Optional so small harnesses can leave it out (then `lineOf` is used).
   */
  locate?(resource: Resource, path: readonly (string | number)[]): { file: string; line: number };
  /**
   * The resources are loose files (`validate --files`), not a whole environment: what they refer to
   * may live elsewhere in the cluster, so a missing reference is a doubt, not a fact.
   */
  partial?: boolean;
  /** Helm charts the environment installs (not rendered offline), with their value files. */
  charts: readonly HelmChartSource[];
  /** A chart's values: its repo value files merged in order, as Helm merges them. */
  chartValues(chart: HelmChartSource): Record<string, unknown>;
  /** The line of a field in a repo file with one document (Helm values). */
  lineInFile(file: string, path: readonly (string | number)[]): number;
  /**
   * The value file of a chart source where a value is set: the one that has the most of `path`, the
   * last of those (Helm merges later files over earlier ones); undefined without value files.
   */
  valueFileSetting(chart: HelmChartSource, path: readonly (string | number)[]): string | undefined;
}

export interface Rule {
  /** Stable id `family/name`; never renamed once released (SARIF and suppressions key on it). */
  id: string;
  severity: Severity;
  title: string;
  why: string;
  hint: string;
  istioCode?: string;
  /** Checks one environment with all its resources. */
  check?(ctx: RuleContext): Finding[];
  /** Checks all environments of a run together, in promotion order (cross-environment rules). */
  checkAcross?(envs: readonly RuleContext[]): Finding[];
}
