/** What `zx scripts/diff.mjs` found: the shape of `--format json` and the input of every formatter. */

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Why a field's values are not shown. */
export type FieldNote =
  | 'sealed value changed'
  | 'sealed value added'
  | 'sealed value removed'
  | 'secret value changed'
  | 'order changed';

/** One field, old → new; a side where the field is absent has no value. */
export interface FieldChange {
  path: string;
  old?: unknown;
  new?: unknown;
  note?: FieldNote;
}

export type ResourceChange =
  | { change: 'added' | 'removed'; resource: ResourceRef }
  | {
      change: 'changed';
      resource: ResourceRef;
      /** A kustomize generator's hashed name that changed with its content: the old name. */
      renamedFrom?: string;
      fields: FieldChange[];
    };

/**
 * A Helm chart source whose inputs changed and whose output the walk did not render, so its
 * resources could not be compared: the reviewer sees what changed instead.
 */
export interface ChartNote {
  chart: string;
  repoURL: string;
  oldVersion?: string;
  newVersion?: string;
  /** What changed, in words: "version 1.2.3 → 1.3.0", "values istio/…/istiod.yaml changed", … */
  changes: string[];
}

export interface ApplicationDiff {
  /** The Application's name; '' for the environment's bootstrap resources in clusters/<env>/. */
  name: string;
  status: 'added' | 'removed' | 'changed';
  /** Sync waves on each side where the Application exists. */
  wave: { old?: number; new?: number };
  resources: ResourceChange[];
  charts: ChartNote[];
}

export interface EnvironmentDiff {
  env: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  /** Only Applications with something to report, bootstrap first, then by wave and name. */
  applications: ApplicationDiff[];
  /** Applications with a Helm chart the walk did not render on either side: their chart output is not compared. */
  chartsNotRendered: string[];
}

export interface Revision {
  /** As given (`main`, `HEAD~1`) or how it was found; '' for the work tree. */
  ref: string;
  /** Full commit id; absent for the work tree. */
  commit?: string;
  /** For people: `1a2b3c4 (merge base of HEAD and origin/main)`, `work tree`. */
  label: string;
}

export interface DiffResult {
  base: Revision;
  head: Revision;
  environments: EnvironmentDiff[];
  changed: boolean;
}

export const BOOTSTRAP = '';

/** How reports name an Application, the bootstrap group included. */
export function applicationLabel(env: string, name: string): string {
  return name === BOOTSTRAP ? `clusters/${env} (bootstrap)` : name;
}

export function resourceLabel(r: ResourceRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

export function countChanges(app: ApplicationDiff): { added: number; changed: number; removed: number } {
  const n = { added: 0, changed: 0, removed: 0 };
  for (const r of app.resources) n[r.change]++;
  return n;
}
