import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { defaultPodTemplateSpec } from '../../api/defaults/pod-spec.js';
import type { JsonRecord } from '../../api/validation/json-access.js';
import { computePodTemplateHash, equalIgnoreHash, safeEncodeString } from './pod-template-hash.js';

const base: PodTemplateSpec = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'nginx:1', ports: [{ containerPort: 80 }] }] },
};

/** What `kubectl rollout undo` sends back: server defaults filled in, creationTimestamp null. */
function asUndoSendsIt(template: PodTemplateSpec): PodTemplateSpec {
  const copy = structuredClone(template) as JsonRecord;
  defaultPodTemplateSpec(copy);
  (copy.metadata as JsonRecord).creationTimestamp = null;
  return copy;
}

test('safeEncodeString maps characters onto the consonant/digit alphabet like upstream', () => {
  // '0' is code 48: 48 % 27 = 21 -> '4'; '9' is 57 % 27 = 3 -> 'f'.
  assert.equal(safeEncodeString('09'), '4f');
  assert.match(safeEncodeString('1234567890'), /^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
});

test('the same template always gets the same hash, of at most 10 safe characters', () => {
  const a = computePodTemplateHash(base);
  assert.equal(computePodTemplateHash(structuredClone(base)), a);
  assert.match(a, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
});

test('creationTimestamp null, server defaults and key order do not change the hash', () => {
  const undo = asUndoSendsIt(base);
  assert.equal(computePodTemplateHash(undo), computePodTemplateHash(base));
  const reordered: PodTemplateSpec = { spec: { containers: [{ image: 'nginx:1', name: 'app', ports: [{ containerPort: 80 }] }] }, metadata: { labels: { app: 'web' } } };
  assert.equal(computePodTemplateHash(reordered), computePodTemplateHash(base));
});

test('a different template or a collisionCount gives a different hash', () => {
  const other = structuredClone(base);
  const container = other.spec?.containers[0];
  if (container) container.image = 'nginx:2';
  assert.notEqual(computePodTemplateHash(other), computePodTemplateHash(base));
  assert.notEqual(computePodTemplateHash(base, 1), computePodTemplateHash(base));
  assert.notEqual(computePodTemplateHash(base, 1), computePodTemplateHash(base, 2));
});

test('equalIgnoreHash ignores pod-template-hash and normalisation but not real changes', () => {
  const stored = structuredClone(base);
  stored.metadata = { labels: { app: 'web', 'pod-template-hash': 'abc' } };
  assert.ok(equalIgnoreHash(stored, base));
  assert.ok(equalIgnoreHash(asUndoSendsIt(stored), base));
  const restarted = structuredClone(base);
  restarted.metadata = { ...restarted.metadata, annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' } };
  assert.ok(!equalIgnoreHash(restarted, base));
  const relabelled = structuredClone(base);
  relabelled.metadata = { labels: { app: 'web', tier: 'x' } };
  assert.ok(!equalIgnoreHash(relabelled, base));
});
