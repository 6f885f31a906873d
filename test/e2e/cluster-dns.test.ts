// Cluster DNS end to end with the real kubectl and the process runtime as root: pods resolve
// Services by name through the node's DNS (glibc's getent and busybox nslookup run inside the pods
// with `kubectl exec`), their resolv.conf follows dnsPolicy and dnsConfig as kubelet writes it,
// new Services resolve without a restart, containers get kubelet's managed /etc/hosts, and the DNS
// address leaves lo when the agent stops.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { eventually } from '../helpers/eventually.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';

const root = process.getuid?.() === 0;
const run = promisify(execFile);
// Root is what gives pods their own network (and so their own resolv.conf); CI runs as root.
const skip = root || process.env.CI === 'true' ? false : 'needs root (pod network namespaces, port 53)';

function sleeper(name: string, namespace: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }], ...spec },
  };
}

const manifests = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'httpd', image: 'busybox', command: ['busybox', 'httpd', '-f', '-p', '8080'], ports: [{ containerPort: 8080 }] }] },
        },
      },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-headless', namespace: 'default' },
      spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 8080 }] },
    },
    {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'alias', namespace: 'default' },
      spec: { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' },
    },
    sleeper('client', 'default', { hostAliases: [{ ip: '192.0.2.80', hostnames: ['legacy.example', 'legacy'] }] }),
    sleeper('client', 'other'),
    sleeper('plain', 'default', { dnsPolicy: 'Default' }),
    sleeper('hostnet', 'default', { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }),
    sleeper('hostnet-default', 'default', { hostNetwork: true }),
    sleeper('custom', 'default', {
      dnsPolicy: 'None',
      dnsConfig: { nameservers: ['192.0.2.53'], searches: ['corp.example'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] },
    }),
  ],
};

