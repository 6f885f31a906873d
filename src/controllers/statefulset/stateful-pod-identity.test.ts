import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { identityMatches, isMemberOf, parsePodName } from './stateful-pod-identity.js';
import { statefulSet } from './stateful-set-harness.fixture.js';

describe('stateful pod identity', () => {
  it('parses the parent and ordinal from the end of the name', () => {
    assert.deepEqual(parsePodName('web-0'), { parent: 'web', ordinal: 0 });
    assert.deepEqual(parsePodName('my-db-12'), { parent: 'my-db', ordinal: 12 });
    assert.deepEqual(parsePodName('web-2147483648'), { parent: 'web', ordinal: -1 }, 'past int32: no ordinal');
    assert.equal(parsePodName('web'), undefined);
    assert.equal(parsePodName('web-1a'), undefined);
  });

  it('a member is named after the set', () => {
    const set = statefulSet();
    assert.equal(isMemberOf(set, { metadata: { name: 'web-3' } }), true);
    assert.equal(isMemberOf(set, { metadata: { name: 'web-db-3' } }), false);
    assert.equal(isMemberOf(set, { metadata: { name: 'webs-3' } }), false);
  });

  it('identity needs the namespace and the pod-name label', () => {
    const set = statefulSet();
    const labels = { 'statefulset.kubernetes.io/pod-name': 'web-1' };
    assert.equal(identityMatches(set, { metadata: { name: 'web-1', namespace: 'default', labels } }), true);
    assert.equal(identityMatches(set, { metadata: { name: 'web-1', namespace: 'other', labels } }), false);
    assert.equal(identityMatches(set, { metadata: { name: 'web-1', namespace: 'default' } }), false);
  });
});
