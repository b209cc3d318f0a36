import type { Finding } from './finding.ts';
import { ROOT_CAUSES } from './pipeline-checks.ts';

/**
 * Checks that look for other objects of the environment: when part of the environment could not
 * be read or rendered, what they miss may simply be in the part that is gone.
 */
const LOOKS_ELSEWHERE = new Set([
  'schema/unknown-kind',
  'walk/missing-project',
  'mesh/gateway-exists',
  'mesh/destination-exists',
  'mesh/subset-exists',
  'mesh/destinationrule-host-exists',
  'mesh/virtualservice-host-in-gateway',
  'mesh/authz-principals',
  'mesh/authz-namespaces-exist',
  'mesh/meshed-workload-coverage',
  'mesh/telemetry-providers-known',
  'workload/references-exist',
  'workload/service-selector-matches',
  'security/default-deny-network-policy',
  'argocd/project-permits',
  'argocd/project-permits-resources',
  'argocd/crd-wave-order',
]);

/**
 * One cause, one error: in an environment with a source that did not parse or render, findings
 * that look for objects elsewhere are folded under the first such cause ("and N findings that
 * follow from it") instead of being blamed on files that are fine. They stay in the report, folded.
 */
export function foldFollowOn(findings: Finding[]): Finding[] {
  const cause = findings.find((f) => ROOT_CAUSES.has(f.rule) && f.severity === 'error');
  if (!cause) return findings;
  const kept: Finding[] = [];
  const folded: Finding[] = [];
  for (const f of findings) (f !== cause && LOOKS_ELSEWHERE.has(f.rule) ? folded : kept).push(f);
  if (folded.length) cause.followers = [...(cause.followers ?? []), ...folded];
  return kept;
}