describe('cluster DNS with kubectl (process runtime)', { skip, timeout: 300_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  let dnsAddress = '';

  const exec = (pod: string, command: readonly string[], namespace = 'default') => kubectl(['exec', '-n', namespace, pod, '--', ...command]);
  const clusterIp = async (service: string): Promise<string> => (await kubectl.ok(['get', 'svc', service, '-o', 'jsonpath={.spec.clusterIP}'])).trim();

  before(async () => {
    assert.ok(root, 'the cluster DNS suite needs root (pod network namespaces, port 53): run CI as root');
    server = await startServer({ store: 'memory', workloads: true });
    kubectl = kubectlFor(server.kubeconfig);
    await kubectl.ok(['apply', '-f', '-'], { input: JSON.stringify(manifests) });
    await kubectl.ok(['rollout', 'status', 'deployment/web', '--timeout=120s']);
    await kubectl.ok(['wait', '--for=condition=Ready', 'pod/client', 'pod/plain', 'pod/custom', 'pod/hostnet', 'pod/hostnet-default', '--timeout=120s']);
    await kubectl.ok(['wait', '-n', 'other', '--for=condition=Ready', 'pod/client', '--timeout=120s']);
  });

  after(async () => {
    await server?.stop();
    await server?.cleanup();
  });

  it('a ClusterFirst pod asks the node DNS, searches its namespace first, with ndots:5', async () => {
    const text = (await exec('client', ['cat', '/etc/resolv.conf'])).stdout;
    const nameserver = /^nameserver (169\.254\.53\.\d+)$/m.exec(text);
    assert.ok(nameserver, `resolv.conf:\n${text}`);
    dnsAddress = nameserver[1] ?? '';
    assert.match(text, /^search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local\b/m);
    assert.match(text, /^options ndots:5$/m);
    assert.equal(text.match(/^nameserver /gm)?.length, 1, text);
  });

  it('resolves a Service by its short name, namespace-qualified name and FQDN to its cluster IP', async () => {
    const ip = await clusterIp('web');
    for (const name of ['web', 'web.default', 'web.default.svc.cluster.local']) {
      const result = await exec('client', ['getent', 'hosts', name]);
      assert.equal(result.code, 0, `${name}: ${result.stderr}`);
      assert.equal(result.stdout.split(/\s+/)[0], ip, `${name}: ${result.stdout}`);
    }
    // From another namespace only the qualified names resolve.
    assert.equal((await exec('client', ['getent', 'hosts', 'web.default'], 'other')).stdout.split(/\s+/)[0], ip);
    assert.equal((await exec('client', ['getent', 'hosts', 'web'], 'other')).code, 2, 'web is not a Service of namespace other');
  });

  it('a headless Service resolves to its ready pods, SRV names its port, ExternalName is a CNAME', async () => {
    const podIps = (await kubectl.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}'])).trim().split(/\s+/).sort();
    assert.equal(podIps.length, 2);
    const headless = await exec('client', ['getent', 'ahostsv4', 'web-headless.default.svc.cluster.local']);
    assert.equal(headless.code, 0, headless.stderr);
    assert.deepEqual([...new Set(headless.stdout.trim().split('\n').map((line) => line.split(/\s+/)[0]))].sort(), podIps);

    const srv = await exec('client', ['busybox', 'nslookup', '-type=SRV', '_http._tcp.web.default.svc.cluster.local', dnsAddress]);
    assert.match(srv.stdout, /service = 0 100 80 web\.default\.svc\.cluster\.local/, srv.stdout + srv.stderr);

    const alias = await exec('client', ['busybox', 'nslookup', '-type=CNAME', 'alias.default.svc.cluster.local', dnsAddress]);
    assert.match(alias.stdout, /canonical name = web\.default\.svc\.cluster\.local/, alias.stdout + alias.stderr);
    const viaAlias = await exec('client', ['getent', 'hosts', 'alias']);
    assert.equal(viaAlias.stdout.split(/\s+/)[0], await clusterIp('web'), viaAlias.stdout + viaAlias.stderr);
  });

  it('answers pod names and reverse lookups, and says NXDOMAIN for names that are not there', async () => {
    const pod = await exec('client', ['getent', 'hosts', '10-88-5-7.default.pod.cluster.local']);
    assert.equal(pod.stdout.split(/\s+/)[0], '10.88.5.7', pod.stdout + pod.stderr);
    const ip = await clusterIp('web');
    const reverse = await exec('client', ['getent', 'hosts', ip]);
    assert.match(reverse.stdout, /\bweb\.default\.svc\.cluster\.local\b/, reverse.stdout + reverse.stderr);
    assert.equal((await exec('client', ['getent', 'hosts', 'nosuch.default.svc.cluster.local'])).code, 2);
    const nx = await exec('client', ['busybox', 'nslookup', 'nosuch.default.svc.cluster.local', dnsAddress]);
    assert.match(nx.stdout + nx.stderr, /NXDOMAIN/);
  });

  it("forwards names outside the cluster to the node's resolvers (after the search path's NXDOMAINs)", async () => {
    // Whatever the node's resolver says about an outside name, a pod must hear the same.
    const addresses = (text: string): string[] => [...new Set(text.trim().split('\n').filter(Boolean).map((line) => line.split(/\s+/)[0] ?? ''))].sort();
    const onHost = await run('getent', ['ahostsv4', 'deb.debian.org']).then((r) => addresses(r.stdout), () => undefined);
    const inPod = await exec('client', ['getent', 'ahostsv4', 'deb.debian.org']);
    if (onHost === undefined) {
      assert.equal(inPod.code, 2, `the node cannot resolve deb.debian.org, yet the pod did: ${inPod.stdout}`);
      return;
    }
    assert.equal(inPod.code, 0, inPod.stderr);
    assert.ok(addresses(inPod.stdout).some((a) => onHost.includes(a)), `pod ${inPod.stdout} vs node ${onHost.join(' ')}`);
  });

  it('a Service created now resolves without restarting anything', async () => {
    await kubectl.ok(['create', 'service', 'clusterip', 'late', '--tcp=81:8080']);
    const ip = await clusterIp('late');
    await eventually('late resolves', async () => {
      const result = await exec('client', ['getent', 'hosts', 'late']);
      return result.stdout.split(/\s+/)[0] === ip ? true : undefined;
    }, 30_000);
    await kubectl.ok(['delete', 'service', 'late']);
    await eventually('late is gone from DNS', async () => ((await exec('client', ['getent', 'hosts', 'late'])).code === 2 ? true : undefined), 30_000);
  });

  it("a StatefulSet's pods are found by their stable names through its headless Service", async () => {
    await kubectl.ok(['apply', '-f', '-'], {
      input: JSON.stringify({
        apiVersion: 'v1', kind: 'List', items: [
          { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] } },
          {
            apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
            spec: {
              replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'db' } },
              template: { metadata: { labels: { app: 'db' } }, spec: sleeper('db', 'default')['spec'] },
            },
          },
        ],
      }),
    });
    await kubectl.ok(['rollout', 'status', 'sts/db', '--timeout=120s']);
    for (const name of ['db-0', 'db-1']) {
      const ip = (await kubectl.ok(['get', 'pod', name, '-o', 'jsonpath={.status.podIP}'])).trim();
      await eventually(`${name}.db resolves`, async () => {
        const result = await exec('client', ['getent', 'hosts', `${name}.db`]);
        return result.stdout.split(/\s+/)[0] === ip ? true : undefined;
      }, 30_000);
      assert.equal((await exec('client', ['getent', 'hosts', `${name}.db.default.svc.cluster.local`])).stdout.split(/\s+/)[0], ip);
    }
  });

  it('dnsPolicy Default keeps the node resolv.conf; None uses only dnsConfig; host-network pods use cluster DNS only with ClusterFirstWithHostNet', async () => {
    const node = await readFile('/etc/resolv.conf', 'utf8');
    assert.equal((await exec('plain', ['cat', '/etc/resolv.conf'])).stdout, node);
    assert.equal((await exec('hostnet-default', ['cat', '/etc/resolv.conf'])).stdout, node, 'ClusterFirst on the host network is Default');
    const hostnet = (await exec('hostnet', ['cat', '/etc/resolv.conf'])).stdout;
    assert.ok(hostnet.startsWith('search default.svc.cluster.local svc.cluster.local cluster.local'), hostnet);
    assert.ok(hostnet.includes(`\nnameserver ${dnsAddress}\n`), hostnet);
    assert.equal((await exec('hostnet', ['getent', 'hosts', 'web'])).stdout.split(/\s+/)[0], await clusterIp('web'));
    assert.equal(await readFile('/etc/resolv.conf', 'utf8'), node, "the node's own file is untouched");
    assert.equal(
      (await exec('custom', ['cat', '/etc/resolv.conf'])).stdout,
      'search corp.example\nnameserver 192.0.2.53\noptions ndots:2 edns0\n',
    );
  });

  it("gives every container kubelet's managed /etc/hosts: its IP and name, then the hostAliases", async () => {
    const ip = (await kubectl.ok(['get', 'pod', 'client', '-o', 'jsonpath={.status.podIP}'])).trim();
    const hosts = (await exec('client', ['cat', '/etc/hosts'])).stdout;
    assert.match(hosts, /^# Kubernetes-managed hosts file\.$/m);
    assert.ok(hosts.split('\n').some((line) => line.startsWith(`${ip}\tclient`)), hosts);
    assert.match(hosts, /^192\.0\.2\.80\tlegacy\.example\tlegacy$/m);
    assert.equal((await exec('client', ['getent', 'hosts', 'legacy'])).stdout.split(/\s+/)[0], '192.0.2.80');
    assert.equal((await exec('client', ['getent', 'hosts', 'client'])).stdout.split(/\s+/)[0], ip);
    // The process runtime's pods see the node's hostname as their own: it resolves to the pod IP.
    const own = (await exec('client', ['hostname'])).stdout.trim();
    assert.equal((await exec('client', ['getent', 'hosts', own])).stdout.split(/\s+/)[0], ip, `hostname ${own}`);
    // Only inside the pod: the node's own file is untouched.
    assert.doesNotMatch(await readFile('/etc/hosts', 'utf8'), /legacy\.example/);
  });

  it('stopping the agent takes the DNS address off lo', async () => {
    assert.ok(dnsAddress !== '');
    const before = (await run('ip', ['-4', '-o', 'address', 'show', 'dev', 'lo'])).stdout;
    assert.ok(before.includes(` inet ${dnsAddress}/32`), before);
    assert.equal(await server.stop(), 0);
    const afterStop = (await run('ip', ['-4', '-o', 'address', 'show', 'dev', 'lo'])).stdout;
    assert.ok(!afterStop.includes(` inet ${dnsAddress}/`), afterStop);
  });
});
