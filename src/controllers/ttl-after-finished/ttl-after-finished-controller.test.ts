import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JOBS } from '../../client/resource-types.js';
import { ControllerHarness } from '../framework/controller-harness.fixture.js';
import type { JobObject } from '../job/job-types.js';
import { ttlAfterFinishedController } from './ttl-after-finished-controller.js';

describe('ttlAfterFinishedController wiring', () => {
  let harness: ControllerHarness | undefined;
  afterEach(() => harness?.stop());

  it('a Job that finishes with an expired TTL is deleted; one without a TTL is not enqueued', async () => {
    harness = new ControllerHarness(ttlAfterFinishedController);
    const h = harness;
    await h.start();
    const jobs = h.clients.resource<JobObject>(JOBS);
    const spec = { template: { spec: { containers: [] } } };
    await jobs.create('default', { metadata: { name: 'keep' }, spec });
    await jobs.create('default', { metadata: { name: 'short' }, spec: { ...spec, ttlSecondsAfterFinished: 0 } });
    await h.settle();
    assert.deepEqual(h.keys, []);
    for (const name of ['keep', 'short']) {
      const live = await jobs.get('default', name);
      await jobs.updateStatus('default', { ...live, status: { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z' }] } });
    }
    await h.drain();
    assert.deepEqual((await jobs.list('default')).items.map((j) => j.metadata!.name), ['keep']);
  });
});
