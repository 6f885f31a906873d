// ServiceAccount token volumes end to end with the real kubectl against `k8ts server` (controllers,
// scheduler, process runtime, root): every pod gets kube-api-access-* with upstream's projected
// sources and a read-only mount at /var/run/secrets/kubernetes.io/serviceaccount; a pod reads
// token, ca.crt and namespace there, and the API server accepts the token (until the pod is
// gone); automountServiceAccountToken: false leaves it out; and a pod calls the API server from its
// own network namespace through the `kubernetes` Service (cluster IP, the CA from the volume); and
// an edited ConfigMap reaches a running pod's configMap volume (--volume-resync-period 2s here),
// but not a file mounted with subPath (as upstream), while the token volume keeps resyncing.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { eventually } from '../helpers/eventually.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { kubectlFor, type Kubectl } from '../helpers/kubectl.js';

const NODE = 'sa-volume-e2e-node';
const MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const root = process.getuid?.() === 0;

function pod(name: string, command: string[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: { terminationGracePeriodSeconds: 1, restartPolicy: 'Never', containers: [{ name: 'main', image: 'k8ts.test/sa:1', command }], ...extra },
  });
}

function claimsOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, any>;
}

/** From inside the pod: GET its own pod object with the mounted token and CA, print the status code. */
const CALL_API = `
const fs = require('fs'), https = require('https');
const dir = '${MOUNT}';
const ns = fs.readFileSync(dir + '/namespace', 'utf8');
const req = https.get({
  host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT, timeout: 5000,
  path: '/api/v1/namespaces/' + ns + '/pods/' + process.env.HOSTNAME,
  ca: fs.readFileSync(dir + '/ca.crt'), headers: { Authorization: 'Bearer ' + fs.readFileSync(dir + '/token', 'utf8') },
}, (res) => { let body = ''; res.on('data', (c) => body += c); res.on('end', () => { console.log('status=' + res.statusCode + ' name=' + JSON.parse(body).metadata?.name); }); });
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', (e) => console.log('error=' + e.message));
`;

