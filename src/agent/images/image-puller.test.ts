import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Container } from 'kubernetes-types/core/v1.js';
import { SECRETS, SERVICEACCOUNTS } from '../../client/resource-types.js';
import { ContainerStarter } from '../container-starter.js';
import type { SecretObject } from '../object-types.js';
import { HOST_IP, PodSyncHarness } from '../pod-sync.fixture.js';
import { formatPullDuration } from './image-puller.js';
import { clientPullSecretSource } from './pull-secrets.js';
import { ScriptedPullRuntime } from './scripted-pull-runtime.fixture.js';

const REGISTRY = '127.0.0.1:5000';
const IMAGE = `${REGISTRY}/k8ts/httpd:1`;

function harness(options: { serviceAccounts?: boolean } = {}): { h: PodSyncHarness; runtime: ScriptedPullRuntime } {
  const h = new PodSyncHarness();
  const runtime = new ScriptedPullRuntime({ clock: h.clock, hostIp: HOST_IP });
  h.runtime = runtime;
  const deps = h.makeDeps();
  h.deps = options.serviceAccounts
    ? {
      ...deps,
      starter: new ContainerStarter({
        runtime, recorder: h.recorder, clock: h.clock, source: deps.source, nodeAllocatable: { cpu: 4, memory: 8 * 2 ** 30 },
        pullSecrets: clientPullSecretSource(h.clients),
      }),
    }
    : deps;
  return { h, runtime };
}

function app(image: string, imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never'): Container[] {
  return [{ name: 'app', image, ...(imagePullPolicy ? { imagePullPolicy } : {}) }];
}

function dockerSecret(name: string, auths: Record<string, { username: string; password: string }>): SecretObject {
  return {
    metadata: { name, namespace: 'default' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify({ auths })).toString('base64') },
  };
}

describe('image pull policies', () => {
  it('Always pulls on every container start, with Pulling and Pulled (time and size) Events', async () => {
    const { h, runtime } = harness();
    runtime.onPull = () => h.clock.advance(1234);
    const sync = h.syncFor(h.createPod('web', { containers: app(IMAGE, 'Always') }));
    let { pod } = await h.step(sync, 'web');
    assert.ok(pod.status?.containerStatuses?.[0]?.state?.running);
    assert.equal(pod.status?.containerStatuses?.[0]?.imageID, runtime.present.get(IMAGE)?.imageRef);
    assert.deepEqual(h.messages('Pulling'), [`Pulling image "${IMAGE}"`]);
    assert.deepEqual(h.messages('Pulled'), [`Successfully pulled image "${IMAGE}" in 1.234s (1.234s including waiting). Image size: 1234 bytes.`]);
    h.runtime.exitContainer(h.containerIds('app')[0] ?? '', 1);
    ({ pod } = await h.step(sync, 'web'));
    assert.equal(pod.status?.containerStatuses?.[0]?.restartCount, 1);
    assert.equal(runtime.pulls.length, 2, 'the restart pulled again although the image is present');
  });

  it('IfNotPresent pulls only an absent image and says so when present', async () => {
    const { h, runtime } = harness();
    runtime.present.set('cached:1', { imageRef: 'sha256:cached' });
    const sync = h.syncFor(h.createPod('two', { containers: [...app('cached:1', 'IfNotPresent'), { name: 'new', image: 'fresh:1', imagePullPolicy: 'IfNotPresent' }] }));
    const { pod } = await h.step(sync, 'two');
    assert.deepEqual(runtime.pulls.map((p) => p.image), ['fresh:1']);
    assert.ok(h.messages('Pulled').includes('Container image "cached:1" already present on machine'));
    assert.equal(pod.status?.containerStatuses?.find((s) => s.name === 'app')?.imageID, 'sha256:cached');
  });

  it('an unset policy defaults by tag: :latest and untagged pull, others check first', async () => {
    const { h, runtime } = harness();
    runtime.present.set('a:latest', { imageRef: 'sha256:a' });
    runtime.present.set('b:2', { imageRef: 'sha256:b' });
    await h.step(h.syncFor(h.createPod('d', { containers: [{ name: 'a', image: 'a:latest' }, { name: 'b', image: 'b:2' }] })), 'd');
    assert.deepEqual(runtime.pulls.map((p) => p.image), ['a:latest']);
  });

  it('Never runs a present image and refuses an absent one with ErrImageNeverPull', async () => {
    const { h, runtime } = harness();
    runtime.present.set('here:1', { imageRef: 'sha256:here' });
    const sync = h.syncFor(h.createPod('never', { containers: [...app('here:1', 'Never'), { name: 'gone', image: 'gone:1', imagePullPolicy: 'Never' }] }));
    const { pod } = await h.step(sync, 'never');
    assert.equal(runtime.pulls.length, 0);
    assert.ok(pod.status?.containerStatuses?.find((s) => s.name === 'app')?.state?.running);
    const gone = pod.status?.containerStatuses?.find((s) => s.name === 'gone');
    assert.deepEqual(gone?.state?.waiting, { reason: 'ErrImageNeverPull', message: 'Container image "gone:1" is not present with pull policy of Never' });
    const warning = h.recorder.events.find((e) => e.reason === 'ErrImageNeverPull');
    assert.equal(warning?.type, 'Warning');
    assert.equal(warning?.message, 'Container image "gone:1" is not present with pull policy of Never');
    assert.ok(h.messages('Failed').includes('Error: ErrImageNeverPull'));
  });

  it('Never with the fake runtime: only images pulled before are present', async () => {
    const h = new PodSyncHarness();
    const { pod } = await h.step(h.syncFor(h.createPod('n', { containers: app('busybox:1', 'Never') })), 'n');
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'ErrImageNeverPull');
  });

  it('an invalid image name waits with InvalidImageName', async () => {
    const { h, runtime } = harness();
    const { pod } = await h.step(h.syncFor(h.createPod('bad', { containers: app('Not A Ref') })), 'bad');
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'InvalidImageName');
    assert.equal(runtime.pulls.length, 0);
    assert.deepEqual(h.messages('InspectFailed'), ['Failed to apply default image tag "Not A Ref": couldn\'t parse image reference "Not A Ref": invalid reference format']);
  });
});

