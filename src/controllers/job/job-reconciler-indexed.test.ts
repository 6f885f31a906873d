import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PODS } from '../../client/resource-types.js';
import type { PodObject as Pod } from '../framework/kube-object-types.js';
import { JobHarness, newJob } from './job-harness.fixture.js';

const INDEX = 'batch.kubernetes.io/job-completion-index';
const indexOf = (pod: Pod): string => pod.metadata?.annotations?.[INDEX] ?? '';

describe('JobReconciler: Indexed Jobs', () => {
  let h: JobHarness;
  beforeEach(() => {
    h = new JobHarness();
  });

  async function podsByIndex(): Promise<Map<string, Pod[]>> {
    const result = new Map<string, Pod[]>();
    for (const pod of await h.livePods()) result.set(indexOf(pod), [...(result.get(indexOf(pod)) ?? []), pod]);
    return result;
  }

  async function activePodOf(index: string): Promise<string> {
    const pod = (await podsByIndex()).get(index)?.find((p) => p.status?.phase === undefined || p.status.phase === 'Running');
    assert.ok(pod, `an active pod of index ${index}`);
    return pod.metadata!.name!;
  }

  it('gives each pod its index: annotation, label, JOB_COMPLETION_INDEX, hostname, generateName', async () => {
    const job = newJob({ completionMode: 'Indexed', completions: 3, parallelism: 2 });
    job.spec!.template.spec = {
      restartPolicy: 'Never',
      subdomain: 'workers',
      initContainers: [{ name: 'init', image: 'busybox' }],
      containers: [{ name: 'c', image: 'busybox', env: [{ name: 'A', value: '1' }] }],
    };
    h.seedJob(job);
    await h.pass();
    const pods = await podsByIndex();
    assert.deepEqual([...pods.keys()].sort(), ['0', '1']);
    const pod = pods.get('1')![0]!;
    assert.match(pod.metadata!.name!, /^work-1-[a-z0-9]{5}$/);
    assert.equal(pod.metadata!.labels![INDEX], '1');
    assert.equal(pod.spec!.hostname, 'work-1');
    assert.equal(pod.spec!.subdomain, 'workers');
    const fromLabel = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${INDEX}']` } } };
    assert.deepEqual(pod.spec!.containers[0]!.env, [{ name: 'A', value: '1' }, fromLabel]);
    assert.deepEqual(pod.spec!.initContainers![0]!.env, [fromLabel]);
  });

  it('records succeeded indexes as compressed ranges and runs each index until it succeeds', async () => {
    h.seedJob(newJob({ completionMode: 'Indexed', completions: 6, parallelism: 6 }));
    await h.pass();
    for (const index of ['1', '3', '4', '5']) await h.finish(await activePodOf(index), 'Succeeded');
    await h.finish(await activePodOf('2'), 'Failed');
    await h.pass();
    let status = (await h.liveJob()).status!;
    assert.equal(status.completedIndexes, '1,3-5');
    assert.equal(status.succeeded, 4);
    assert.equal(status.failed, 1);
    assert.deepEqual(status.uncountedTerminatedPods, {}, 'an Indexed success is recorded by its index, not its uid');
    h.clock.advance(10_000);
    await h.pass();
    // Only index 2 is missing (0 is still running): its replacement takes the same index.
    const replacements = (await podsByIndex()).get('2')!;
    assert.equal(replacements.length, 2);
    await h.finish(await activePodOf('2'), 'Succeeded');
    await h.finish(await activePodOf('0'), 'Succeeded');
    await h.pass();
    status = (await h.liveJob()).status!;
    assert.equal(status.completedIndexes, '0-5');
    assert.deepEqual(status.conditions?.map((c) => c.type), ['SuccessCriteriaMet', 'Complete']);
  });

  it('deletes pods of repeated or out-of-range indexes, keeping the most advanced one', async () => {
    h.seedJob(newJob({ completionMode: 'Indexed', completions: 2, parallelism: 2 }));
    await h.pass();
    const first = await activePodOf('0');
    await h.markRunning(first, { ready: true });
    const template = (await h.livePods()).find((p) => p.metadata!.name === first)!;
    const extra = (name: string, index: string): Pod => ({
      metadata: { name, namespace: 'default', labels: template.metadata!.labels!, annotations: { [INDEX]: index }, ownerReferences: template.metadata!.ownerReferences!, finalizers: ['batch.kubernetes.io/job-tracking'] },
      spec: template.spec!,
    });
    h.fake.seed(PODS, extra('dup-0', '0'), extra('out-7', '7'));
    await h.pass();
    assert.deepEqual(h.eventMessages('SuccessfulDelete').sort(), ['Deleted pod: dup-0', 'Deleted pod: out-7']);
    assert.ok((await h.podNames()).includes(first));
  });

  it('successPolicy: meeting a rule succeeds the Job early and deletes the lingering pods', async () => {
    h.seedJob(newJob({ completionMode: 'Indexed', completions: 3, parallelism: 3, successPolicy: { rules: [{ succeededIndexes: '0' }] } }));
    await h.pass();
    await h.finish(await activePodOf('0'), 'Succeeded');
    await h.pass();
    let status = (await h.liveJob()).status!;
    assert.equal(status.conditions?.[0]?.type, 'SuccessCriteriaMet');
    assert.equal(status.conditions?.[0]?.reason, 'SuccessPolicy');
    assert.equal(status.conditions?.[0]?.message, 'Matched rules at index 0');
    assert.equal(h.eventMessages('SuccessfulDelete').length, 2);
    await h.pass();
    status = (await h.liveJob()).status!;
    const complete = status.conditions?.find((c) => c.type === 'Complete');
    assert.equal(complete?.reason, 'SuccessPolicy');
    assert.equal(status.succeeded, 1);
    assert.equal(status.failed, undefined, 'pods deleted after success are not failures');
  });

  it('backoffLimitPerIndex: an index that fails past its limit fails; the Job fails once every index is done', async () => {
    h.seedJob(newJob({ completionMode: 'Indexed', completions: 2, parallelism: 2, backoffLimitPerIndex: 1, backoffLimit: undefined }));
    await h.pass();
    await h.finish(await activePodOf('0'), 'Failed');
    await h.pass();
    let status = (await h.liveJob()).status!;
    assert.equal(status.failedIndexes, '', 'one failure of index 0 is within its limit');
    assert.equal(status.failed, undefined, 'the failed pod is kept, uncounted, until its replacement exists');
    h.clock.advance(10_000);
    await h.pass();
    const replacement = (await podsByIndex()).get('0')!.find((p) => p.status?.phase === undefined)!;
    assert.equal(replacement.metadata!.annotations!['batch.kubernetes.io/job-index-failure-count'], '1');
    await h.pass();
    assert.equal((await h.liveJob()).status?.failed, 1);
    await h.finish(replacement.metadata!.name!, 'Failed');
    await h.finish(await activePodOf('1'), 'Succeeded');
    await h.pass();
    status = (await h.liveJob()).status!;
    assert.equal(status.failedIndexes, '0');
    assert.equal(status.completedIndexes, '1');
    assert.equal(status.conditions?.[0]?.type, 'FailureTarget');
    assert.equal(status.conditions?.[0]?.reason, 'FailedIndexes');
    assert.equal(status.conditions?.[0]?.message, 'Job has failed indexes');
    await h.pass();
    assert.deepEqual((await h.liveJob()).status?.conditions?.map((c) => c.type), ['FailureTarget', 'Failed']);
  });
});
