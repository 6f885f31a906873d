// The Job and CronJob strategies inside the generic registry: what a create does that defaulting
// and validation alone cannot show (the selector generated from the uid the registry assigns, who
// owns it), what an update keeps, and the discovery facts kubectl reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../api/object.js';
import { FakeClock } from '../../../lib/clock.js';
import { MemoryStore } from '../../../storage/memory/memory-store.js';
import { DiscoveryDocuments } from '../../discovery/discovery-documents.js';
import { ApiRegistry } from '../api-registry.js';
import { InvalidError } from '../api-errors.js';
import { harness, WRITE } from '../registry-fixtures.test.js';
import { cronJobStrategy } from './cron-job.js';
import { builtinKinds } from './index.js';
import { jobStrategy } from './job.js';

/** `kubectl create job pi --image=perl -- perl -e 1`, as decoded. */
function kubectlCreateJob(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default' },
    spec: { template: { metadata: {}, spec: { containers: [{ name: 'pi', image: 'perl', command: ['perl', '-e', '1'], resources: {} }], restartPolicy: 'Never' } }, ...spec },
    status: {},
  };
}

type JobShape = { spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } } };

describe('batch/v1 Job in the registry', () => {
  it('generates the selector and pod labels from the uid it assigns, owned by no field manager', async () => {
    const { registry } = harness(jobStrategy);
    const { object } = await registry.create('default', kubectlCreateJob(), WRITE);
    const uid = object.metadata?.uid ?? '';
    assert.match(uid, /^[0-9a-f-]{36}$/);
    const job = object as unknown as JobShape;
    assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    assert.deepEqual(job.spec.template.metadata.labels, {
      'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi',
    });
    assert.deepEqual(object.metadata?.labels, job.spec.template.metadata.labels);
    assert.equal(object.metadata?.generation, 1);
    assert.deepEqual(object['status'], {});
    const owned = JSON.stringify(object.metadata?.managedFields?.[0]?.fieldsV1);
    assert.ok(owned.includes('"f:backoffLimit"') && owned.includes('"f:containers"'), owned);
    assert.ok(!owned.includes('f:selector') && !owned.includes('f:labels'), owned);
  });

  it('refuses a selector given without manualSelector, and accepts a manual one', async () => {
    const { registry } = harness(jobStrategy);
    const labelled = { metadata: { labels: { app: 'pi' } }, spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } };
    await assert.rejects(registry.create('default', kubectlCreateJob({ selector: { matchLabels: { app: 'pi' } }, template: labelled }), WRITE),
      (e: unknown) => e instanceof InvalidError && e.causes.length === 1 && e.causes[0]?.field === 'spec.selector' &&
        e.causes[0].message.endsWith('`selector` not auto-generated'));
    const { object } = await registry.create('default', kubectlCreateJob({ manualSelector: true, selector: { matchLabels: { app: 'pi' } }, template: labelled }), WRITE);
    assert.deepEqual((object as unknown as JobShape).spec.selector, { matchLabels: { app: 'pi' } });
  });

  it('keeps the generated selector on update: a mutable change bumps generation, a PUT without selector is refused', async () => {
    const { registry } = harness(jobStrategy);
    const { object: created } = await registry.create('default', kubectlCreateJob(), WRITE);
    const suspended = structuredClone(created);
    (suspended['spec'] as { suspend: boolean }).suspend = true;
    const { object: updated } = await registry.update('default', 'pi', suspended, WRITE);
    assert.equal(updated.metadata?.generation, 2);
    assert.deepEqual((updated as unknown as JobShape).spec.selector, (created as unknown as JobShape).spec.selector);
    // `kubectl replace -f` of the original manifest: upstream refuses it the same way.
    await assert.rejects(registry.update('default', 'pi', kubectlCreateJob(), WRITE),
      (e: unknown) => e instanceof InvalidError && e.causes.some((c) => c.field === 'spec.selector' && c.message === 'Required value'));
  });

  it('selects Jobs by status.successful', () => {
    const successful = jobStrategy.fieldSelectors['status.successful'];
    assert.equal(successful?.({ status: { succeeded: 2 } }), '2');
    assert.equal(successful?.({ status: {} }), '0');
  });
});

describe('batch/v1 discovery', () => {
  it('serves jobs and cronjobs (short name cj) in the all category, with status subresources', () => {
    const registry = new ApiRegistry({ store: new MemoryStore(), kinds: builtinKinds, clock: new FakeClock() });
    const discovery = new DiscoveryDocuments({ registry });
    const batch = discovery.apiResourceList('batch', 'v1') as { resources: { name: string; kind: string; shortNames?: string[]; categories?: string[] }[] };
    assert.deepEqual(batch.resources.map((r) => r.name).sort(), ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']);
    const byName = (name: string) => batch.resources.find((r) => r.name === name);
    assert.deepEqual([byName('cronjobs')?.kind, byName('cronjobs')?.shortNames, byName('cronjobs')?.categories], ['CronJob', ['cj'], ['all']]);
    assert.deepEqual([byName('jobs')?.kind, byName('jobs')?.shortNames, byName('jobs')?.categories], ['Job', undefined, ['all']]);
    assert.equal(cronJobStrategy.info.tracksGeneration, true);
    registry.close();
  });
});