describe('image pull failures', () => {
  it('ErrImagePull, then ImagePullBackOff, a retry when the back-off ends (10s, then 20s), then Running', async () => {
    const { h, runtime } = harness();
    const error = `failed to resolve reference "${IMAGE}": connection refused`;
    runtime.failPulls(IMAGE, error, 2);
    const created = h.createPod('pull', { containers: app(IMAGE, 'IfNotPresent') });

    const sync = h.syncFor(created);

    let { pod, outcome } = await h.step(sync, 'pull');
    let status = pod.status?.containerStatuses?.[0];
    assert.deepEqual(status?.state?.waiting, { reason: 'ErrImagePull', message: error });
    assert.equal(pod.status?.phase, 'Pending');
    assert.deepEqual(h.messages('Failed'), [`Failed to pull image "${IMAGE}": ${error}`, 'Error: ErrImagePull']);
    assert.equal(h.recorder.events.find((e) => e.reason === 'Failed')?.type, 'Warning');
    assert.equal(outcome.nextSyncMs, 1000, 'the regular resync comes first');

    h.clock.advance(1000);
    ({ pod, outcome } = await h.step(sync, 'pull'));
    status = pod.status?.containerStatuses?.[0];
    assert.deepEqual(status?.state?.waiting, { reason: 'ImagePullBackOff', message: `Back-off pulling image "${IMAGE}": ErrImagePull: ${error}` });
    assert.deepEqual(h.messages('BackOff'), [`Back-off pulling image "${IMAGE}"`]);
    assert.equal(h.recorder.events.find((e) => e.reason === 'BackOff')?.type, 'Normal');
    assert.ok(h.messages('Failed').includes('Error: ImagePullBackOff'));
    assert.equal(runtime.pulls.length, 1, 'no pull during the back-off');

    h.clock.advance(8999);
    ({ pod } = await h.step(sync, 'pull'));
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'ImagePullBackOff');
    assert.equal(runtime.pulls.length, 1);

    h.clock.advance(1);
    ({ pod, outcome } = await h.step(sync, 'pull'));
    assert.equal(runtime.pulls.length, 2, 'pulled again when 10s had passed');
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.waiting?.reason, 'ErrImagePull');

    h.clock.advance(10_000);
    ({ pod, outcome } = await h.step(sync, 'pull'));
    assert.equal(runtime.pulls.length, 2, 'the second back-off is 20s');
    assert.equal(outcome.nextSyncMs, 1000);

    h.clock.advance(10_000);
    ({ pod } = await h.step(sync, 'pull'));
    assert.equal(runtime.pulls.length, 3);
    assert.ok(pod.status?.containerStatuses?.[0]?.state?.running);
    assert.equal(pod.status?.phase, 'Running');
  });

  it('the pod sync wakes up when the back-off ends, before a longer resync', async () => {
    const { h, runtime } = harness();
    h.deps = { ...h.deps, resyncMs: 60_000 };
    runtime.failPulls(IMAGE, 'boom', 1);
    const sync = h.syncFor(h.createPod('wake', { containers: app(IMAGE, 'Always') }));
    let { outcome } = await h.step(sync, 'wake');
    assert.equal(outcome.nextSyncMs, 10_000);
    h.clock.advance(4000);
    ({ outcome } = await h.step(sync, 'wake'));
    assert.equal(outcome.nextSyncMs, 6000);
    h.clock.advance(6000);
    const { pod } = await h.step(sync, 'wake');
    assert.ok(pod.status?.containerStatuses?.[0]?.state?.running);
  });

  it('back-offs are per pod and image', async () => {
    const { h, runtime } = harness();
    runtime.failPulls(IMAGE, 'boom', 1);
    await h.step(h.syncFor(h.createPod('one', { containers: app(IMAGE, 'Always') })), 'one');
    const { pod } = await h.step(h.syncFor(h.createPod('two', { containers: app(IMAGE, 'Always') })), 'two');
    assert.ok(pod.status?.containerStatuses?.[0]?.state?.running, 'another pod pulls at once');
  });
});

