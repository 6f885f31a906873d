// The self reviews over HTTP, through the real API server (JSON and kubectl's protobuf bodies):
// what `kubectl auth can-i [--list]` and `kubectl auth whoami [--as]` ask and get.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryStore } from '../../storage/memory/memory-store.js';
import { call, json, startHarness, stopHarness, type Harness } from '../http/test-server.fixture.js';
import { concat, envelope, ld, str } from '../protobuf/fixtures/proto-bytes.js';

const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
const SSRR = '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews';
const SSR = '/apis/authentication.k8s.io/v1/selfsubjectreviews';

function post(h: Harness, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call(h, path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } });
}

describe('self reviews (kubectl auth can-i / whoami)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ store: new MemoryStore() });
  });
  after(() => stopHarness(h));

  it('lists both groups in discovery, create only', async () => {
    const authz = await json(await call(h, '/apis/authorization.k8s.io/v1'));
    assert.deepEqual(authz.resources.map((r: { name: string; verbs: string[] }) => [r.name, r.verbs]), [
      ['selfsubjectaccessreviews', ['create']],
      ['selfsubjectrulesreviews', ['create']],
      ['subjectaccessreviews', ['create']],
    ]);
    const authn = await json(await call(h, '/apis/authentication.k8s.io/v1'));
    assert.deepEqual(authn.resources.map((r: { kind: string }) => r.kind), ['SelfSubjectReview', 'TokenReview']);
    const groups = await json(await call(h, '/apis'));
    const names = groups.groups.map((g: { name: string }) => g.name);
    assert.ok(names.includes('authorization.k8s.io') && names.includes('authentication.k8s.io'), names.join(','));
  });

  it('allows any access review (no authorization layer) and echoes the spec, 201', async () => {
    const spec = { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } };
    const response = await post(h, SSAR, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec });
    assert.equal(response.status, 201);
    const body = await json(response);
    assert.equal(body.kind, 'SelfSubjectAccessReview');
    assert.deepEqual(body.spec, spec);
    assert.equal(body.status.allowed, true);
  });

  it('decodes the protobuf body kubectl sends', async () => {
    // spec(2) { resourceAttributes(1) { namespace(1) "default", verb(2) "delete", resource(5) "secrets" } }
    const raw = concat(ld(1), ld(2, ld(1, str(1, 'default'), str(2, 'delete'), str(5, 'secrets'))));
    const response = await call(h, SSAR, { method: 'POST', body: envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', raw), headers: { 'Content-Type': 'application/vnd.kubernetes.protobuf' } });
    assert.equal(response.status, 201);
    const body = await json(response);
    assert.deepEqual(body.spec, { resourceAttributes: { namespace: 'default', verb: 'delete', resource: 'secrets' } });
    assert.equal(body.status.allowed, true);
  });

  it('refuses a review without attributes, with both, or with metadata: 422 as upstream', async () => {
    const none = await json(await post(h, SSAR, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {} }));
    assert.equal(none.code, 422);
    assert.match(none.message, /spec\.resourceAttributes: Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must be specified/);
    const both = await json(await post(h, SSAR, { spec: { resourceAttributes: { verb: 'get' }, nonResourceAttributes: { path: '/healthz', verb: 'get' } } }));
    assert.equal(both.code, 422);
    assert.match(both.message, /spec\.nonResourceAttributes: Invalid value: .*cannot be specified in combination with resourceAttributes/);
    const named = await json(await post(h, SSAR, { metadata: { name: 'x' }, spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } }));
    assert.equal(named.code, 422);
    assert.match(named.message, /metadata: Invalid value: .*must be empty/);
    // creationTimestamp: null is what kubectl create -f sends for an empty metadata.
    assert.equal((await post(h, SSAR, { metadata: { creationTimestamp: null }, spec: { nonResourceAttributes: { path: '/healthz', verb: 'get' } } })).status, 201);
  });

  it('allows a SubjectAccessReview about someone else, which must name a user or a group (422)', async () => {
    const spec = { user: 'system:serviceaccount:ns:robot', resourceAttributes: { verb: 'get', resource: 'pods', namespace: 'ns' } };
    const response = await post(h, '/apis/authorization.k8s.io/v1/subjectaccessreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
    assert.equal(response.status, 201);
    const body = await json(response);
    assert.equal(body.kind, 'SubjectAccessReview');
    assert.deepEqual(body.spec, spec);
    assert.equal(body.status.allowed, true);
    const nobody = await json(await post(h, '/apis/authorization.k8s.io/v1/subjectaccessreviews', { spec: { resourceAttributes: { verb: 'get' } } }));
    assert.equal(nobody.code, 422);
    assert.match(nobody.message, /spec\.user: Invalid value: "": at least one of user or group must be specified/);
  });

  it('answers the wildcard rules to a rules review', async () => {
    const body = await json(await post(h, SSRR, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } }));
    assert.deepEqual(body.status.resourceRules, [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }]);
    assert.deepEqual(body.status.nonResourceRules, [{ verbs: ['*'], nonResourceURLs: ['*'] }]);
    assert.equal(body.status.incomplete, false);
  });

  it('says who the caller is, and who it impersonates', async () => {
    const me = await json(await post(h, SSR, { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }));
    assert.deepEqual(me.status.userInfo, { username: 'admin', groups: ['system:masters', 'system:authenticated'] });
    const bob = await json(await post(h, SSR, {}, { 'Impersonate-User': 'bob', 'Impersonate-Group': 'dev' }));
    assert.deepEqual(bob.status.userInfo, { username: 'bob', groups: ['dev', 'system:authenticated'] });
    const groupOnly = await post(h, SSR, {}, { 'Impersonate-Group': 'dev' });
    assert.equal(groupOnly.status, 400);
    assert.match((await json(groupOnly)).message, /requires impersonating a user/);
  });

  it('refuses other methods (405), other versions and names (404), and unauthenticated callers (401)', async () => {
    assert.equal((await call(h, SSAR)).status, 405);
    assert.equal((await post(h, '/apis/authorization.k8s.io/v1beta1/selfsubjectaccessreviews', {})).status, 404);
    assert.equal((await post(h, `${SSAR}/x`, {})).status, 404);
    assert.equal((await post(h, '/apis/authorization.k8s.io/v1/localsubjectaccessreviews', {})).status, 404);
    // This harness has no token reviewer: as a server that cannot check tokens.
    assert.equal((await post(h, '/apis/authentication.k8s.io/v1/tokenreviews', { spec: { token: 'x' } })).status, 404);
    assert.equal((await call(h, SSR, { method: 'POST', body: '{}', token: null })).status, 401);
    const wrongKind = await post(h, SSR, { apiVersion: 'v1', kind: 'Pod' });
    assert.equal(wrongKind.status, 400);
  });
});
