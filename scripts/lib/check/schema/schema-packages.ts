/** The npm packages schemas come from, and what each describes (README and `sources()` list them). */
export interface SchemaPackage {
  name: string;
  describes: string;
}

export const SCHEMA_PACKAGES: readonly SchemaPackage[] = [
  { name: 'kubernetes-models', describes: 'Kubernetes 1.36 built-in kinds' },
  {
    name: '@kubernetes-models/istio',
    describes: 'Istio 1.29 CRDs (networking, security, telemetry, extensions)',
  },
  { name: '@kubernetes-models/argo-cd', describes: 'Argo CD 3.3 (Application, AppProject, ApplicationSet)' },
  { name: '@kubernetes-models/cert-manager', describes: 'cert-manager CRDs' },
  {
    name: '@kubernetes-models/gateway-api',
    describes: 'Gateway API v1.5.1 (gateway.networking.k8s.io, experimental gateway.networking.x-k8s.io)',
  },
  { name: '@kubernetes-models/sealed-secrets', describes: 'Sealed Secrets (bitnami.com/v1alpha1)' },
  {
    name: '@kubernetes-models/prometheus-operator',
    describes: 'prometheus-operator CRDs (monitoring.coreos.com)',
  },
];
