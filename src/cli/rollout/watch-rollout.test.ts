import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { REPLICASETS, ROLLOUTS } from '../../client/resource-types.js';
import { FakeClock } from '../../lib/clock.js';
import { canaryRollout, NOW, replicaSet } from './rollout-cli.fixture.js';
import { watchRollout } from './watch-rollout.js';

describe('get -w', () => {
  it('draws once, redraws when the rollout changes, and stops with the signal', async () => {
    const clients = new FakeClientSet();
    clients.seed(ROLLOUTS, canaryRollout());
    clients.seed(REPLICASETS, replicaSet('aaa', 1, 3, 'web:v1'));
    const frames: string[] = [];
    let output = '';
    const stop = new AbortController();
    let wake: (() => void) | undefined;
    const watching = watchRollout({
      clients, namespace: 'default', name: 'demo', clock: new FakeClock({ start: NOW }), color: false, clearScreen: false,
      write: (text) => (output += text), signal: stop.signal, minIntervalMs: 0,
      onFrame: (frame) => {
        frames.push(frame);
        wake?.();
      },
    });
    const nextFrame = () => new Promise<void>((resolve) => (wake = resolve));
    if (frames.length === 0) await nextFrame();
    assert.match(frames[0] ?? '', /Status: {10}॥ Paused/);

    const changed = nextFrame();
    await clients.resource(ROLLOUTS).patch('default', 'demo', 'merge', { status: { phase: 'Healthy', message: '' } }, { subresource: 'status' });
    await changed;
    assert.match(frames.at(-1) ?? '', /Status: {10}✔ Healthy/);
    stop.abort();
    await watching;
    // Into a pipe, frames are appended (no screen clearing) with a blank line between them.
    assert.equal(output, frames.join('\n'));
    assert.ok(!output.includes('\x1b['));
  });

  it('ends with the rollout-not-found error when the rollout does not exist', async () => {
    const clients = new FakeClientSet();
    await assert.rejects(
      watchRollout({
        clients, namespace: 'default', name: 'demo', clock: new FakeClock(), color: false, clearScreen: false,
        write: () => undefined, signal: new AbortController().signal, minIntervalMs: 0,
      }),
      /rollout "demo" not found in namespace "default"/,
    );
  });
});
