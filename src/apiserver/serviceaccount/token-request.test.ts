// serviceaccounts/token through the real API server (JSON and kubectl's protobuf bodies), and the
// tokens it issues used as credentials on the same server.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/object.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { createApiServer, type ApiServer } from '../api-server.js';
import { TokenAuthenticator } from '../auth/token-authenticator.js';
import { UnionAuthenticator } from '../auth/union-authenticator.js';
import { ApiMetrics } from '../metrics/api-metrics.js';
import { concat, envelope, ld, str, vint } from '../protobuf/fixtures/proto-bytes.js';
import { ApiRegistry } from '../registry/api-registry.js';
import { builtinKinds } from '../registry/kinds/index.js';
import { peekJwtPayload } from './jwt.js';
import { registryLookup, ServiceAccountAuthenticator } from './service-account-authenticator.js';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER, ServiceAccountTokens } from './service-account-tokens.js';

const ADMIN = 'admin-token';
const WRITE = { dryRun: false, fieldValidation: 'Ignore' } as const;
const SA_TOKEN = '/api/v1/namespaces/default/serviceaccounts/default/token';
const PROTOBUF = 'application/vnd.kubernetes.protobuf';
/** What `kubectl create token default` (1.32) POSTs: an empty TokenRequest, captured with -v=8. */
const KUBECTL_DEFAULT_BODY = Buffer.from(
  '6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e52657175657374121a' +
    '0a100a0012001a0022002a00320038004200120' + '01a040a0012001a0022' + '00',
  'hex',
);

