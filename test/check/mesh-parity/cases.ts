/**
 * The config-only test cases of istioctl's analyzers (istio/istio 1.30.0,
 * pkg/config/analysis/analyzers/analyzers_test.go), each rewritten as a minimal fixture under
 * test/fixtures/mesh-parity/. `expected` is istioctl's expected message list for the case as
 * [IST code, "Kind namespace/name"] (namespace omitted when the resource has none); `needsCluster`
 * lists the expected messages that only a live cluster can decide (running Pods, their runtime
 * annotations) with the reason, which the parity test does not count.
 */
export interface ParityCase {
  /** The upstream test case name (two upstream cases share a name: the suffix tells them apart). */
  name: string;
  /** The upstream analyzer the case runs (istioctl runs one analyzer per case). */
  analyzer: string;
  files: string[];
  expected: [code: string, resource: string][];
  needsCluster?: [code: string, resource: string, reason: string][];
}

const PODS = 'which running Pods a selector matches';

export const CASES: ParityCase[] = [
  {
    name: 'misannoted',
    analyzer: 'annotations.K8sAnalyzer',
    files: ['annotations.yaml'],
    expected: [
      ['IST0108', 'Service httpbin'],
      ['IST0125', 'Pod invalid-annotations'],
      ['IST0107', 'Pod grafana-test'],
      ['IST0107', 'Deployment fortio-deploy'],
      ['IST0107', 'Namespace staging'],
      ['IST0135', 'Deployment fortio-deploy'],
    ],
  },
  {
    name: 'deprecation',
    analyzer: 'deprecation.DeprecationAnalyzer',
    files: ['deprecation.yaml'],
    expected: [
      ['IST0002', 'VirtualService foo/productpage'],
      ['IST0002', 'Sidecar default/no-selector'],
    ],
  },
  {
    name: 'externalControlPlaneMissingWebhooks',
    analyzer: 'externalcontrolplane.ExternalControlPlaneAnalyzer',
    files: ['external-control-plane-missing-urls.yaml'],
    expected: [
      ['IST0163', 'MutatingWebhookConfiguration istio-sidecar-injector-external-istiod'],
      ['IST0163', 'ValidatingWebhookConfiguration istio-validator-external-istiod'],
    ],
  },
  {
    name: 'externalControlPlaneMissingWebhooks (custom namespace)',
    analyzer: 'externalcontrolplane.ExternalControlPlaneAnalyzer',
    files: ['external-control-plane-missing-urls-custom-ns.yaml'],
    expected: [
      ['IST0163', 'MutatingWebhookConfiguration istio-sidecar-injector-custom-ns'],
      ['IST0163', 'ValidatingWebhookConfiguration istio-validator-custom-ns'],
    ],
  },
  {
    name: 'externalControlPlaneUsingIpAddresses',
    analyzer: 'externalcontrolplane.ExternalControlPlaneAnalyzer',
    files: ['external-control-plane-ip-address.yaml'],
    expected: [['IST0164', 'MutatingWebhookConfiguration istio-sidecar-injector-external-istiod']],
  },
  {
    name: 'externalControlPlaneValidWebhooks',
    analyzer: 'externalcontrolplane.ExternalControlPlaneAnalyzer',
    files: ['external-control-plane-valid-urls.yaml'],
    expected: [],
  },
  {
    name: 'externalControlPlaneValidWebhooks (custom namespace)',
    analyzer: 'externalcontrolplane.ExternalControlPlaneAnalyzer',
    files: ['external-control-plane-valid-urls-custom-ns.yaml'],
    expected: [],
  },
  {
    name: 'conflicting gateways detect',
    analyzer: 'gateway.ConflictingGatewayAnalyzer',
    files: ['gateway-conflict.yaml'],
    expected: [
      ['IST0145', 'Gateway alpha'],
      ['IST0145', 'Gateway beta'],
    ],
  },
  {
    name: 'gateways with different port are non-conflicting',
    analyzer: 'gateway.ConflictingGatewayAnalyzer',
    files: ['gateway-different-port.yaml'],
    expected: [],
  },
  {
    name: 'conflicting gateways with multiple port declarations',
    analyzer: 'gateway.ConflictingGatewayAnalyzer',
    files: ['gateway-conflict-multiple-ports.yaml'],
    expected: [
      ['IST0145', 'Gateway alpha'],
      ['IST0145', 'Gateway beta'],
    ],
  },
  {
    name: 'conflicting gateways detect by sub selector',
    analyzer: 'gateway.ConflictingGatewayAnalyzer',
    files: ['gateway-conflict-sub-selector.yaml'],
    expected: [],
    needsCluster: [
      ['IST0145', 'Gateway alpha', `different selectors meet only through ${PODS}`],
      ['IST0145', 'Gateway beta', `different selectors meet only through ${PODS}`],
    ],
  },
  {
    name: 'conflicting gateways detect: no port',
    analyzer: 'gateway.ConflictingGatewayAnalyzer',
    files: ['gateway-conflict-no-port.yaml'],
    expected: [],
  },
  {
    name: 'Analyze conflicting gateway with list type',
    analyzer: 'gateway.ConflictingGatewayAnalyzer',
    files: ['gateway-conflict-list.yaml'],
    expected: [
      ['IST0145', 'Gateway alpha'],
      ['IST0145', 'Gateway alpha-l'],
      ['IST0145', 'Gateway beta-l'],
    ],
  },
  {
    name: 'certificate duplication in Gateway',
    analyzer: 'gateway.CertificateAnalyzer',
    files: ['gateway-duplicate-certificate.yaml'],
    expected: [
      ['IST0138', 'Gateway istio-system/gateway-01-test-01'],
      ['IST0138', 'Gateway istio-system/gateway-02-test-01'],
      ['IST0138', 'Gateway istio-system/gateway-01-test-02'],
      ['IST0138', 'Gateway default/gateway-01-test-03'],
    ],
  },
  {
    name: 'istioInjection',
    analyzer: 'injection.Analyzer',
    files: ['injection-namespaces.yaml'],
    expected: [
      ['IST0102', 'Namespace bar'],
      ['IST0123', 'Namespace busted'],
      ['IST0123', 'Namespace multi-ns-1'],
      ['IST0123', 'Namespace multi-ns-2'],
      ['IST0123', 'Namespace multi-ns-3'],
    ],
    needsCluster: [
      ['IST0103', 'Pod default/noninjectedpod', 'a Pod gets its proxy from the injector when it is created'],
    ],
  },
  {
    name: 'istioInjectionEnableNamespacesByDefault',
    analyzer: 'injection.Analyzer',
    files: ['injection-namespaces.yaml', 'injection-enabled-by-default.yaml'],
    expected: [
      ['IST0148', 'Namespace bar'],
      ['IST0123', 'Namespace busted'],
      ['IST0123', 'Namespace multi-ns-1'],
      ['IST0123', 'Namespace multi-ns-2'],
      ['IST0123', 'Namespace multi-ns-3'],
    ],
    needsCluster: [
      ['IST0103', 'Pod default/noninjectedpod', 'a Pod gets its proxy from the injector when it is created'],
    ],
  },
  {
    name: 'portNameNotFollowConvention',
    analyzer: 'service.PortNameAnalyzer',
    files: ['service-port-name-missing.yaml'],
    expected: [
      ['IST0118', 'Service my-namespace1/my-service1'],
      ['IST0118', 'Service my-namespace1/my-service1'],
      ['IST0118', 'Service my-namespace2/my-service2'],
    ],
  },
  {
    name: 'namedPort',
    analyzer: 'service.PortNameAnalyzer',
    files: ['service-port-name-ok.yaml'],
    expected: [],
  },
  {
    name: 'unnamedPortInSystemNamespace',
    analyzer: 'service.PortNameAnalyzer',
    files: ['service-port-name-system-namespace.yaml'],
    expected: [],
  },
  {
    name: 'ExternalNameServiceTypeInvalidPortName',
    analyzer: 'service.PortNameAnalyzer',
    files: ['service-external-name-port-invalid.yaml'],
    expected: [
      ['IST0150', 'Service nginx-ns/nginx'],
      ['IST0150', 'Service nginx-ns2/nginx-svc2'],
      ['IST0150', 'Service nginx-ns3/nginx-svc3'],
    ],
  },
  {
    name: 'ExternalNameServiceTypeValidPortName',
    analyzer: 'service.PortNameAnalyzer',
    files: ['service-external-name-port-valid.yaml'],
    expected: [],
  },
  {
    name: 'sidecarDefaultSelector',
    analyzer: 'sidecar.SelectorAnalyzer',
    files: ['sidecar-default-selector.yaml'],
    expected: [
      ['IST0111', 'Sidecar ns2/has-conflict-2'],
      ['IST0111', 'Sidecar ns2/has-conflict-1'],
      ['IST0167', 'Sidecar ns-ambient/namespace-scoped'],
    ],
    needsCluster: [
      [
        'IST0167',
        'Sidecar ns-ambient/pod-scoped',
        'the ambient redirection annotation is set on running Pods by the CNI',
      ],
    ],
  },
  {
    name: 'virtualServiceConflictingMeshGatewayHosts',
    analyzer: 'virtualservice.ConflictingMeshGatewayHostsAnalyzer',
    files: ['vs-conflicting-mesh-hosts.yaml'],
    expected: [
      ['IST0109', 'VirtualService team3/ratings'],
      ['IST0109', 'VirtualService team4/ratings'],
      ['IST0109', 'VirtualService foo/ratings'],
      ['IST0109', 'VirtualService bar/ratings'],
      ['IST0109', 'VirtualService foo/productpage'],
      ['IST0109', 'VirtualService foo/bogus-productpage'],
      ['IST0109', 'VirtualService team2/ratings'],
    ],
  },
  {
    name: 'virtualServiceConflictingMeshGatewayHostsWithExportTo',
    analyzer: 'virtualservice.ConflictingMeshGatewayHostsAnalyzer',
    files: ['vs-conflicting-mesh-hosts-export-to.yaml'],
    expected: [
      ['IST0109', 'VirtualService foo/productpage'],
      ['IST0109', 'VirtualService bar/productpage'],
      ['IST0109', 'VirtualService foo/productpage-c'],
      ['IST0109', 'VirtualService bar/productpage-c'],
      ['IST0109', 'VirtualService foo/productpage-d'],
      ['IST0109', 'VirtualService bar/productpage-d'],
    ],
  },
  {
    name: 'virtualServiceDestinationHosts',
    analyzer: 'virtualservice.DestinationHostAnalyzer',
    files: ['vs-destination-hosts.yaml'],
    expected: [
      ['IST0101', 'VirtualService default/reviews-bogushost'],
      ['IST0101', 'VirtualService default/reviews-bogushost'],
      ['IST0101', 'VirtualService default/reviews-bookinfo-other'],
      ['IST0101', 'VirtualService default/reviews-mirror-bogushost'],
      ['IST0101', 'VirtualService default/reviews-bogusport'],
      ['IST0112', 'VirtualService default/reviews-2port-missing'],
      ['IST0101', 'VirtualService istio-system/cross-namespace-details'],
      ['IST0101', 'VirtualService hello/hello-export-to-bogus'],
    ],
  },
  {
    name: 'virtualServiceDestinationRules',
    analyzer: 'virtualservice.DestinationRuleAnalyzer',
    files: ['vs-destination-rules.yaml'],
    expected: [
      ['IST0101', 'VirtualService default/reviews-bogussubset'],
      ['IST0101', 'VirtualService default/reviews-mirror-bogussubset'],
    ],
  },
  {
    name: 'virtualServiceGateways',
    analyzer: 'virtualservice.GatewayAnalyzer',
    files: ['vs-gateways.yaml'],
    expected: [
      ['IST0101', 'VirtualService httpbin-bogus'],
      ['IST0132', 'VirtualService default/cross-test'],
      ['IST0132', 'VirtualService httpbin-bogus'],
      ['IST0132', 'VirtualService httpbin'],
    ],
  },
  {
    name: 'virtualServiceInternalGatewayRef',
    analyzer: 'virtualservice.GatewayAnalyzer',
    files: ['vs-internal-gateway-ref.yaml'],
    expected: [['IST0165', 'VirtualService httpbin']],
  },
  {
    name: 'serviceMultipleDeployments',
    analyzer: 'deployment.MultiServiceAnalyzer',
    files: ['deployment-multiple-services.yaml'],
    expected: [
      ['IST0116', 'Deployment bookinfo/multiple-svc-multiple-prot'],
      ['IST0116', 'Deployment bookinfo/multiple-without-port'],
      ['IST0137', 'Deployment bookinfo/conflicting-ports'],
    ],
  },
  {
    name: 'deploymentMultiServicesInDifferentNamespace',
    analyzer: 'deployment.MultiServiceAnalyzer',
    files: ['deployment-services-other-namespace.yaml'],
    expected: [],
  },
  {
    name: 'serviceWithNoSelector',
    analyzer: 'deployment.MultiServiceAnalyzer',
    files: ['deployment-service-no-selector.yaml'],
    expected: [],
  },
  {
    name: 'blockedCIDRsMissing',
    analyzer: 'authn.BlockedCIDRsAnalyzer',
    files: ['blocked-cidrs-missing.yaml'],
    expected: [['IST0175', 'Deployment istio-system/istiod']],
  },
  {
    name: 'blockedCIDRsConfigured',
    analyzer: 'authn.BlockedCIDRsAnalyzer',
    files: ['blocked-cidrs-configured.yaml'],
    expected: [],
  },
  {
    name: 'blockedCIDRsNoRA',
    analyzer: 'authn.BlockedCIDRsAnalyzer',
    files: ['blocked-cidrs-no-request-authentication.yaml'],
    expected: [],
  },
  {
    name: 'authorizationpolicies',
    analyzer: 'auth.AuthorizationPoliciesAnalyzer',
    files: ['authorization-policies.yaml'],
    expected: [
      ['IST0101', 'AuthorizationPolicy httpbin/httpbin-bogus-ns'],
      ['IST0101', 'AuthorizationPolicy httpbin/httpbin-bogus-ns'],
      ['IST0101', 'AuthorizationPolicy httpbin/httpbin-bogus-not-ns'],
      ['IST0101', 'AuthorizationPolicy httpbin/httpbin-bogus-not-ns'],
    ],
    needsCluster: [
      ['IST0127', 'AuthorizationPolicy istio-system/meshwide-httpbin-v1', PODS],
      ['IST0127', 'AuthorizationPolicy httpbin-empty/httpbin-empty-namespace-wide', PODS],
      ['IST0127', 'AuthorizationPolicy httpbin/httpbin-nopods', PODS],
      ['IST0127', 'AuthorizationPolicy test-ambient/no-workload', PODS],
    ],
  },
  ...caCases(),
  {
    name: 'dupmatches',
    analyzer: 'schema.ValidationAnalyzer.VirtualService',
    files: ['vs-dup-matches.yaml', 'vs-overlapping-matches.yaml'],
    expected: [
      ['IST0130', 'VirtualService duplicate-match'],
      ['IST0130', 'VirtualService foo/sample-foo-cluster01'],
      ['IST0131', 'VirtualService almost-duplicate-match'],
      ['IST0131', 'VirtualService duplicate-match'],
      ['IST0130', 'VirtualService duplicate-tcp-match'],
      ['IST0130', 'VirtualService duplicate-empty-tcp'],
      ['IST0131', 'VirtualService almost-duplicate-tcp-match'],
      ['IST0131', 'VirtualService duplicate-tcp-match'],
      ['IST0130', 'VirtualService none/tls-routing'],
      ['IST0131', 'VirtualService none/tls-routing-almostmatch'],
      ['IST0131', 'VirtualService none/tls-routing'],
      ['IST0131', 'VirtualService non-method-get'],
      ['IST0131', 'VirtualService overlapping-in-single-match'],
      ['IST0131', 'VirtualService overlapping-in-two-matches'],
      ['IST0131', 'VirtualService overlapping-mathes-with-different-methods'],
    ],
  },
  ...hostInGatewayCases(),
  {
    name: 'missing Addresses and Protocol in Service Entry',
    analyzer: 'serviceentry.Analyzer',
    files: ['serviceentry-addresses.yaml'],
    expected: [
      ['IST0134', 'ServiceEntry default/service-entry-test-03'],
      ['IST0134', 'ServiceEntry default/service-entry-test-04'],
      ['IST0134', 'ServiceEntry default/service-entry-test-07'],
    ],
  },
  {
    name: 'ServiceEntry Addresses Required Lowercase Protocol',
    analyzer: 'serviceentry.Analyzer',
    files: ['serviceentry-addresses-lowercase.yaml'],
    expected: [['IST0134', 'ServiceEntry address-missing-lowercase']],
  },
  {
    name: 'ServiceEntry Addresses Required Uppercase Protocol',
    analyzer: 'serviceentry.Analyzer',
    files: ['serviceentry-addresses-uppercase.yaml'],
    expected: [['IST0134', 'ServiceEntry address-missing-uppercase']],
  },
  {
    name: 'webook',
    analyzer: 'webhook.Analyzer',
    files: ['webhook-overlap.yaml'],
    expected: [
      ['IST0139', 'MutatingWebhookConfiguration istio-sidecar-injector-missing-overlap'],
      ['IST0139', 'MutatingWebhookConfiguration istio-sidecar-injector-missing-overlap'],
      ['IST0139', 'MutatingWebhookConfiguration istio-sidecar-injector-overlap'],
    ],
  },
  {
    name: 'Route Rule no effect on Ingress',
    analyzer: 'virtualservice.DestinationHostAnalyzer',
    files: ['vs-route-rule-no-effect-ingress.yaml'],
    expected: [['IST0140', 'VirtualService default/testing-service-01-test-01']],
  },
  {
    name: 'Application Pod SecurityContext with UID 1337',
    analyzer: 'applicationUID.Analyzer',
    files: ['uid-pod-security-context.yaml'],
    expected: [['IST0144', 'Pod pod-sec-uid']],
  },
  {
    name: 'Application Container SecurityContext with UID 1337',
    analyzer: 'applicationUID.Analyzer',
    files: ['uid-pod-container.yaml'],
    expected: [['IST0144', 'Pod con-sec-uid']],
  },
  {
    name: 'Deployment Pod SecurityContext with UID 1337',
    analyzer: 'applicationUID.Analyzer',
    files: ['uid-deployment-pod.yaml'],
    expected: [['IST0144', 'Deployment deploy-pod-sec-uid']],
  },
  {
    name: 'Deployment Container SecurityContext with UID 1337',
    analyzer: 'applicationUID.Analyzer',
    files: ['uid-deployment-container.yaml'],
    expected: [['IST0144', 'Deployment deploy-con-sec-uid']],
  },
  {
    name: 'Detect `image: auto` in non-injected pods',
    analyzer: 'injection.ImageAutoAnalyzer',
    files: ['image-auto.yaml'],
    expected: [
      ['IST0146', 'Deployment not-injected/non-injected-gateway-deployment'],
      ['IST0147', 'Pod default/injected-pod'],
    ],
  },
  {
    name: 'EnvoyFilterUsesRelativeOperation',
    analyzer: 'envoyfilter.EnvoyPatchAnalyzer',
    files: ['envoyfilter-relative-operation.yaml'],
    expected: [
      ['IST0151', 'EnvoyFilter bookinfo/test-relative-1'],
      ['IST0151', 'EnvoyFilter bookinfo/test-relative-2'],
      ['IST0151', 'EnvoyFilter bookinfo/test-relative-3'],
      ['IST0155', 'EnvoyFilter bookinfo/test-relative-3'],
    ],
  },
  {
    name: 'EnvoyFilterFilterChainMatch',
    analyzer: 'envoyfilter.EnvoyPatchAnalyzer',
    files: ['envoyfilter-filter-chain.yaml'],
    expected: [],
  },
  {
    name: 'EnvoyFilterUsesAbsoluteOperation',
    analyzer: 'envoyfilter.EnvoyPatchAnalyzer',
    files: ['envoyfilter-absolute-operation.yaml'],
    expected: [],
  },
  {
    name: 'EnvoyFilterUsesReplaceOperation',
    analyzer: 'envoyfilter.EnvoyPatchAnalyzer',
    files: ['envoyfilter-replace-operation.yaml'],
    expected: [
      ['IST0152', 'EnvoyFilter bookinfo/test-replace-1'],
      ['IST0155', 'EnvoyFilter bookinfo/test-replace-3'],
      ['IST0151', 'EnvoyFilter bookinfo/test-replace-3'],
    ],
  },
  {
    name: 'EnvoyFilterUsesAddOperation',
    analyzer: 'envoyfilter.EnvoyPatchAnalyzer',
    files: ['envoyfilter-add-operation.yaml'],
    expected: [
      ['IST0153', 'EnvoyFilter bookinfo/test-auth-2'],
      ['IST0153', 'EnvoyFilter bookinfo/test-auth-3'],
    ],
  },
  {
    name: 'EnvoyFilterUsesRemoveOperation',
    analyzer: 'envoyfilter.EnvoyPatchAnalyzer',
    files: ['envoyfilter-remove-operation.yaml'],
    expected: [
      ['IST0151', 'EnvoyFilter bookinfo/test-remove-1'],
      ['IST0154', 'EnvoyFilter bookinfo/test-remove-2'],
      ['IST0154', 'EnvoyFilter bookinfo/test-remove-3'],
      ['IST0151', 'EnvoyFilter bookinfo/test-remove-5'],
    ],
  },
  {
    name: 'Analyze invalid telemetry (invalid provider)',
    analyzer: 'telemetry.ProviderAnalyzer',
    files: ['telemetry-invalid-provider.yaml'],
    expected: [['IST0157', 'Telemetry istio-system/mesh-default']],
  },
  {
    name: 'Analyze invalid telemetry (disabled provider)',
    analyzer: 'telemetry.ProviderAnalyzer',
    files: ['telemetry-disabled-provider.yaml'],
    expected: [],
  },
  {
    name: 'telemetryDefaultSelector',
    analyzer: 'telemetry.DefaultSelectorAnalyzer',
    files: ['telemetry-default-selector.yaml'],
    expected: [
      ['IST0160', 'Telemetry ns2/has-conflict-2'],
      ['IST0160', 'Telemetry ns2/has-conflict-1'],
    ],
  },
  {
    name: 'DestinationRuleWithFakeHost',
    analyzer: 'destinationrule.SubsetSelectPodAnalyzer',
    files: ['dr-fake-host.yaml'],
    expected: [['IST0174', 'DestinationRule default/fake-host']],
  },
  {
    name: 'DestinationRuleSubsetsNotSelectPods',
    analyzer: 'destinationrule.SubsetSelectPodAnalyzer',
    files: ['dr-subsets-not-select-pods.yaml'],
    expected: [],
    needsCluster: [['IST0173', 'DestinationRule default/subsets-not-select-pods', PODS]],
  },
  {
    name: 'DestinationRuleSubsetsWithTopologyLabels + DestinationRuleEmptyTopologyLabels',
    analyzer: 'destinationrule.SubsetSelectPodAnalyzer',
    files: ['dr-subsets-topology-labels.yaml'],
    expected: [],
    needsCluster: [
      ['IST0173', 'DestinationRule default/empty-topology-labels', `${PODS} and the labels of their Nodes`],
    ],
  },
];

