// A pod's projected ServiceAccount token through PodSync: requested when the volume is set up,
// replaced by a later sync once 80% of its life has passed (fake clock, fake TokenRequest).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { TokenRequestSpec } from 'kubernetes-types/authentication/v1.js';
import { volumeDir } from './pod-volumes.js';
import { PodSyncHarness } from './pod-sync.fixture.js';

describe('PodSync with a projected ServiceAccount token', () => {
  it('writes the token before the containers start and refreshes it from a later sync', async () => {
    const h = new PodSyncHarness();
    const requests: TokenRequestSpec[] = [];
    let fail = false;
    h.deps = {
      ...h.deps,
      source: {
        ...h.deps.source,
        serviceAccountToken: (_namespace, _account, spec) => {
          if (fail) return Promise.reject(new Error('connection refused'));
          requests.push(spec);
          const expires = new Date(h.clock.now().getTime() + (spec.expirationSeconds ?? 3600) * 1000);
          return Promise.resolve({ token: `token-${requests.length}`, expirationTimestamp: expires.toISOString() });
        },
      },
    };
    const created = h.createPod('web', {
      serviceAccountName: 'default',
      containers: [{ name: 'app', image: 'busybox', volumeMounts: [{ name: 'sa', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] }],
      volumes: [{ name: 'sa', projected: { defaultMode: 0o644, sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 3607 } }] } }],
    });
    const sync = h.syncFor(created);
    const first = await h.step(sync, 'web');
    assert.equal(first.pod.status?.phase, 'Running');
    const file = `${volumeDir(h.deps, created.metadata?.uid ?? '', { name: 'sa', projected: {} })}/token`;
    assert.equal(readFileSync(file, 'utf8'), 'token-1');
    assert.deepEqual(requests[0]?.boundObjectRef, { apiVersion: 'v1', kind: 'Pod', name: 'web', uid: created.metadata?.uid });

    // Not yet due: steady syncs ask for nothing.
    h.clock.advance(2800_000);
    await h.step(sync, 'web');
    assert.equal(requests.length, 1);
    // Due (at most 2886 s after issue): the next sync asks when, then replaces the file.
    h.clock.advance(86_000);
    fail = true;
    await h.step(sync, 'web');
    assert.equal(readFileSync(file, 'utf8'), 'token-1', 'a failed refresh keeps the old token');
    assert.match(h.messages('FailedMount').at(-1) ?? '', /^MountVolume.SetUp failed for volume "sa" : failed to fetch token: connection refused$/);
    fail = false;
    // The retry waits 30 s instead of making the next sync ask again at once.
    const { outcome: waiting } = await h.step(sync, 'web');
    assert.equal(readFileSync(file, 'utf8'), 'token-1');
    assert.ok(waiting.nextSyncMs !== undefined && waiting.nextSyncMs > 0, 'no immediate re-sync after a failed refresh');
    h.clock.advance(30_000);
    const { outcome } = await h.step(sync, 'web');
    assert.equal(readFileSync(file, 'utf8'), 'token-2');
    assert.equal(requests.length, 2);
    assert.ok(outcome.nextSyncMs !== undefined && outcome.nextSyncMs <= 1000);
  });
});
