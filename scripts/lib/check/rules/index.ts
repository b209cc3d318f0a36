import type { Rule } from '../rule.ts';
import { ARGOCD_RULES } from './argocd.ts';
import { MESH_ROUTING_RULES } from './mesh-routing.ts';
import { MESH_SECURITY_RULES } from './mesh-security.ts';
import { MESH_SERVICE_RULES } from './mesh-services.ts';
import { MESH_CONFIG_RULES } from './mesh-config.ts';
import { MESH_UNIQUENESS_RULES } from './mesh-uniqueness.ts';
import { MESH_RESILIENCE_RULES } from './mesh-resilience.ts';
import { MESH_MATCH_RULES } from './mesh-matches.ts';
import { WORKLOAD_RULES } from './workload-security.ts';
import { MESH_ENVOYFILTER_RULES } from './mesh-envoyfilter.ts';
import { MESH_TELEMETRY_RULES } from './mesh-telemetry.ts';
import { MESH_DEPRECATION_RULES } from './mesh-deprecation.ts';
import { MESH_WORKLOAD_COVERAGE_RULES } from './mesh-workload-coverage.ts';
import { MESH_SIDECAR_SCOPE_RULES } from './mesh-sidecar-scope.ts';
import { MESH_ANNOTATION_RULES } from './mesh-annotations.ts';
import { MESH_VALIDATION_RULES } from './mesh-validation.ts';
import { MESH_WEBHOOK_RULES } from './mesh-webhooks.ts';
import { MESH_WORKLOAD_RULES } from './mesh-workloads.ts';
import { WORKLOAD_REFERENCE_RULES } from './workload-references.ts';
import { SECURITY_NETWORK_RULES } from './security-network.ts';
import { SUPPRESSION_RULES } from '../suppression.ts';
import { promotionOrder } from './promotion-order.ts';
import { WORKLOAD_SELECTOR_RULES } from './workload-selector.ts';
import { API_LIMIT_RULES } from './api-limits.ts';
import { API_VERSION_RULES } from './api-versions.ts';

/** Every rule, in the order `--list-rules` prints them. Families live one per file beside this one. */
export const ALL_RULES: readonly Rule[] = [
  ...API_VERSION_RULES,
  ...MESH_ROUTING_RULES,
  ...MESH_SERVICE_RULES,
  ...MESH_UNIQUENESS_RULES,
  ...MESH_RESILIENCE_RULES,
  ...MESH_MATCH_RULES,
  ...MESH_SECURITY_RULES,
  ...MESH_ENVOYFILTER_RULES,
  ...MESH_TELEMETRY_RULES,
  ...MESH_DEPRECATION_RULES,
  ...MESH_VALIDATION_RULES,
  ...MESH_WORKLOAD_RULES,
  ...MESH_WEBHOOK_RULES,
  ...MESH_ANNOTATION_RULES,
  ...MESH_WORKLOAD_COVERAGE_RULES,
  ...MESH_SIDECAR_SCOPE_RULES,
  ...MESH_CONFIG_RULES,
  ...ARGOCD_RULES,
  ...WORKLOAD_RULES,
  ...WORKLOAD_REFERENCE_RULES,
  ...WORKLOAD_SELECTOR_RULES,
  ...API_LIMIT_RULES,
  ...SECURITY_NETWORK_RULES,
  ...SUPPRESSION_RULES,
  promotionOrder,
];
