// Volumes following their sources while the pod runs (volume-resync.ts), through PodSync with the
// fake clock: nothing is read before the period (60 s, plus up to 50% jitter), the new payload is
// there after it; tokens are never requested by a resync; a deleted source keeps (non-optional) or
// empties (optional) the files, as upstream SetUpAt; one Event per problem, not one per period.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { TokenRequestSpec } from 'kubernetes-types/authentication/v1.js';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { CONFIGMAPS, PODS, SECRETS } from '../client/resource-types.js';
import { FakeClock } from '../lib/clock.js';
import type { ConfigMapObject, PodObject, SecretObject } from './object-types.js';
import { PodSyncHarness } from './pod-sync.fixture.js';
import type { PodSync } from './pod-sync.js';
import { volumeDir } from './pod-volumes.js';
import { VolumeResync } from './volume-resync.js';

const PERIOD = 60_000;
/** The longest jittered period (1.5 times). */
const LATEST = 90_000;

/** A harness whose ConfigSource counts the API reads volumes make. */
function harness(): { h: PodSyncHarness; gets: string[] } {
  const h = new PodSyncHarness();
  const gets: string[] = [];
  const source = h.deps.source;
  h.deps = {
    ...h.deps,
    source: {
      ...source,
      configMap: (namespace, name) => (gets.push(`configmap/${name}`), source.configMap(namespace, name)),
      secret: (namespace, name) => (gets.push(`secret/${name}`), source.secret(namespace, name)),
    },
  };
  return { h, gets };
}

function start(h: PodSyncHarness, name: string, spec: Partial<PodSpec>): { sync: PodSync; dir: (volume: string) => string } {
  const pod = h.createPod(name, spec);
  const uid = pod.metadata?.uid ?? '';
  const volumeOf = (name: string) => pod.spec?.volumes?.find((v) => v.name === name) ?? { name };
  return { sync: h.syncFor(pod), dir: (volume) => volumeDir(h.deps, uid, volumeOf(volume)) };
}

/** Steady syncs (one per second as the agent's would be, sampled) for `ms` of fake time. */
async function run(h: PodSyncHarness, sync: PodSync, name: string, ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= 10_000) {
    h.clock.advance(Math.min(10_000, left));
    await h.step(sync, name);
  }
}

const read = (file: string): string => readFileSync(file, 'utf8');
const setData = (h: PodSyncHarness, name: string, data: Record<string, string>) =>
  h.clients.resource<ConfigMapObject>(CONFIGMAPS).patch('default', name, 'merge', { data });