function caCases(): ParityCase[] {
  const c = (name: string, file: string, expected: ParityCase['expected']): ParityCase => ({
    name,
    analyzer: 'destinationrule.CaCertificateAnalyzer',
    files: [`${file}.yaml`],
    expected,
  });
  return [
    c('destinationrule with no cacert, simple at destinationlevel', 'dr-ca-simple-destination', [
      ['IST0128', 'DestinationRule db-tls'],
    ]),
    c('destinationrule with no cacert, mutual at destinationlevel', 'dr-ca-mutual-destination', [
      ['IST0128', 'DestinationRule db-mtls'],
    ]),
    c('destinationrule with no cacert, simple at portlevel', 'dr-ca-simple-port', [
      ['IST0129', 'DestinationRule db-tls'],
    ]),
    c(
      'destinationrule with credentialname, simple at destinationlevel, no workloadSelector',
      'dr-ca-simple-destination-credential',
      [['IST0128', 'DestinationRule db-tls']],
    ),
    c(
      'destinationrule with credentialname, simple at destinationlevel, workloadSelector',
      'dr-ca-simple-destination-credential-selector',
      [],
    ),
    c(
      'destinationrule with credentialname, simple at portlevel, no workloadSelector',
      'dr-ca-simple-port-credential',
      [['IST0129', 'DestinationRule db-tls']],
    ),
    c(
      'destinationrule with credentialname, simple at portlevel, workloadSelector',
      'dr-ca-simple-port-credential-selector',
      [],
    ),
    c('destinationrule with no cacert, mutual at portlevel', 'dr-ca-mutual-port', [
      ['IST0129', 'DestinationRule db-mtls'],
    ]),
    c(
      'destinationrule with no cacert, mutual at destinationlevel and simple at port level',
      'dr-ca-mutual-destination-simple-port',
      [
        ['IST0128', 'DestinationRule db-mtls'],
        ['IST0129', 'DestinationRule db-mtls'],
      ],
    ),
    c(
      'destinationrule with no cacert, simple at destinationlevel and mutual at port level',
      'dr-ca-simple-destination-mutual-port',
      [
        ['IST0129', 'DestinationRule db-mtls'],
        ['IST0128', 'DestinationRule db-mtls'],
      ],
    ),
    c('destinationrule with both cacerts', 'dr-ca-with-ca', []),
  ];
}

