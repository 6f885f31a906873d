// Manifests and helpers for the Rollouts e2e test (rollouts.test.ts): pods are `node -e` HTTP
// servers answering `<version> <pod name>` on / (status 500 when FAIL=1, the "bad version") and
// 200 on /healthz for the readiness probe; Rollouts drive HTTPRoutes of the built-in gateway.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../..');

const SERVE = [
  "const v=process.env.VERSION,h=process.env.HOSTNAME,bad=process.env.FAIL==='1';let closing=false;",
  "const srv=require('http').createServer((q,s)=>{if(closing)s.setHeader('connection','close');",
  "if(q.url==='/healthz'){s.end('ok');return}if(bad)s.statusCode=500;s.end(v+' '+h)});",
  'srv.keepAliveTimeout=65000;srv.listen(8080);',
  // Keep serving while the endpoint change reaches the gateway, as a well-behaved server does.
  "process.on('SIGTERM',()=>{closing=true;setTimeout(()=>process.exit(0),3000)});",
].join('');

export function podTemplate(app: string, version: string, bad = false): object {
  return {
    metadata: { labels: { app } },
    spec: {
      terminationGracePeriodSeconds: 5,
      containers: [{
        name: 'web',
        image: 'k8ts.test/rollout-web:1',
        command: ['node', '-e', SERVE],
        env: [{ name: 'VERSION', value: version }, { name: 'FAIL', value: bad ? '1' : '0' }],
        ports: [{ name: 'http', containerPort: 8080 }],
        // timeoutSeconds 5, not the default 1: one answer slowed by a loaded machine must not take a
        // pod out of its Service (requests then answer 503 and 'every request answered 200' fails).
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 1, timeoutSeconds: 5 },
      }],
    },
  };
}

export function service(name: string, app: string): object {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app }, ports: [{ name: 'web', port: 80, targetPort: 'http' }] } };
}

export function gateway(listenerPort: number): object[] {
  return [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'ro-k8ts' }, spec: { controllerName: 'k8ts.io/gateway-controller' } },
    {
      apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw' },
      spec: { gatewayClassName: 'ro-k8ts', listeners: [{ name: 'http', port: listenerPort, protocol: 'HTTP' }] },
    },
  ];
}

export function httpRoute(name: string, hostname: string, backends: readonly { name: string; weight?: number }[]): object {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name },
    spec: {
      parentRefs: [{ name: 'gw' }],
      hostnames: [hostname],
      rules: [{ backendRefs: backends.map((b) => ({ name: b.name, port: 80, ...(b.weight !== undefined ? { weight: b.weight } : {}) })) }],
    },
  };
}

/** Canary `web`: a header route, then 20%, 50% and 100% through the gateway, each held until promoted. */
export function canaryRollout(version: string): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' },
    spec: {
      replicas: 5,
      selector: { matchLabels: { app: 'web' } },
      template: podTemplate('web', version),
      strategy: {
        canary: {
          canaryService: 'web-canary',
          stableService: 'web-stable',
          trafficRouting: {
            managedRoutes: [{ name: 'beta' }],
            plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web-route', namespace: 'default' } },
          },
          steps: [
            { setHeaderRoute: { name: 'beta', match: [{ headerName: 'X-Beta', headerValue: { exact: 'yes' } }] } },
            { setWeight: 20 },
            { pause: {} },
            { setWeight: 50 },
            { pause: {} },
            { setWeight: 100 },
            { pause: {} },
          ],
        },
      },
    },
  };
}

/** Canary `shop`: 20%, then an analysis of the canary's success rate at the gateway. */
export function analysedRollout(version: string, bad: boolean): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'shop' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'shop' } },
      template: podTemplate('shop', version, bad),
      strategy: {
        canary: {
          canaryService: 'shop-canary',
          stableService: 'shop-stable',
          abortScaleDownDelaySeconds: 5,
          trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'shop-route' } } },
          steps: [
            { setWeight: 20 },
            { analysis: { templates: [{ templateName: 'shop-success-rate' }], args: [{ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] } },
            { setWeight: 50 },
            { pause: {} },
          ],
        },
      },
    },
  };
}

export const SUCCESS_RATE_TEMPLATE = {
  apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'shop-success-rate' },
  spec: {
    args: [{ name: 'canary-hash' }],
    metrics: [{
      name: 'success-rate',
      interval: '1s',
      count: 10,
      successCondition: 'result >= 0.95',
      failureLimit: 0,
      provider: { gateway: { service: 'shop-canary', revision: '{{args.canary-hash}}', metric: 'successRate', window: '5s', minRequests: 5 } },
    }],
  },
};

/**
 * Canary `cart` (the steps of issue 6's unexplained anomaly): 20%, a short analysis of the
 * canary's success rate through the gateway's own metrics, then a pause until promoted.
 */
export function analysisPauseRollout(version: string): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'cart' },
    spec: {
      replicas: 5,
      selector: { matchLabels: { app: 'cart' } },
      template: podTemplate('cart', version),
      strategy: {
        canary: {
          canaryService: 'cart-canary',
          stableService: 'cart-stable',
          trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'cart-route' } } },
          steps: [
            { setWeight: 20 },
            { analysis: { templates: [{ templateName: 'cart-success-rate' }], args: [{ name: 'canary-hash', valueFrom: { podTemplateHashValue: 'Latest' } }] } },
            { pause: {} },
          ],
        },
      },
    },
  };
}

export const CART_SUCCESS_RATE_TEMPLATE = {
  apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'cart-success-rate' },
  spec: {
    args: [{ name: 'canary-hash' }],
    metrics: [{
      name: 'success-rate',
      interval: '1s',
      count: 3,
      successCondition: 'result >= 0.95',
      provider: { gateway: { service: 'cart-canary', revision: '{{args.canary-hash}}', metric: 'successRate', window: '5s', minRequests: 5 } },
    }],
  },
};

/** Blue/green `bg`: preview first, switched by hand. */
export function blueGreenRollout(version: string): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'bg' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'bg' } },
      template: podTemplate('bg', version),
      strategy: { blueGreen: { activeService: 'bg-active', previewService: 'bg-preview', autoPromotionEnabled: false, scaleDownDelaySeconds: 30 } },
    },
  };
}

export const toYamlStream = (objects: readonly object[]): string => objects.map((o) => JSON.stringify(o)).join('\n');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `k8ts rollout ...` (the built CLI when there is one, else the source) with KUBECONFIG set. */
export function k8tsRollout(kubeconfig: string, args: readonly string[]): Promise<CliResult> {
  const built = join(repoRoot, 'dist/cmd/main.js');
  const command = existsSync(built) && process.env.K8TS_FROM_SOURCE !== '1'
    ? [join(repoRoot, 'bin/k8ts.js')]
    : ['--import', 'tsx', join(repoRoot, 'src/cmd/main.ts')];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...command, 'rollout', ...args], {
      cwd: repoRoot, env: { ...process.env, KUBECONFIG: kubeconfig, TERM: 'dumb' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