describe('volume resync', () => {
  it('an edited ConfigMap key reaches the file after the period, not before, with one GET per period', async () => {
    const { h, gets } = harness();
    h.clients.seed(CONFIGMAPS, { metadata: { name: 'cfg', namespace: 'default' }, data: { greeting: 'hello', extra: 'x' } });
    const { sync, dir } = start(h, 'web', { volumes: [{ name: 'conf', configMap: { name: 'cfg' } }] });
    await h.step(sync, 'web');
    assert.equal(read(`${dir('conf')}/greeting`), 'hello');
    assert.deepEqual(gets, ['configmap/cfg']);

    await setData(h, 'cfg', { greeting: 'bonjour', extra: null as unknown as string });
    await run(h, sync, 'web', PERIOD - 1);
    assert.equal(read(`${dir('conf')}/greeting`), 'hello', 'not before the period');
    assert.equal(gets.length, 1, 'no GET before the period');
    await run(h, sync, 'web', LATEST - PERIOD + 1);
    assert.equal(read(`${dir('conf')}/greeting`), 'bonjour');
    assert.equal(existsSync(`${dir('conf')}/extra`), false, 'a removed key goes');
    assert.deepEqual(gets, ['configmap/cfg', 'configmap/cfg']);
    // Unchanged afterwards: another period reads again, the payload directory stays the same.
    const data = readlinkSync(`${dir('conf')}/..data`);
    await run(h, sync, 'web', LATEST);
    assert.equal(gets.length, 3);
    assert.equal(readlinkSync(`${dir('conf')}/..data`), data);
    assert.deepEqual(h.messages('FailedMount'), []);
  });

  it('a Secret and a downwardAPI label follow their sources; emptyDir and the container mounts are left alone', async () => {
    const { h, gets } = harness();
    h.clients.seed(SECRETS, { metadata: { name: 'sec', namespace: 'default' }, data: { password: Buffer.from('one').toString('base64') } });
    const { sync, dir } = start(h, 'web', {
      volumes: [
        { name: 'creds', secret: { secretName: 'sec' } },
        { name: 'info', downwardAPI: { items: [{ path: 'tier', fieldRef: { fieldPath: "metadata.labels['tier']" } }] } },
        { name: 'scratch', emptyDir: {} },
      ],
      containers: [{ name: 'app', image: 'busybox', volumeMounts: [{ name: 'creds', mountPath: '/creds' }, { name: 'info', mountPath: '/info' }] }],
    });
    await h.clients.resource<PodObject>(PODS).patch('default', 'web', 'merge', { metadata: { labels: { tier: 'front' } } });
    await h.step(sync, 'web');
    assert.equal(read(`${dir('info')}/tier`), 'front');
    const containers = h.containerIds('app');
    writeFileSync(`${dir('scratch')}/kept`, 'mine');

    await h.clients.resource<SecretObject>(SECRETS).patch('default', 'sec', 'merge', { data: { password: Buffer.from('two').toString('base64') } });
    await h.clients.resource<PodObject>(PODS).patch('default', 'web', 'merge', { metadata: { labels: { tier: 'back' } } });
    // The pod update alone rewrites the downwardAPI volume (no API read needed), as the kubelet's
    // remount on a pod update; the Secret waits for the period.
    const reads = gets.length;
    await h.step(sync, 'web');
    assert.equal(read(`${dir('info')}/tier`), 'back');
    assert.equal(read(`${dir('creds')}/password`), 'one');
    assert.equal(gets.length, reads);
    await run(h, sync, 'web', LATEST);
    assert.equal(read(`${dir('creds')}/password`), 'two');
    assert.equal(read(`${dir('info')}/tier`), 'back');
    assert.equal(read(`${dir('scratch')}/kept`), 'mine');
    assert.deepEqual(h.containerIds('app'), containers, 'no container restarted');
  });

  it('a projected volume mixing a configMap and a token gets the new configMap and keeps its token', async () => {
    const { h } = harness();
    const requests: TokenRequestSpec[] = [];
    h.deps = {
      ...h.deps,
      source: {
        ...h.deps.source,
        serviceAccountToken: (_namespace, _account, spec) => {
          requests.push(spec);
          const expires = new Date(h.clock.now().getTime() + (spec.expirationSeconds ?? 3600) * 1000);
          return Promise.resolve({ token: `token-${requests.length}`, expirationTimestamp: expires.toISOString() });
        },
      },
    };
    h.clients.seed(CONFIGMAPS, { metadata: { name: 'root-ca', namespace: 'default' }, data: { 'ca.crt': 'CA-1' } });
    const { sync, dir } = start(h, 'web', {
      serviceAccountName: 'default',
      volumes: [{
        name: 'api', projected: {
          sources: [
            { serviceAccountToken: { path: 'token', expirationSeconds: 3607 } },
            { configMap: { name: 'root-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          ],
        },
      }],
    });
    await h.step(sync, 'web');
    assert.equal(read(`${dir('api')}/token`), 'token-1');
    await setData(h, 'root-ca', { 'ca.crt': 'CA-2' });
    await run(h, sync, 'web', LATEST);
    assert.equal(read(`${dir('api')}/ca.crt`), 'CA-2');
    assert.equal(read(`${dir('api')}/token`), 'token-1');
    assert.equal(requests.length, 1, 'a resync requests no token');
    // The token's own refresh (80% of 3607 s) still replaces it, and later resyncs keep that one.
    await run(h, sync, 'web', 2900_000);
    assert.equal(requests.length, 2);
    assert.equal(read(`${dir('api')}/token`), 'token-2');
    assert.equal(read(`${dir('api')}/ca.crt`), 'CA-2');
  });

  it('a deleted non-optional source keeps the files and is reported once; an optional one empties its volume', async () => {
    const { h, gets } = harness();
    h.clients.seed(CONFIGMAPS, { metadata: { name: 'must', namespace: 'default' }, data: { k: 'v1' } });
    h.clients.seed(CONFIGMAPS, { metadata: { name: 'maybe', namespace: 'default' }, data: { k: 'm1' } });
    const { sync, dir } = start(h, 'web', {
      volumes: [{ name: 'must', configMap: { name: 'must' } }, { name: 'maybe', configMap: { name: 'maybe', optional: true } }],
    });
    await h.step(sync, 'web');
    await h.clients.resource(CONFIGMAPS).delete('default', 'must');
    await h.clients.resource(CONFIGMAPS).delete('default', 'maybe');
    await run(h, sync, 'web', 3 * LATEST);
    assert.ok(gets.filter((g) => g === 'configmap/must').length >= 4, 'still read every period');
    assert.equal(read(`${dir('must')}/k`), 'v1');
    assert.equal(existsSync(`${dir('maybe')}/k`), false, 'optional: read as empty, as upstream');
    assert.deepEqual(h.messages('FailedMount'), ['MountVolume.SetUp failed for volume "must" : configmap "must" not found']);
    assert.equal((await h.pod('web')).status?.phase, 'Running');

    // Back again: followed again; gone again: reported again (a new problem after a good resync).
    h.clients.seed(CONFIGMAPS, { metadata: { name: 'must', namespace: 'default' }, data: { k: 'v2' } });
    await run(h, sync, 'web', LATEST);
    assert.equal(read(`${dir('must')}/k`), 'v2');
    await h.clients.resource(CONFIGMAPS).delete('default', 'must');
    await run(h, sync, 'web', LATEST);
    assert.equal(h.messages('FailedMount').length, 2);
    assert.equal(read(`${dir('must')}/k`), 'v2');
  });

  it('an API error keeps the files; subPath mounts keep pointing at the key, as set up', async () => {
    const { h } = harness();
    h.clients.seed(CONFIGMAPS, { metadata: { name: 'cfg', namespace: 'default' }, data: { greeting: 'hello' } });
    const { sync, dir } = start(h, 'web', {
      volumes: [{ name: 'conf', configMap: { name: 'cfg' } }],
      containers: [{ name: 'app', image: 'busybox', volumeMounts: [{ name: 'conf', mountPath: '/etc/greeting', subPath: 'greeting' }] }],
    });
    await h.step(sync, 'web');
    const mounts = [...h.runtime.state.containers.values()][0]?.config.mounts;
    assert.deepEqual(mounts?.map((m) => m.hostPath), [path.join(dir('conf'), 'greeting')]);
    await setData(h, 'cfg', { greeting: 'bonjour' });
    h.clients.fail('get', 'configmaps', new Error('connection refused'), { times: 100 });
    await run(h, sync, 'web', 2 * LATEST);
    assert.equal(read(`${dir('conf')}/greeting`), 'hello');
    assert.deepEqual(h.messages('FailedMount'), ['MountVolume.SetUp failed for volume "conf" : connection refused']);
    // The runtime bind-mounts the file `greeting -> ..data/greeting` resolves to when the container
    // starts (the process runtime's prologue, containerd's CRI mounts): after a swap that file is
    // the old payload's, so a subPath mount keeps its content (upstream's behaviour). The e2e
    // (service-account-volume.test.ts) checks this with real mounts.
  });

  it('spreads pods over 1 to 1.5 periods and never runs with period 0', async () => {
    const clock = new FakeClock();
    const at = (jitter: number) => {
      const resync = new VolumeResync({ clock, periodMs: PERIOD, jitter: () => jitter });
      resync.schedule({});
      return (resync.nextAt() ?? 0) - clock.now().getTime();
    };
    assert.deepEqual([at(0), at(0.5), at(0.999)], [60_000, 75_000, 89_970]);
    const off = new VolumeResync({ clock, periodMs: 0 });
    off.schedule({});
    assert.equal(off.nextAt(), undefined);
    const { h, gets } = harness();
    h.deps = { ...h.deps, volumeResyncMs: 0 };
    h.clients.seed(CONFIGMAPS, { metadata: { name: 'cfg', namespace: 'default' }, data: { k: 'v' } });
    const { sync } = start(h, 'web', { volumes: [{ name: 'conf', configMap: { name: 'cfg' } }] });
    await h.step(sync, 'web');
    await run(h, sync, 'web', 3 * LATEST);
    assert.equal(gets.length, 1);
  });
});
