import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A stream shaped like a real repository's: every five documents are one app (a Deployment that
 * passes Pod Security restricted, its Service, VirtualService, DestinationRule and ConfigMap), valid
 * against their schemas and the rules, except one document in fifty carries a typo (an unknown
 * field), so the findings' line lookups are measured too, as a real run has a few.
 */
export function syntheticResource(i: number): string {
  const app = Math.floor(i / 5);
  const name = `svc-${app}`;
  const typo = i % 50 === 7 ? '  replicass: 2\n' : '';
  switch (i % 5) {
    case 0:
      return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: bench
  labels:
    app: ${name}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
        version: stable
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: registry.example.com/${name}:1.0.${i}
          ports:
            - name: http
              containerPort: 8080
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 256Mi
`;
    case 1:
      return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: bench
spec:
  selector:
    app: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http
`;
    case 2:
      return `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: ${name}
  namespace: bench
spec:
${typo}  hosts:
    - ${name}
  http:
    - timeout: 30s
      retries:
        attempts: 3
        perTryTimeout: 8s
        retryOn: 5xx,reset
      route:
        - destination:
            host: ${name}
            subset: stable
          weight: 90
        - destination:
            host: ${name}
            subset: canary
          weight: 10
`;
    case 3:
      return `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: ${name}
  namespace: bench
spec:
  host: ${name}
  trafficPolicy:
    tls:
      mode: ISTIO_MUTUAL
    outlierDetection:
      consecutive5xxErrors: 5
      interval: 10s
      baseEjectionTime: 30s
      maxEjectionPercent: 50
  subsets:
    - name: stable
      labels:
        version: stable
    - name: canary
      labels:
        version: canary
`;
    default:
      return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: bench
data:
  LOG_LEVEL: info
`;
  }
}

export function syntheticStream(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) docs.push(syntheticResource(i));
  return docs.join('---\n');
}

/**
 * A one-environment repo whose root renders `apps` child Applications, each a plain directory of
 * `perApp` resources: exercises the walk, parsing and schema validation without a cluster.
 */
export function writeSyntheticRepo(dir: string, apps: number, perApp: number): void {
  const repoURL = 'https://git.example.test/bench.git';
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  write('clusters/settings.yaml', `repoURL: ${repoURL}\nenvironments:\n  - name: bench\n`);
  write(
    'clusters/bench/root.yaml',
    `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: root
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${repoURL}
    targetRevision: main
    path: apps
  destination:
    server: https://kubernetes.default.svc
    namespace: argocd
`,
  );
  for (let a = 0; a < apps; a++) {
    write(
      `apps/app-${a}.yaml`,
      `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: app-${a}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: ${repoURL}
    targetRevision: main
    path: workloads/app-${a}
  destination:
    server: https://kubernetes.default.svc
    namespace: bench
`,
    );
    const docs: string[] = [];
    for (let i = 0; i < perApp; i++) docs.push(syntheticResource(a * perApp + i));
    write(`workloads/app-${a}/resources.yaml`, docs.join('---\n'));
  }
}