function hostInGatewayCases(): ParityCase[] {
  const notFound = (suffix: string, file: string): ParityCase => ({
    name: `host defined in virtualservice not found in the gateway${suffix}`,
    analyzer: 'virtualservice.GatewayAnalyzer',
    files: [file],
    expected: [
      ['IST0132', 'VirtualService default/testing-service-02-test-01'],
      ['IST0132', 'VirtualService default/testing-service-02-test-02'],
      ['IST0132', 'VirtualService default/testing-service-02-test-03'],
      ['IST0132', 'VirtualService default/testing-service-03-test-04'],
    ],
  });
  const withNs = (suffix: string, file: string): ParityCase => ({
    name: `host defined in virtualservice not found in the gateway with ns${suffix}`,
    analyzer: 'virtualservice.GatewayAnalyzer',
    files: [file],
    expected: [['IST0132', 'VirtualService default/testing-service-01-test-01']],
  });
  return [
    notFound('', 'vs-host-not-found-gateway.yaml'),
    notFound('(beta version)', 'vs-host-not-found-gateway-v1beta1.yaml'),
    withNs('', 'vs-host-not-found-gateway-ns-prefix.yaml'),
    withNs('(beta version)', 'vs-host-not-found-gateway-ns-prefix-v1beta1.yaml'),
  ];
}

