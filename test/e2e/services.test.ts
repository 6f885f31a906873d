// Services end to end with the real kubectl: cluster IPs from --service-cluster-ip-range (default
// 10.43.0.0/16), node ports from 30000-32767, upstream's refusals for taken values (422, printed by
// kubectl as users know them), the `kubernetes` Service, the service environment variables a pod
// sees (process runtime: the container prints `env` to its log), and reservations surviving a
// restart of the server on the same store.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';
import { eventually } from '../helpers/eventually.js';

/** `x   ClusterIP   10.43.7.9   <none>   80/TCP   1s` -> the columns. */
function row(table: string, name: string): string[] {
  const line = table.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line, `no row for ${name} in:\n${table}`);
  return line.split(/\s+/);
}

function inDefaultRange(ip: string): boolean {
  const match = /^10\.43\.(\d+)\.(\d+)$/.exec(ip);
  if (!match) return false;
  const n = Number(match[1]) * 256 + Number(match[2]);
  return n >= 1 && n <= 65534;
}

describe('services with kubectl', { timeout: 300_000 }, () => {
  let first: RunningServer | undefined;
  let server: RunningServer;
  let kubectl: Kubectl;

  before(async () => {
    first = await startServer({ store: 'sqlite', workloads: true, extraArgs: ['--node-name', 'svc-node'] });
    server = first;
    kubectl = kubectlFor(server.kubeconfig);
  });

  after(async () => {
    await server?.stop();
    // The restarted server reuses the first one's data dir; the first helper owns (removes) it.
    await first?.cleanup();
  });

  it('has the kubernetes Service at the first address of the range', async () => {
    const [, type, ip, external, ports] = row(await kubectl.ok(['get', 'svc', 'kubernetes']), 'kubernetes');
    assert.deepEqual([type, ip, external, ports], ['ClusterIP', '10.43.0.1', '<none>', '443/TCP']);
    // Deleted by hand (`kubectl delete all --all` does it), it comes back within the 10 s re-check.
    await kubectl.ok(['delete', 'svc', 'kubernetes']);
    await eventually('the kubernetes Service is back', async () => (await kubectl(['get', 'svc', 'kubernetes'])).code === 0 || undefined, 30_000);
    assert.equal(row(await kubectl.ok(['get', 'svc', 'kubernetes']), 'kubernetes')[2], '10.43.0.1');
    // The namespaces everything relies on cannot be deleted (upstream's NamespaceLifecycle).
    const refused = await kubectl(['delete', 'ns', 'default']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Error from server \(Forbidden\): namespaces "default" is forbidden: this namespace may not be deleted/);
  });

  it('allocates a cluster IP and refuses a second Service on it', async () => {
    assert.equal((await kubectl.ok(['create', 'service', 'clusterip', 'x', '--tcp=80:8080'])).trim(), 'service/x created');
    const [, type, ip, , ports] = row(await kubectl.ok(['get', 'svc']), 'x');
    assert.equal(type, 'ClusterIP');
    assert.ok(inDefaultRange(ip ?? ''), `cluster IP ${ip} not in 10.43.0.0/16`);
    assert.equal(ports, '80/TCP');

    const dup = await kubectl(['create', 'service', 'clusterip', 'dup', `--clusterip=${ip}`, '--tcp=80:80']);
    assert.equal(dup.code, 1);
    assert.equal(dup.stderr.trim(),
      `error: failed to create ClusterIP service: Service "dup" is invalid: spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: provided IP is already allocated`);
    const outside = await kubectl(['create', 'service', 'clusterip', 'outside', '--clusterip=192.168.0.10', '--tcp=80:80']);
    assert.match(outside.stderr, /failed to allocate IP 192\.168\.0\.10: the provided IP \(192\.168\.0\.10\) is not in the valid range\. The range of valid IPs is 10\.43\.0\.0\/16/);
  });

  it('gives a NodePort Service a port from 30000-32767 and refuses it to another', async () => {
    await kubectl.ok(['create', 'service', 'nodeport', 'np', '--tcp=80:8080']);
    const [, type, , , ports] = row(await kubectl.ok(['get', 'svc', 'np']), 'np');
    assert.equal(type, 'NodePort');
    const match = /^80:(\d+)\/TCP$/.exec(ports ?? '');
    assert.ok(match, `PORT(S) ${ports}`);
    const nodePort = Number(match[1]);
    assert.ok(nodePort >= 30000 && nodePort <= 32767);

    const taken = await kubectl(['create', 'service', 'nodeport', 'np2', '--tcp=80:8080', `--node-port=${nodePort}`]);
    assert.equal(taken.code, 1);
    assert.equal(taken.stderr.trim(),
      `error: failed to create NodePort service: Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: ${nodePort}: provided port is already allocated`);

    // Back to ClusterIP gives the port up; someone else may take it now.
    await kubectl.ok(['patch', 'svc', 'np', '-p', '{"spec":{"type":"ClusterIP"}}']);
    assert.equal(row(await kubectl.ok(['get', 'svc', 'np']), 'np')[4], '80/TCP');
    await kubectl.ok(['create', 'service', 'nodeport', 'np2', '--tcp=80:8080', `--node-port=${nodePort}`]);
  });

  it('frees a deleted Service\'s cluster IP', async () => {
    await kubectl.ok(['create', 'service', 'clusterip', 'gone', '--tcp=80:80']);
    const ip = (await kubectl.ok(['get', 'svc', 'gone', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    await kubectl.ok(['delete', 'svc', 'gone']);
    await kubectl.ok(['create', 'service', 'clusterip', 'reuse', `--clusterip=${ip}`, '--tcp=80:80']);
  });

  it('puts the service variables into a pod\'s environment', async () => {
    const ip = (await kubectl.ok(['get', 'svc', 'x', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
    const pod = JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'envdump' },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{ name: 'c', image: 'k8ts.test/env:1', command: ['sh', '-c', 'env; sleep 600'], env: [{ name: 'X_SERVICE_PORT', value: 'from-pod' }] }],
      },
    });
    await kubectl.ok(['apply', '-f', '-'], { input: pod });
    const env = await eventually('env in the pod log', async () => {
      const out = await kubectl.ok(['logs', 'envdump']);
      return out.includes('KUBERNETES_SERVICE_HOST=') ? out : undefined;
    });
    const vars = new Map(env.split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    assert.equal(vars.get('X_SERVICE_HOST'), ip);
    assert.equal(vars.get('X_SERVICE_PORT'), 'from-pod', 'the pod\'s own env wins');
    assert.equal(vars.get('X_SERVICE_PORT_80_8080'), '80');
    assert.equal(vars.get('X_PORT_80_TCP'), `tcp://${ip}:80`);
    assert.equal(vars.get('KUBERNETES_SERVICE_HOST'), '10.43.0.1');
    assert.equal(vars.get('KUBERNETES_SERVICE_PORT'), '443');
    await kubectl.ok(['delete', 'pod', 'envdump', '--wait=false']);
  });

  it('keeps reservations across a server restart on the same store', async () => {
    const nodePort = (await kubectl.ok(['get', 'svc', 'np2', '-o', 'jsonpath={.spec.ports[0].nodePort}'])).trim();
    await server.stop();
    server = await startServer({ store: 'sqlite', dataDir: server.dataDir, port: server.port, extraArgs: [] });
    const again = await kubectl(['create', 'service', 'nodeport', 'np3', '--tcp=80:8080', `--node-port=${nodePort}`]);
    assert.match(again.stderr, new RegExp(`Invalid value: ${nodePort}: provided port is already allocated`));
  });
});