describe('serviceaccounts/token', () => {
  const clock = new FakeClock({ start: new Date('2026-03-01T12:00:00Z') });
  const store = new MemoryStore();
  const registry = new ApiRegistry({ store, kinds: builtinKinds, clock });
  const tokens = new ServiceAccountTokens({ ...generateKeyPairSync('rsa', { modulusLength: 2048 }), clock });
  let api: ApiServer;
  let base: string;
  let podUid: string;

  before(async () => {
    api = createApiServer({
      registry,
      openapi: { root: () => ({ paths: {} }), groupVersion: () => undefined },
      authenticator: new UnionAuthenticator({
        authenticators: [
          new TokenAuthenticator({ tokens: new Map([[ADMIN, { name: 'admin', groups: ['system:masters'] }]]) }),
          new ServiceAccountAuthenticator({ tokens, lookup: registryLookup(registry), clock, logger: silentLogger() }),
        ],
      }),
      serviceAccountTokens: tokens,
      logger: silentLogger(),
      metrics: new ApiMetrics(),
      clock,
    });
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`;
    const create = (resource: string, namespace: string | undefined, body: KubeObject) => registry.lookup('', 'v1', resource)!.create(namespace, body, WRITE);
    await create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    for (const name of ['default', 'other']) await create('serviceaccounts', 'default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name } });
    const pod = await create('pods', 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    podUid = pod.object.metadata?.uid ?? '';
    await create('secrets', 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
  });
  after(async () => {
    await api.close();
    registry.close();
    await store.close();
  });

  function call(path: string, init: { method?: string; body?: string | Uint8Array; type?: string; token?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${init.token ?? ADMIN}` };
    if (init.type) headers['content-type'] = init.type;
    return fetch(`${base}${path}`, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: init.body } : {}) });
  }

  async function request(body: unknown, path = SA_TOKEN): Promise<{ status: number; json: KubeObject & Record<string, any> }> {
    const response = await call(path, { method: 'POST', body: JSON.stringify(body), type: 'application/json' });
    return { status: response.status, json: (await response.json()) as KubeObject };
  }

  it('answers kubectl create token (protobuf, empty spec) with a one-hour token for the API audience', async () => {
    const response = await call(SA_TOKEN, { method: 'POST', body: KUBECTL_DEFAULT_BODY, type: PROTOBUF });
    assert.equal(response.status, 201);
    const body = (await response.json()) as Record<string, any>;
    assert.equal(body.apiVersion, 'authentication.k8s.io/v1');
    assert.equal(body.kind, 'TokenRequest');
    assert.deepEqual(body.metadata, { name: 'default', namespace: 'default', creationTimestamp: '2026-03-01T12:00:00Z' });
    assert.deepEqual(body.spec, { audiences: [DEFAULT_SERVICE_ACCOUNT_ISSUER], expirationSeconds: 3600 });
    assert.equal(body.status.expirationTimestamp, '2026-03-01T13:00:00Z');
    const claims = peekJwtPayload(body.status.token as string);
    assert.equal(claims?.['sub'], 'system:serviceaccount:default:default');
    assert.equal(claims?.['exp'], Date.parse('2026-03-01T13:00:00Z') / 1000);
  });

  it('decodes duration and a bound pod from protobuf, and puts the pod in the claims', async () => {
    // spec(2) { audiences(1), boundObjectRef(3) { kind(1), apiVersion(2), name(3) }, expirationSeconds(4) }
    const spec = ld(2, str(1, DEFAULT_SERVICE_ACCOUNT_ISSUER), ld(3, str(1, 'Pod'), str(2, 'v1'), str(3, 'web')), vint(4, 600));
    const response = await call(SA_TOKEN, { method: 'POST', body: envelope('authentication.k8s.io/v1', 'TokenRequest', concat(ld(1), spec)), type: PROTOBUF });
    assert.equal(response.status, 201);
    const body = (await response.json()) as Record<string, any>;
    assert.equal(body.spec.expirationSeconds, 600);
    assert.deepEqual(body.spec.boundObjectRef, { kind: 'Pod', apiVersion: 'v1', name: 'web' });
    const claims = peekJwtPayload(body.status.token as string);
    assert.deepEqual((claims?.['kubernetes.io'] as Record<string, unknown>)['pod'], { name: 'web', uid: podUid });
  });

  it('extends a pod-bound 3607 s token for the API audience to a year, warnafter at 3607 s (upstream default)', async () => {
    const pod = { kind: 'Pod', apiVersion: 'v1', name: 'web' };
    const now = Date.parse('2026-03-01T12:00:00Z') / 1000;
    const extended = await request({ spec: { expirationSeconds: 3607, boundObjectRef: pod } });
    assert.equal(extended.status, 201);
    assert.equal(extended.json.status.expirationTimestamp, '2026-03-01T13:00:07Z', 'the status reports what was asked');
    const claims = peekJwtPayload(extended.json.status.token as string);
    assert.equal(claims?.['exp'], now + 365 * 24 * 3600);
    assert.equal((claims?.['kubernetes.io'] as Record<string, unknown>)['warnafter'], now + 3607);
    // Not extended: another duration, no pod binding, or another audience.
    for (const spec of [{ expirationSeconds: 3600, boundObjectRef: pod }, { expirationSeconds: 3607 }, { expirationSeconds: 3607, boundObjectRef: pod, audiences: ['vault'] }]) {
      const plain = await request({ spec });
      const c = peekJwtPayload(plain.json.status.token as string);
      assert.equal(c?.['exp'], now + spec.expirationSeconds, JSON.stringify(spec));
      assert.equal((c?.['kubernetes.io'] as Record<string, unknown>)['warnafter'], undefined);
    }
  });

  it('refuses durations under 10 minutes or over 2^32 seconds, and a body naming another account (422)', async () => {
    const short = await request({ spec: { expirationSeconds: 599 } });
    assert.equal(short.status, 422);
    assert.equal(short.json['message'], 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes');
    const long = await request({ spec: { expirationSeconds: 2 ** 32 + 1 } });
    assert.equal(long.status, 422);
    assert.match(long.json['message'] as string, /may not specify a duration larger than 2\^32 seconds/);
    const named = await request({ metadata: { name: 'other' }, spec: {} });
    assert.equal(named.status, 422);
    assert.match(named.json['message'] as string, /metadata\.name: Invalid value: "other": must match the service account name if specified/);
  });

  it('answers 404 for a missing ServiceAccount or bound object, as upstream words it', async () => {
    const missing = await request({}, '/api/v1/namespaces/default/serviceaccounts/nope/token');
    assert.equal(missing.status, 404);
    assert.equal(missing.json['message'], 'serviceaccounts "nope" not found');
    const pod = await request({ spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'gone' } } });
    assert.equal(pod.status, 404);
    assert.equal(pod.json['message'], 'pods "gone" not found');
  });

  it('refuses other kinds (400), a pod of another account (400) and a stale uid (409)', async () => {
    const kind = await request({ spec: { boundObjectRef: { kind: 'ConfigMap', apiVersion: 'v1', name: 'x' } } });
    assert.equal(kind.status, 400);
    assert.equal(kind.json['message'], 'cannot bind token to object of type /v1, Kind=ConfigMap');
    const other = await request({ spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web' } } }, '/api/v1/namespaces/default/serviceaccounts/other/token');
    assert.equal(other.status, 400);
    assert.equal(other.json['message'], 'cannot bind token for serviceaccount "other" to pod running with different serviceaccount name.');
    const stale = await request({ spec: { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 's', uid: 'old' } } });
    assert.equal(stale.status, 409);
    assert.match(stale.json['message'] as string, /^Operation cannot be fulfilled on Secret "s": the UID in the bound object reference \(old\) does not match/);
  });

  it('binds to a Node, and records a bound pod\'s node when it has one', async () => {
    const node = await registry.lookup('', 'v1', 'nodes')!.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }, WRITE);
    const bound = await request({ spec: { boundObjectRef: { kind: 'Node', apiVersion: 'v1', name: 'n1' } } });
    assert.equal(bound.status, 201);
    const claims = peekJwtPayload(bound.json['status'].token as string)?.['kubernetes.io'] as Record<string, unknown>;
    assert.deepEqual(claims['node'], { name: 'n1', uid: node.object.metadata?.uid });
    assert.equal(claims['pod'], undefined);
    await registry.lookup('', 'v1', 'pods')!.create('default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'placed' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] },
    }, WRITE);
    const placed = await request({ spec: { boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'placed' } } });
    const podClaims = peekJwtPayload(placed.json['status'].token as string)?.['kubernetes.io'] as Record<string, unknown>;
    assert.deepEqual(podClaims['node'], { name: 'n1', uid: node.object.metadata?.uid });
    assert.equal((podClaims['pod'] as { name: string }).name, 'placed');
  });

  it('is create only (405) and listed in discovery as upstream lists it', async () => {
    assert.equal((await call(SA_TOKEN)).status, 405);
    const list = (await (await call('/api/v1')).json()) as { resources: { name: string }[] };
    assert.deepEqual(list.resources.find((r) => r.name === 'serviceaccounts/token'), {
      name: 'serviceaccounts/token', singularName: '', namespaced: true, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'],
    });
  });

  it('issues tokens that authenticate as the ServiceAccount until it is deleted', async () => {
    const issued = await request({ spec: {} }, '/api/v1/namespaces/default/serviceaccounts/other/token');
    const token = issued.json['status'].token as string;
    assert.equal((await call('/api/v1/namespaces/default/pods', { token })).status, 200);
    const review = await call('/apis/authentication.k8s.io/v1/selfsubjectreviews', { method: 'POST', body: '{}', type: 'application/json', token });
    const userInfo = ((await review.json()) as Record<string, any>).status.userInfo;
    assert.equal(userInfo.username, 'system:serviceaccount:default:other');
    assert.deepEqual(userInfo.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    assert.equal((await call('/api/v1/namespaces/default/pods', { token: `${token.slice(0, -4)}AAAA` })).status, 401);
    await registry.lookup('', 'v1', 'serviceaccounts')!.delete('default', 'other', { dryRun: false });
    assert.equal((await call('/api/v1/namespaces/default/pods', { token })).status, 401);
  });
});