/** Upstream cases not ported, and why no offline check can decide them. */
export const NOT_PORTED: { cases: string; analyzer: string; why: string }[] = [
  {
    cases:
      'gatewayNoWorkload, gatewayBadPort, gatewayCorrectPort, gatewayCustomIngressGateway, gatewayCustomIngressGatewayBadPort, gatewayCustomIngressGatewayBadPortWithoutTarget, gatewayCustomIngressGatewayTranslation, gatewayServiceMatchPod',
    analyzer: 'gateway.IngressGatewayPortAnalyzer',
    why: 'needs the running gateway Pods a Gateway selects (the gateway Deployment comes from a Helm chart that is not rendered offline)',
  },
  {
    cases: 'gatewaySecret, gatewaySecretValidations',
    analyzer: 'gateway.SecretAnalyzer',
    why: 'needs the gateway Pods (for their namespace) and the certificate Secrets, which exist only in the cluster (git holds SealedSecrets and cert-manager Certificates)',
  },
  {
    cases:
      'istioInjectionProxyImageMismatch, injectionImageDistroless, injectionImageDistrolessNoMeshConfig, istioInjectionProxyImageMismatchAbsolute, istioInjectionProxyImageMismatchWithRevisionCanary',
    analyzer: 'injection.ImageAnalyzer',
    why: 'compares the proxy image of running Pods with the injector configuration',
  },
  {
    cases: 'sidecarSelector',
    analyzer: 'sidecar.SelectorAnalyzer',
    why: 'every message is about which running Pods a Sidecar selector matches',
  },
  {
    cases: 'virtualServiceJWTClaimRoute',
    analyzer: 'virtualservice.JWTClaimRouteAnalyzer',
    why: 'needs the running gateway Pods to find the RequestAuthentications that apply to them',
  },
  {
    cases: 'unknown service registry in mesh networks',
    analyzer: 'multicluster.MeshNetworksAnalyzer',
    why: 'reads a mesh networks file (multi-cluster), not resources',
  },
  {
    cases: 'telemetrySelector',
    analyzer: 'telemetry.SelectorAnalyzer',
    why: 'every message is about which running Pods a Telemetry selector matches',
  },
  {
    cases: 'Telemetry Lightstep',
    analyzer: 'telemetry.LightstepAnalyzer',
    why: 'runs with a mesh config file; the repository declares no lightstep provider',
  },
  {
    cases: 'KubernetesGatewaySelector',
    analyzer: 'k8sgateway.SelectorAnalyzer',
    why: 'needs the Pods the Gateway API controller creates for a Kubernetes Gateway',
  },
  {
    cases: 'Condition Analyzer',
    analyzer: 'conditions.ConditionAnalyzer',
    why: 'reads status conditions, which only the cluster writes',
  },
  {
    cases:
      'missing Addresses and Protocol in Service Entry with ISTIO_META_DNS_AUTO_ALLOCATE enabled, ServiceEntry Addresses Allocated',
    analyzer: 'serviceentry.Analyzer',
    why: 'run with a mesh config file (and addresses istiod allocates into status)',
  },
  {
    cases: 'alpha',
    analyzer: 'maturity.AlphaAnalyzer',
    why: 'not part of istioctl analyze (skipAll: the analyzer is not registered in All())',
  },
];
