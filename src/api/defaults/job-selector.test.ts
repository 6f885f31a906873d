import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../object.js';
import { defaultJob } from './job.js';
import { generateJobSelector } from './job-selector.js';

const UID = '0f9a4b2c-1111-4222-8333-444455556666';
const generated = {
  'batch.kubernetes.io/controller-uid': UID,
  'batch.kubernetes.io/job-name': 'pi',
  'controller-uid': UID,
  'job-name': 'pi',
};

/** A Job as the registry holds it at admission: uid assigned, defaults applied. */
function created(spec: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject {
  const job: KubeObject = {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: UID, ...(labels ? { labels } : {}) },
    spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } }, ...spec },
  };
  defaultJob(job);
  generateJobSelector(job);
  return job;
}

const specOf = (job: KubeObject) => job['spec'] as { selector?: unknown; template: { metadata?: { labels?: unknown } } };

describe('generateJobSelector', () => {
  it('selects the new uid and labels the template (prefixed and legacy) and the Job', () => {
    const job = created();
    assert.deepEqual(specOf(job).selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } });
    assert.deepEqual(specOf(job).template.metadata?.labels, generated);
    assert.deepEqual(job.metadata?.labels, generated);
  });

  it('adds to template labels, which a Job without labels of its own shares', () => {
    const job = created({ template: { metadata: { labels: { app: 'pi' } }, spec: { containers: [] } } });
    assert.deepEqual(specOf(job).template.metadata?.labels, { app: 'pi', ...generated });
    assert.deepEqual(job.metadata?.labels, { app: 'pi', ...generated });
  });

  it('leaves the Job its own labels, and a label the user set on the template', () => {
    const job = created({ template: { metadata: { labels: { 'job-name': 'mine' } }, spec: { containers: [] } } }, { team: 'a' });
    assert.equal((specOf(job).template.metadata?.labels as Record<string, string>)['job-name'], 'mine');
    assert.deepEqual(job.metadata?.labels, { team: 'a' });
  });

  it('extends a user selector with the uid (validation then refuses it), and does nothing for a manual selector', () => {
    const job = created({ selector: { matchLabels: { app: 'pi' } } });
    assert.deepEqual(specOf(job).selector, { matchLabels: { app: 'pi', 'batch.kubernetes.io/controller-uid': UID } });
    const manual = created({ manualSelector: true, selector: { matchLabels: { app: 'pi' } }, template: { metadata: { labels: { app: 'pi' } }, spec: { containers: [] } } });
    assert.deepEqual(specOf(manual).selector, { matchLabels: { app: 'pi' } });
    assert.deepEqual(specOf(manual).template.metadata?.labels, { app: 'pi' });
  });
});
