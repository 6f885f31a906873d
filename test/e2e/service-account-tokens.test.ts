// ServiceAccount tokens end to end with the real kubectl against `k8ts server` (controllers on, no
// agent): every namespace gets a `default` ServiceAccount, `kubectl create token` prints a JWT
// that kubectl can then use as its credential (get, auth whoami), durations under 10 minutes are
// refused, a token bound to a pod dies with the pod, and expired or tampered tokens are 401.
import assert from 'node:assert/strict';
import { createPrivateKey, sign } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../helpers/eventually.js';
import { startServer, type RunningServer } from '../helpers/k8ts-server.js';
import { KUBECTL_132, kubectlFor, type Kubectl } from '../helpers/kubectl.js';

const UNAUTHORIZED = 'error: You must be logged in to the server (Unauthorized)';

function claimsOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, any>;
}

describe('ServiceAccount tokens (kubectl create token)', () => {
  let server: RunningServer;
  /** The first server: it owns the data dir (a restarted one does not remove it). */
  let first: RunningServer | undefined;
  let kubectl: Kubectl;
  const ok = async (args: readonly string[]) => {
    const result = await kubectl(args, { binary: KUBECTL_132 });
    assert.equal(result.code, 0, `kubectl ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };
  let configs = 0;
  /** A kubectl whose kubeconfig carries `token` instead of the admin token. */
  async function kubectlWith(token: string): Promise<Kubectl> {
    const admin = await readFile(server.kubeconfig, 'utf8');
    assert.ok(admin.includes(server.token));
    const path = join(server.dataDir, `kubeconfig-sa-${++configs}`);
    await writeFile(path, admin.replace(server.token, token), { mode: 0o600 });
    return kubectlFor(path);
  }
  /**
   * kubectl with `token`, sharing the admin's discovery cache: a refused token then fails on the
   * request itself (`(Unauthorized)`), not on discovery, which client-go words differently.
   */
  async function as(token: string, args: readonly string[]) {
    return (await kubectlWith(token))(['--cache-dir', kubectl.cacheDir, ...args], { binary: KUBECTL_132 });
  }

  before(async () => {
    server = await startServer({ controllers: true });
    first = server;
    kubectl = kubectlFor(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
    await first?.cleanup();
  });

  it('gives every namespace a default ServiceAccount, also new ones', async () => {
    await ok(['create', 'namespace', 'team']);
    for (const namespace of ['default', 'kube-system', 'team']) {
      await eventually(`serviceaccount default in ${namespace}`, async () => (await kubectl(['get', 'sa', 'default', '-n', namespace], { binary: KUBECTL_132 })).code === 0 || undefined);
    }
  });

  it('publishes the cluster CA as kube-root-ca.crt in every namespace, and puts it back', async () => {
    const ca = await readFile(join(server.dataDir, 'pki', 'ca.crt'), 'utf8');
    const published = async (namespace: string) => (await kubectl.ok(['-n', namespace, 'get', 'configmap', 'kube-root-ca.crt', '-o', 'jsonpath={.data.ca\\.crt}'])).trim();
    await kubectl.ok(['create', 'namespace', 'ca-check']);
    await eventually('kube-root-ca.crt in a new namespace', async () => ((await published('ca-check')) === ca.trim() ? true : undefined));
    assert.equal(await published('kube-system'), ca.trim());
    await kubectl.ok(['-n', 'ca-check', 'delete', 'configmap', 'kube-root-ca.crt']);
    await eventually('kube-root-ca.crt restored', async () => ((await published('ca-check')) === ca.trim() ? true : undefined));
  });

  it('prints a token kubectl can use: get pods, auth whoami', async () => {
    const token = (await ok(['create', 'token', 'default'])).trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = claimsOf(token);
    assert.equal(claims['sub'], 'system:serviceaccount:default:default');
    assert.equal(claims['exp'] - claims['iat'], 3600);
    const pods = await as(token, ['get', 'pods']);
    assert.equal(pods.code, 0, pods.stderr);
    const whoami = await as(token, ['auth', 'whoami']);
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.match(whoami.stdout, /^Username\s+system:serviceaccount:default:default$/m);
    assert.match(whoami.stdout, /^Groups\s+\[system:serviceaccounts system:serviceaccounts:default system:authenticated\]$/m);
    // The token names the ServiceAccount by uid: a recreated account does not honour it.
    const teamToken = (await ok(['create', 'token', 'default', '-n', 'team'])).trim();
    assert.equal((await as(teamToken, ['get', 'ns', 'team'])).code, 0);
    await ok(['delete', 'sa', 'default', '-n', 'team']);
    const refused = await as(teamToken, ['get', 'ns', 'team']);
    assert.equal(refused.stderr.trim(), UNAUTHORIZED);
  });

  it('honours --duration, and refuses less than 10 minutes as upstream', async () => {
    const token = (await ok(['create', 'token', 'default', '--duration=10m'])).trim();
    const claims = claimsOf(token);
    assert.equal(claims['exp'] - claims['iat'], 600);
    const short = await kubectl(['create', 'token', 'default', '--duration=5m'], { binary: KUBECTL_132 });
    assert.notEqual(short.code, 0);
    assert.match(short.stderr, /spec\.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/);
    const missing = await kubectl(['create', 'token', 'nobody'], { binary: KUBECTL_132 });
    assert.equal(missing.stderr.trim(), 'error: failed to create token: serviceaccounts "nobody" not found');
  });

  it('binds a token to a pod: it works while the pod exists and is refused after it is deleted', async () => {
    await ok(['run', 'bound', '--image=k8ts.test/none:1']);
    const token = (await ok(['create', 'token', 'default', '--bound-object-kind', 'Pod', '--bound-object-name', 'bound'])).trim();
    assert.equal(claimsOf(token)['kubernetes.io'].pod.name, 'bound');
    const whoami = await as(token, ['auth', 'whoami']);
    assert.match(whoami.stdout, /authentication\.kubernetes\.io\/pod-name\s+\[bound\]/);
    await ok(['delete', 'pod', 'bound', '--wait=true']);
    const refused = await as(token, ['get', 'pods']);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trim(), UNAUTHORIZED);
    const gone = await kubectl(['create', 'token', 'default', '--bound-object-kind', 'Pod', '--bound-object-name', 'bound'], { binary: KUBECTL_132 });
    assert.equal(gone.stderr.trim(), 'error: failed to create token: pods "bound" not found');
  });

  it('refuses a tampered token and an expired one (signed with the server key) with 401', async () => {
    const token = (await ok(['create', 'token', 'default'])).trim();
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const admin = Buffer.from(JSON.stringify({ ...claimsOf(token), sub: 'system:serviceaccount:kube-system:default' })).toString('base64url');
    assert.equal((await as(`${header}.${admin}.${signature}`, ['get', 'pods'])).stderr.trim(), UNAUTHORIZED);
    // Expired two minutes ago (past the one-minute leeway), otherwise a perfectly valid token.
    const now = Math.floor(Date.now() / 1000);
    const expired = Buffer.from(JSON.stringify({ ...claimsOf(token), iat: now - 3600, nbf: now - 3600, exp: now - 120 })).toString('base64url');
    const key = createPrivateKey(await readFile(join(server.dataDir, 'pki', 'sa.key'), 'utf8'));
    const resigned = sign('sha256', Buffer.from(`${header}.${expired}`), key).toString('base64url');
    assert.equal((await as(`${header}.${expired}.${resigned}`, ['get', 'pods'])).stderr.trim(), UNAUTHORIZED);
    // The same re-signing with a live exp is accepted: the refusal above is the expiry.
    const live = Buffer.from(JSON.stringify({ ...claimsOf(token), exp: now + 600 })).toString('base64url');
    const liveSignature = sign('sha256', Buffer.from(`${header}.${live}`), key).toString('base64url');
    assert.equal((await as(`${header}.${live}.${liveSignature}`, ['get', 'pods'])).code, 0);
    // And the original, untouched, is fine: only the changes were refused.
    assert.equal((await as(`${header}.${payload}.${signature}`, ['get', 'pods'])).code, 0);
  });

  it('answers TokenReviews (what in-cluster components ask about their callers), also for a token minted for another audience', async () => {
    const reviewOf = async (spec: Record<string, unknown>) => {
      const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec });
      return JSON.parse(await kubectl.ok(['create', '--raw', '/apis/authentication.k8s.io/v1/tokenreviews', '-f', '-'], { input: body })) as Record<string, any>;
    };
    const token = (await ok(['create', 'token', 'default'])).trim();
    const valid = await reviewOf({ token });
    assert.equal(valid.status.authenticated, true);
    assert.equal(valid.status.user.username, 'system:serviceaccount:default:default');
    assert.deepEqual(valid.status.audiences, ['https://kubernetes.default.svc.cluster.local']);
    const vault = (await ok(['create', 'token', 'default', '--audience', 'vault'])).trim();
    assert.equal((await as(vault, ['get', 'pods'])).stderr.trim(), UNAUTHORIZED, 'not a token for the API');
    const forVault = await reviewOf({ token: vault, audiences: ['vault'] });
    assert.equal(forVault.status.authenticated, true);
    assert.deepEqual(forVault.status.audiences, ['vault']);
    const wrongAudience = await reviewOf({ token: vault });
    assert.equal(wrongAudience.status.authenticated, undefined);
    assert.match(wrongAudience.status.error, /invalid for the target audiences/);
    const garbage = await reviewOf({ token: 'not-a-token' });
    assert.deepEqual(garbage.status, { user: {}, error: 'invalid bearer token' });
    const sar = JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'system:serviceaccount:default:default', resourceAttributes: { verb: 'list', resource: 'pods' } } });
    const allowed = JSON.parse(await kubectl.ok(['create', '--raw', '/apis/authorization.k8s.io/v1/subjectaccessreviews', '-f', '-'], { input: sar })) as Record<string, any>;
    assert.equal(allowed.status.allowed, true);
  });

  it('keeps the signing key across restarts, so issued tokens stay valid', async () => {
    const token = (await ok(['create', 'token', 'default'])).trim();
    await server.stop();
    server = await startServer({ controllers: true, dataDir: server.dataDir, port: server.port });
    kubectl = kubectlFor(server.kubeconfig);
    const pods = await as(token, ['get', 'pods']);
    assert.equal(pods.code, 0, pods.stderr);
  });
});
