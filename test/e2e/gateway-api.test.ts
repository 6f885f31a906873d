// Gateway API kinds end to end with the real kubectl: manifests shaped like upstream's examples
// are applied, printed with the CRDs' columns, explained from the served OpenAPI, validated
// (schema + CEL-equivalent rules, strict field validation), and the status controller reports
// conditions as a conformant implementation (k8ts.io/gateway-controller) does.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Gateway, GatewayClass, HTTPRoute } from '../../src/api/gateway/index.js';
import { freePort } from '../helpers/free-port.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';
import { tempDirRemovedAtExit } from '../helpers/temp-dir.js';
import { testCertificateAuthority } from '../helpers/tls-certificates.js';

const MANIFESTS = join(import.meta.dirname, 'manifests', 'gateway-api');

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, { cause: last });
    await delay(200);
  }
}

describe('Gateway API kinds with kubectl', { timeout: 180_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  const json = async <T>(args: string[]): Promise<T> => JSON.parse(await kubectl.ok([...args, '-o', 'json'])) as T;
  const condition = (conditions: { type: string; status: string; reason: string }[] | undefined, type: string) =>
    conditions?.find((c) => c.type === type);

  before(async () => {
    server = await startServer({ store: 'memory', workloads: true });
    kubectl = kubectlFor(server.kubeconfig);
  });

  after(async () => {
    const code = await server.stop();
    await server.cleanup();
    assert.equal(code, 0, `server should exit 0 on SIGTERM:\n${server.output().slice(-4000)}`);
  });

  it('applies upstream-style manifests and prints the CRD columns', async () => {
    // A free port, so a gateway data plane in the same server binds nothing in use.
    const port = await freePort();
    const manifest = readFileSync(join(MANIFESTS, 'http-routing.yaml'), 'utf8').replace('port: 18080', `port: ${port}`);
    const applied = await kubectl.ok(['apply', '-f', '-'], { input: manifest });
    assert.match(applied, /gatewayclass\.gateway\.networking\.k8s\.io\/k8ts created/);
    assert.match(applied, /httproute\.gateway\.networking\.k8s\.io\/bar-route created/);

    const classes = await eventually('GatewayClass accepted', async () => {
      const out = await kubectl.ok(['get', 'gatewayclass']);
      return /k8ts\s+k8ts\.io\/gateway-controller\s+True\s+\d+s/.test(out) ? out : undefined;
    });
    assert.match(classes, /^NAME\s+CONTROLLER\s+ACCEPTED\s+AGE\n/);
    const gateways = await eventually('Gateway programmed', async () => {
      const out = await kubectl.ok(['get', 'gtw']);
      return /example-gateway\s+k8ts\s+127\.0\.0\.1\s+True\s+\d+s/.test(out) ? out : undefined;
    });
    assert.match(gateways, /^NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE\n/);
    const routes = await kubectl.ok(['get', 'httproute']);
    assert.match(routes, /^NAME\s+HOSTNAMES\s+AGE\n/);
    assert.match(routes, /foo-route\s+\["foo\.example\.com"\]\s+\d+s/);
  });

  it('fills the CRD defaults', async () => {
    const route = await json<HTTPRoute>(['get', 'httproute', 'bar-route']);
    assert.deepEqual(route.spec.parentRefs?.[0], { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'example-gateway' });
    assert.deepEqual(route.spec.rules?.[1]?.matches, [{ path: { type: 'PathPrefix', value: '/' } }]);
    assert.deepEqual(route.spec.rules?.[1]?.backendRefs?.[0], { group: '', kind: 'Service', name: 'bar-svc', port: 8080, weight: 1 });
  });

  it('reports Gateway, listener and GatewayClass conditions', async () => {
    const gatewayClass = await json<GatewayClass>(['get', 'gatewayclass', 'k8ts']);
    assert.equal(condition(gatewayClass.status?.conditions, 'Accepted')?.reason, 'Accepted');
    const gateway = await eventually('both routes attached', async () => {
      const current = await json<Gateway>(['get', 'gateway', 'example-gateway']);
      return current.status?.listeners?.[0]?.attachedRoutes === 2 ? current : undefined;
    });
    assert.deepEqual(gateway.status?.addresses, [{ type: 'IPAddress', value: '127.0.0.1' }]);
    const listener = gateway.status?.listeners?.[0];
    assert.deepEqual(listener?.supportedKinds, [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }]);
    assert.deepEqual(listener?.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`).sort(),
      ['Accepted=True/Accepted', 'Conflicted=False/NoConflicts', 'Programmed=True/Programmed', 'ResolvedRefs=True/ResolvedRefs']);
    assert.equal(condition(gateway.status?.conditions, 'Accepted')?.status, 'True');
  });

  it('a route to a missing Service has ResolvedRefs False BackendNotFound until the Service exists', async () => {
    const missing = await eventually('bar-route status', async () => {
      const route = await json<HTTPRoute>(['get', 'httproute', 'bar-route']);
      return route.status?.parents.length === 1 ? route : undefined;
    });
    const parent = missing.status?.parents[0];
    assert.equal(parent?.controllerName, 'k8ts.io/gateway-controller');
    assert.equal(condition(parent?.conditions, 'Accepted')?.status, 'True');
    assert.deepEqual(condition(parent?.conditions, 'ResolvedRefs'), {
      ...condition(parent?.conditions, 'ResolvedRefs'), status: 'False', reason: 'BackendNotFound',
    });
    const described = await kubectl.ok(['get', 'httproute', 'bar-route', '-o',
      'jsonpath={.status.parents[0].conditions[?(@.type=="ResolvedRefs")].reason}']);
    assert.equal(described, 'BackendNotFound');

    await kubectl.ok(['apply', '-f', join(MANIFESTS, 'bar-services.yaml')]);
    await eventually('ResolvedRefs True', async () => {
      const route = await json<HTTPRoute>(['get', 'httproute', 'bar-route']);
      return condition(route.status?.parents[0]?.conditions, 'ResolvedRefs')?.status === 'True' ? route : undefined;
    });
  });

  it('a listener on a port another program holds is not Programmed (EADDRINUSE) until the port is free', async () => {
    const port = await freePort();
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      await kubectl.ok(['apply', '-f', '-'], { input: [
        'apiVersion: gateway.networking.k8s.io/v1', 'kind: Gateway', 'metadata: {name: held-port}',
        'spec:', '  gatewayClassName: k8ts', '  listeners:', `  - {name: http, protocol: HTTP, port: ${port}}`, '',
      ].join('\n') });
      await eventually('Gateway not programmed', async () => {
        const out = await kubectl.ok(['get', 'gateway', 'held-port']);
        return /held-port\s+k8ts\s+(\S+\s+)?False\s+\d+s/.test(out) ? out : undefined;
      });
      const gateway = await json<Gateway>(['get', 'gateway', 'held-port']);
      const programmed = condition(gateway.status?.listeners?.[0]?.conditions, 'Programmed') as { status: string; reason: string; message?: string } | undefined;
      assert.equal(programmed?.status, 'False');
      assert.equal(programmed?.reason, 'Pending');
      assert.equal(programmed?.message, `cannot listen on 127.0.0.1:${port}: EADDRINUSE (another program listens on that port)`);
    } finally {
      if (holder.listening) await new Promise((resolve) => holder.close(resolve));
    }
    // The data plane retries unbound ports every 10 s.
    await eventually('Gateway programmed once the port is free', async () => {
      const out = await kubectl.ok(['get', 'gateway', 'held-port']);
      return /held-port\s+k8ts\s+127\.0\.0\.1\s+True\s+\d+s/.test(out) ? out : undefined;
    }, 40_000);
    const gateway = await json<Gateway>(['get', 'gateway', 'held-port']);
    assert.equal(condition(gateway.status?.listeners?.[0]?.conditions, 'Programmed')?.status, 'True');
    await kubectl.ok(['delete', 'gateway', 'held-port']);
  });

  it('terminates TLS on an HTTPS listener (kubectl create secret tls) and reports a missing Secret', async () => {
    const dir = tempDirRemovedAtExit('k8ts-e2e-https-');
    const ca = await testCertificateAuthority();
    const cert = await ca.issue(['secure.example.test']);
    writeFileSync(join(dir, 'ca.crt'), ca.caPem);
    writeFileSync(join(dir, 'tls.crt'), cert.certPem);
    writeFileSync(join(dir, 'tls.key'), cert.keyPem);
    // The backend: a local HTTP server behind a selector-less Service and a hand-made EndpointSlice.
    const backend = createHttpServer((req, res) => res.end(`tls backend saw ${req.headers.host} via ${String(req.headers['x-forwarded-proto'])}\n`));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const backendPort = (backend.address() as AddressInfo).port;
    const port = await freePort();
    try {
      await kubectl.ok(['create', 'secret', 'tls', 'site-cert', `--cert=${join(dir, 'tls.crt')}`, `--key=${join(dir, 'tls.key')}`]);
      await kubectl.ok(['apply', '-f', '-'], { input: [
        'apiVersion: v1', 'kind: Service', 'metadata: {name: tls-backend}', 'spec: {ports: [{port: 80}]}', '---',
        'apiVersion: discovery.k8s.io/v1', 'kind: EndpointSlice',
        'metadata: {name: tls-backend-1, labels: {kubernetes.io/service-name: tls-backend}}', 'addressType: IPv4',
        `ports: [{name: "", port: ${backendPort}, protocol: TCP}]`, 'endpoints: [{addresses: [127.0.0.1], conditions: {ready: true}}]', '---',
        'apiVersion: gateway.networking.k8s.io/v1', 'kind: Gateway', 'metadata: {name: secure}', 'spec:', '  gatewayClassName: k8ts', '  listeners:',
        `  - {name: https, protocol: HTTPS, port: ${port}, hostname: secure.example.test, tls: {certificateRefs: [{name: site-cert}]}}`, '---',
        'apiVersion: gateway.networking.k8s.io/v1', 'kind: HTTPRoute', 'metadata: {name: secure}',
        'spec: {parentRefs: [{name: secure}], rules: [{backendRefs: [{name: tls-backend, port: 80}]}]}', '',
      ].join('\n') });
      const curl = promisify(execFile);
      const body = await eventually('curl over TLS answered by the backend', async () => {
        const { stdout } = await curl('curl', ['-sS', '--max-time', '5', '--cacert', join(dir, 'ca.crt'),
          '--resolve', `secure.example.test:${port}:127.0.0.1`, `https://secure.example.test:${port}/`]);
        return stdout.startsWith('tls backend') ? stdout : undefined;
      });
      assert.equal(body, `tls backend saw secure.example.test:${port} via https\n`);
      const programmed = await json<Gateway>(['get', 'gateway', 'secure']);
      assert.equal(condition(programmed.status?.listeners?.[0]?.conditions, 'ResolvedRefs')?.status, 'True');
      assert.equal(programmed.status?.listeners?.[0]?.attachedRoutes, 1);

      await kubectl.ok(['apply', '-f', '-'], { input: [
        'apiVersion: gateway.networking.k8s.io/v1', 'kind: Gateway', 'metadata: {name: no-secret}', 'spec:', '  gatewayClassName: k8ts', '  listeners:',
        `  - {name: https, protocol: HTTPS, port: ${await freePort()}, tls: {certificateRefs: [{name: missing-cert}]}}`, '',
      ].join('\n') });
      const yaml = await eventually('InvalidCertificateRef in the listener status', async () => {
        const out = await kubectl.ok(['get', 'gateway', 'no-secret', '-o', 'yaml']);
        return /reason: InvalidCertificateRef/.test(out) ? out : undefined;
      });
      assert.match(yaml, /message: Secret default\/missing-cert not found\n\s+observedGeneration: 1\n\s+reason: InvalidCertificateRef\n\s+status: "False"\n\s+type: ResolvedRefs/);
      assert.match(yaml, /reason: Invalid\n\s+status: "False"\n\s+type: Programmed/);
    } finally {
      await kubectl(['delete', 'gateway', 'secure', 'no-secret', '--ignore-not-found']);
      await new Promise((resolve) => backend.close(resolve));
    }
  });

  it('explains the kinds from the served schema', async () => {
    const rules = await kubectl.ok(['explain', 'httproute.spec.rules']);
    assert.match(rules, /KIND:\s+HTTPRoute/);
    assert.match(rules, /VERSION:\s+v1/);
    assert.match(rules, /backendRefs\s+<\[\]HTTPBackendRef>/);
    assert.match(rules, /matches\s+<\[\]HTTPRouteMatch>/);
    const weight = await kubectl.ok(['explain', 'httproute.spec.rules.backendRefs.weight']);
    assert.match(weight, /FIELD:\s+weight <integer>/);
    assert.match(await kubectl.ok(['explain', 'gateway.spec.listeners']), /protocol\s+<string> -required-/);
  });

  it('rejects invalid routes as upstream does', async () => {
    const invalid = await kubectl(['apply', '-f', join(MANIFESTS, 'invalid-weight.yaml')]);
    assert.notEqual(invalid.code, 0);
    assert.match(invalid.stderr, /The HTTPRoute "invalid-weight" is invalid/);
    assert.match(invalid.stderr, /spec\.rules\[0\]\.matches\[0\]\.path\.type: Unsupported value: "Prefix": supported values: "Exact", "PathPrefix", "RegularExpression"/);
    assert.match(invalid.stderr, /spec\.rules\[0\]\.backendRefs\[0\]: Invalid value: "object": Must have port for Service reference/);
    assert.match(invalid.stderr, /spec\.rules\[0\]\.backendRefs\[0\]\.weight: Invalid value: 2000000: .* should be less than or equal to 1000000/);
    const unknown = await kubectl(['apply', '-f', join(MANIFESTS, 'unknown-field.yaml')]);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /strict decoding error: unknown field "spec\.parentRefs\[0\]\.sectionNam"/);
  });
});