describe('image pull secrets', () => {
  it('passes the matching credential of the pod\'s secret to the runtime', async () => {
    const { h, runtime } = harness();
    runtime.requireCredentials(IMAGE, 'alice', 'pw');
    h.clients.seed(SECRETS, dockerSecret('regcred', { [REGISTRY]: { username: 'alice', password: 'pw' }, 'other.example.com': { username: 'x', password: 'y' } }));
    const { pod } = await h.step(h.syncFor(h.createPod('auth', { imagePullSecrets: [{ name: 'regcred' }], containers: app(IMAGE, 'Always') })), 'auth');
    assert.ok(pod.status?.containerStatuses?.[0]?.state?.running);
    assert.deepEqual(runtime.pulls, [{ image: IMAGE, auth: { serverAddress: REGISTRY, username: 'alice', password: 'pw' } }]);
  });

  it('tries each matching credential in turn and reports every error when all fail', async () => {
    const { h, runtime } = harness();
    runtime.requireCredentials(IMAGE, 'right', 'pw');
    h.clients.seed(SECRETS, dockerSecret('a', { [REGISTRY]: { username: 'wrong', password: 'pw' } }), dockerSecret('b', { [REGISTRY]: { username: 'right', password: 'pw' } }));
    let { pod } = await h.step(h.syncFor(h.createPod('turns', { imagePullSecrets: [{ name: 'a' }, { name: 'b' }], containers: app(IMAGE, 'Always') })), 'turns');
    assert.deepEqual(runtime.pulls.map((p) => p.auth?.username), ['wrong', 'right']);
    assert.ok(pod.status?.containerStatuses?.[0]?.state?.running);

    ({ pod } = await h.step(h.syncFor(h.createPod('fails', { imagePullSecrets: [{ name: 'a' }, { name: 'a' }], containers: app(IMAGE, 'Always') })), 'fails'));
    const message = pod.status?.containerStatuses?.[0]?.state?.waiting?.message ?? '';
    assert.match(message, /^\[failed to resolve .*401 Unauthorized \(user wrong\), failed to resolve .*\(user wrong\)\]$/);
  });

  it('pulls anonymously without a matching credential, and warns about a missing secret', async () => {
    const { h, runtime } = harness();
    h.clients.seed(SECRETS, dockerSecret('hub', { 'https://index.docker.io/v1/': { username: 'hub', password: 'x' } }));
    const { pod } = await h.step(h.syncFor(h.createPod('anon', { imagePullSecrets: [{ name: 'hub' }, { name: 'nope' }], containers: app(IMAGE, 'Always') })), 'anon');
    assert.ok(pod.status?.containerStatuses?.[0]?.state?.running);
    assert.deepEqual(runtime.pulls, [{ image: IMAGE }]);
    const warning = h.recorder.events.find((e) => e.reason === 'FailedToRetrieveImagePullSecret');
    assert.equal(warning?.type, 'Warning');
    assert.equal(warning?.message, 'Unable to retrieve some image pull secrets (nope); attempting to pull the image may not succeed.');
  });

  it('uses the Docker Hub credential for bare image names', async () => {
    const { h, runtime } = harness();
    h.clients.seed(SECRETS, dockerSecret('hub', { 'https://index.docker.io/v1/': { username: 'hub', password: 'x' } }));
    await h.step(h.syncFor(h.createPod('hub', { imagePullSecrets: [{ name: 'hub' }], containers: app('busybox', 'Always') })), 'hub');
    assert.equal(runtime.pulls[0]?.auth?.username, 'hub');
    assert.equal(runtime.pulls[0]?.auth?.serverAddress, 'docker.io');
  });

  it('takes the ServiceAccount\'s imagePullSecrets when the pod names none', async () => {
    const { h, runtime } = harness({ serviceAccounts: true });
    h.clients.seed(SECRETS, dockerSecret('sa-cred', { [REGISTRY]: { username: 'sa', password: 'pw' } }));
    h.clients.seed(SERVICEACCOUNTS, { metadata: { name: 'builder', namespace: 'default' }, imagePullSecrets: [{ name: 'sa-cred' }] });
    await h.step(h.syncFor(h.createPod('sa', { serviceAccountName: 'builder', containers: app(IMAGE, 'Always') })), 'sa');
    assert.equal(runtime.pulls[0]?.auth?.username, 'sa');
  });
});

describe('formatPullDuration', () => {
  it('prints like Go durations truncated to milliseconds', () => {
    assert.equal(formatPullDuration(0), '0s');
    assert.equal(formatPullDuration(523.9), '523ms');
    assert.equal(formatPullDuration(1234), '1.234s');
    assert.equal(formatPullDuration(2000), '2s');
    assert.equal(formatPullDuration(1500), '1.5s');
    assert.equal(formatPullDuration(123_450), '2m3.45s');
  });
});