describe('ServiceAccount token volume (kube-api-access)', { skip: root ? false : 'needs root (mount namespaces, pod network)', timeout: 300_000 }, () => {
  let server: RunningServer;
  let kubectl: Kubectl;
  const getPod = async (name: string): Promise<Pod> => JSON.parse(await kubectl.ok(['get', 'pod', name, '-o', 'json'])) as Pod;
  const finished = (name: string) => eventually(`${name} finished`, async () => {
    const p = await getPod(name);
    return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed' ? p : undefined;
  }, 120_000);

  before(async () => {
    server = await startServer({
      store: 'memory', workloads: true,
      extraArgs: ['--node-name', NODE, '--address', '127.0.0.1', '--service-cluster-ip-range', '10.49.0.0/16', '--proxy-mode', 'iptables', '--proxy-healthz-address', '127.0.0.1:0', '--volume-resync-period', '2s'],
    });
    kubectl = kubectlFor(server.kubeconfig);
    await eventually('the default ServiceAccount and kube-root-ca.crt', async () =>
      (await kubectl(['get', 'sa/default', 'configmap/kube-root-ca.crt'])).code === 0 || undefined);
  });
  after(async () => {
    await server?.stop();
    await server?.cleanup();
  });

  it('adds the projected volume and read-only mounts, as kubectl get -o yaml shows on a real cluster', async () => {
    await kubectl.ok(['apply', '-f', '-'], { input: pod('shape', ['sh', '-c', 'exit 0'], { initContainers: [{ name: 'init', image: 'k8ts.test/sa:1', command: ['true'] }] }) });
    const p = await getPod('shape');
    assert.equal(p.spec?.serviceAccountName, 'default');
    assert.equal(p.spec?.serviceAccount, 'default');
    const volume = p.spec?.volumes?.find((v) => v.name.startsWith('kube-api-access-'));
    assert.ok(volume, JSON.stringify(p.spec?.volumes));
    assert.match(volume.name, /^kube-api-access-[a-z0-9]{5}$/);
    assert.deepEqual(volume.projected, {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    });
    for (const c of [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])]) {
      assert.deepEqual(c.volumeMounts, [{ name: volume.name, mountPath: MOUNT, readOnly: true }], c.name);
    }
    const yaml = await kubectl.ok(['get', 'pod', 'shape', '-o', 'yaml']);
    assert.match(yaml, /- mountPath: \/var\/run\/secrets\/kubernetes.io\/serviceaccount\n\s+name: kube-api-access-\w{5}\n\s+readOnly: true/);
    assert.match(yaml, /- serviceAccountToken:\n\s+expirationSeconds: 3607\n\s+path: token/);
  });

  it('a pod reads token, ca.crt and namespace; the API server accepts the token until the pod is gone', async () => {
    const script = `cat ${MOUNT}/token; echo; cat ${MOUNT}/namespace; echo; cat ${MOUNT}/ca.crt; ls -l ${MOUNT}/; touch ${MOUNT}/x 2>/dev/null && echo writable || echo read-only`;
    await kubectl.ok(['apply', '-f', '-'], { input: pod('reader', ['sh', '-c', script]) });
    const done = await finished('reader');
    assert.equal(done.status?.phase, 'Succeeded');
    const log = await kubectl.ok(['logs', 'reader']);
    const [token = '', namespace, ...rest] = log.split('\n');
    assert.equal(namespace, 'default');
    const ca = rest.join('\n').slice(0, rest.join('\n').indexOf('-----END CERTIFICATE-----') + 25);
    const caConfigMap = await kubectl.ok(['get', 'configmap', 'kube-root-ca.crt', '-o', 'jsonpath={.data.ca\\.crt}']);
    assert.equal(ca.trim(), caConfigMap.trim());
    assert.ok(new X509Certificate(ca).ca);
    assert.match(log, /read-only\n?$/);
    // kubelet's AtomicWriter layout: each file is a symlink into the swapped `..data` directory.
    assert.match(log, /token -> \.\.data\/token/);
    const claims = claimsOf(token);
    assert.equal(claims['sub'], 'system:serviceaccount:default:default');
    assert.equal(claims['kubernetes.io'].pod.name, 'reader');
    assert.equal(claims['kubernetes.io'].pod.uid, done.metadata?.uid);
    // Upstream's extension of kube-api-access tokens: valid a year, refreshed after 80% of 3607 s.
    assert.equal(claims['kubernetes.io'].warnafter - claims['iat'], 3607);
    assert.equal(claims['exp'] - claims['iat'], 365 * 24 * 3600);
    const whoami = await kubectl.ok(['--token', token, 'auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
    assert.equal(whoami, 'system:serviceaccount:default:default');
    assert.equal(await kubectl.ok(['--token', token, 'get', 'pod', 'reader', '-o', 'jsonpath={.metadata.name}']), 'reader');
    await kubectl.ok(['delete', 'pod', 'reader', '--wait=true']);
    const refused = await kubectl(['--token', token, 'get', 'pod', 'shape']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Unauthorized/);
  });

  it('automountServiceAccountToken: false (pod or ServiceAccount) adds no volume', async () => {
    await kubectl.ok(['apply', '-f', '-'], { input: pod('opted-out', ['true'], { automountServiceAccountToken: false }) });
    const p = await getPod('opted-out');
    assert.equal(p.spec?.volumes, undefined);
    assert.equal(p.spec?.containers[0]?.volumeMounts, undefined);
    await kubectl.ok(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'quiet' }, automountServiceAccountToken: false }) });
    await kubectl.ok(['apply', '-f', '-'], { input: pod('quiet', ['true'], { serviceAccountName: 'quiet' }) });
    assert.equal((await getPod('quiet')).spec?.volumes, undefined);
    assert.equal((await finished('quiet')).status?.phase, 'Succeeded');
  });

  it('a pod naming a missing ServiceAccount is refused (403, upstream wording)', async () => {
    const result = await kubectl(['apply', '-f', '-'], { input: pod('ghostly', ['true'], { serviceAccountName: 'ghost' }) });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /pods "ghostly" is forbidden: error looking up service account default\/ghost: serviceaccount "ghost" not found/);
  });

  it('an edited ConfigMap reaches the running pod\'s volume; a subPath file keeps its content', async () => {
    // The process runtime creates missing mount points on the host: a directory of this test's own.
    const dir = `/tmp/k8ts-e2e-volume-resync-${process.pid}`;
    try {
      await kubectl.ok(['create', 'configmap', 'settings', '--from-literal=greeting=hello']);
      await kubectl.ok(['apply', '-f', '-'], {
        input: pod('follower', [], {
          volumes: [{ name: 'settings', configMap: { name: 'settings' } }],
          containers: [{
            name: 'main', image: 'k8ts.test/sa:1', command: ['sleep', '600'],
            volumeMounts: [{ name: 'settings', mountPath: `${dir}/all` }, { name: 'settings', mountPath: `${dir}/greeting`, subPath: 'greeting' }],
          }],
        }),
      });
      const cat = async (file: string) => {
        const result = await kubectl(['exec', 'follower', '--', 'cat', file]);
        return result.code === 0 ? result.stdout : undefined;
      };
      assert.equal(await eventually('follower running', () => cat(`${dir}/all/greeting`), 120_000), 'hello');
      assert.equal(await cat(`${dir}/greeting`), 'hello');
      const edited = await kubectl.ok(['create', 'configmap', 'settings', '--from-literal=greeting=bonjour', '--dry-run=client', '-o', 'yaml']);
      await kubectl.ok(['apply', '-f', '-'], { input: edited });
      await eventually('the new content in the volume', async () => ((await cat(`${dir}/all/greeting`)) === 'bonjour' ? true : undefined), 60_000);
      assert.equal(await cat(`${dir}/greeting`), 'hello', 'subPath: the file bind-mounted at start keeps its content');
      // The kube-api-access volume resynced too: its token is still the one the pod was given.
      const token = await kubectl.ok(['exec', 'follower', '--', 'cat', `${MOUNT}/token`]);
      assert.equal(claimsOf(token)['kubernetes.io'].pod.name, 'follower');
      assert.deepEqual(JSON.parse(await kubectl.ok(['get', 'events', '--field-selector', 'reason=FailedMount', '-o', 'json'])).items, []);
    } finally {
      await kubectl(['delete', 'pod', 'follower', '--wait=true']);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a pod calls the API server from its own network namespace through the kubernetes Service', async () => {
    await kubectl.ok(['apply', '-f', '-'], { input: pod('caller', ['node', '-e', CALL_API]) });
    const done = await finished('caller');
    const log = await kubectl.ok(['logs', 'caller']);
    assert.equal(log.trim(), 'status=200 name=caller', `phase ${done.status?.phase}: ${log}`);
  });
});
