import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { daemonSet } from './daemon-set-harness.fixture.js';
import { matchesRevisionData, templatePatch } from './revision-data.js';

describe('revision data', () => {
  it('is a strategic merge patch replacing spec.template', () => {
    const ds = daemonSet();
    assert.deepEqual(templatePatch(ds), { spec: { template: { ...ds.spec!.template, $patch: 'replace' } } });
  });

  it('matches regardless of key order and of a null template creationTimestamp, not another template', () => {
    const ds = daemonSet();
    const asUpstreamWritesIt = {
      spec: { template: { $patch: 'replace', spec: { containers: [{ image: 'agent:1', name: 'agent' }] }, metadata: { creationTimestamp: null, labels: { app: 'agent' } } } },
    };
    assert.ok(matchesRevisionData(ds, asUpstreamWritesIt));
    assert.ok(!matchesRevisionData(daemonSet({}, 'agent:2'), asUpstreamWritesIt));
  });
});
