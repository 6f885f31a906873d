import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import type { ContainerStats, SandboxStatus } from '../runtime/runtime.js';
import { sandboxLabels } from '../runtime-labels.js';
import { UsageSampler } from './usage-sampler.js';

/** Cumulative CPU per container id, moved by the test; stats stamped with the fake clock. */
class StubRuntime {
  readonly cpu = new Map<string, { sandboxId: string; name: string; coreNs: number; memory: number }>();
  readonly sandboxes: SandboxStatus[] = [];
  readonly clock: FakeClock;
  calls = 0;
  constructor(clock: FakeClock) {
    this.clock = clock;
  }

  addPod(sandboxId: string, pod: { uid: string; name: string; namespace: string }): void {
    this.sandboxes.push({ id: sandboxId, podUid: pod.uid, state: 'ready', createdAt: this.clock.now(), labels: sandboxLabels(pod) });
  }

  listContainerStats(): Promise<ContainerStats[]> {
    this.calls++;
    const now = this.clock.now();
    return Promise.resolve(
      [...this.cpu].map(([containerId, c]) => ({
        containerId, sandboxId: c.sandboxId, name: c.name, timestamp: now, cpuUsageCoreNanoSeconds: c.coreNs, memoryWorkingSetBytes: c.memory,
      })),
    );
  }

  listPodSandboxes(): Promise<SandboxStatus[]> {
    return Promise.resolve([...this.sandboxes]);
  }
}

function setup(): { clock: FakeClock; runtime: StubRuntime; sampler: UsageSampler; node: { coreNs: number; fail: boolean } } {
  const clock = new FakeClock({ start: new Date('2025-01-01T00:00:00Z') });
  const runtime = new StubRuntime(clock);
  const node = { coreNs: 0, fail: false };
  const sampler = new UsageSampler({
    runtime,
    clock,
    logger: silentLogger(),
    readNode: () => (node.fail ? Promise.reject(new Error('no /proc')) : Promise.resolve({ cpuUsageCoreNanoSeconds: node.coreNs, memoryWorkingSetBytes: 4096 })),
  });
  return { clock, runtime, sampler, node };
}

describe('UsageSampler', () => {
  it('reports per-pod container rates from two samples, mapped to pods by sandbox labels', async () => {
    const { clock, runtime, sampler, node } = setup();
    runtime.addPod('sb-1', { uid: 'u1', name: 'busy', namespace: 'default' });
    runtime.addPod('sb-2', { uid: 'u2', name: 'idle', namespace: 'team' });
    runtime.cpu.set('c1', { sandboxId: 'sb-1', name: 'loop', coreNs: 0, memory: 1000 });
    runtime.cpu.set('c2', { sandboxId: 'sb-1', name: 'side', coreNs: 0, memory: 2000 });
    runtime.cpu.set('c3', { sandboxId: 'sb-2', name: 'sleep', coreNs: 0, memory: 3000 });
    assert.equal(await sampler.sample(), true, 'new containers: the loop samples again soon');
    // Before a second sample nothing has a window: pods (and the node) are left out.
    assert.deepEqual(await sampler.report(), { pods: [] });

    clock.advance(10_000);
    runtime.cpu.get('c1')!.coreNs = 9e9; // 0.9 cores over 10 s
    runtime.cpu.get('c2')!.coreNs = 1e8;
    runtime.cpu.get('c3')!.coreNs = 1e6;
    node.coreNs = 15e9;
    assert.equal(await sampler.sample(), false);
    const report = await sampler.report();
    assert.deepEqual(report.node, { cpuNanoCores: 1.5e9, memoryWorkingSetBytes: 4096, timestamp: '2025-01-01T00:00:10.000Z', windowSeconds: 10 });
    assert.deepEqual(report.pods, [
      {
        namespace: 'default', name: 'busy', uid: 'u1', timestamp: '2025-01-01T00:00:10.000Z', windowSeconds: 10,
        containers: [{ name: 'loop', cpuNanoCores: 9e8, memoryWorkingSetBytes: 1000 }, { name: 'side', cpuNanoCores: 1e7, memoryWorkingSetBytes: 2000 }],
      },
      { namespace: 'team', name: 'idle', uid: 'u2', timestamp: '2025-01-01T00:00:10.000Z', windowSeconds: 10, containers: [{ name: 'sleep', cpuNanoCores: 1e5, memoryWorkingSetBytes: 3000 }] },
    ]);
  });

  it('drops containers that stopped and starts a restarted one (new id) from scratch', async () => {
    const { clock, runtime, sampler } = setup();
    runtime.addPod('sb-1', { uid: 'u1', name: 'web', namespace: 'default' });
    runtime.cpu.set('c1', { sandboxId: 'sb-1', name: 'web', coreNs: 0, memory: 1 });
    await sampler.sample();
    clock.advance(10_000);
    runtime.cpu.get('c1')!.coreNs = 1e9;
    await sampler.sample();
    assert.equal((await sampler.report()).pods.length, 1);
    runtime.cpu.delete('c1');
    runtime.cpu.set('c1b', { sandboxId: 'sb-1', name: 'web', coreNs: 0, memory: 1 });
    clock.advance(10_000);
    assert.equal(await sampler.sample(), true);
    assert.deepEqual((await sampler.report()).pods, []);
  });

  it('leaves out containers whose sandbox carries no pod labels', async () => {
    const { clock, runtime, sampler } = setup();
    runtime.sandboxes.push({ id: 'foreign', podUid: '', state: 'ready', createdAt: clock.now(), labels: {} });
    runtime.cpu.set('x', { sandboxId: 'foreign', name: 'x', coreNs: 0, memory: 1 });
    await sampler.sample();
    clock.advance(10_000);
    await sampler.sample();
    assert.deepEqual((await sampler.report()).pods, []);
  });

  it('samples on demand when the newest sample is too old, and not when it is fresh', async () => {
    const { clock, runtime, sampler } = setup();
    await sampler.report();
    assert.equal(runtime.calls, 1, 'no sample yet: report samples');
    clock.advance(5_000);
    await sampler.report();
    assert.equal(runtime.calls, 1, 'fresh enough');
    clock.advance(20_000);
    await sampler.report();
    assert.equal(runtime.calls, 2, 'older than 15 s: sampled again');
  });

  it('shares one sample between concurrent callers', async () => {
    const { runtime, sampler } = setup();
    await Promise.all([sampler.sample(), sampler.sample(), sampler.report()]);
    assert.equal(runtime.calls, 1);
  });

  it('reports pods without the node part when /proc cannot be read', async () => {
    const { clock, sampler, node } = setup();
    node.fail = true;
    await sampler.sample();
    clock.advance(10_000);
    await sampler.sample();
    assert.equal((await sampler.report()).node, undefined);
  });

  it('runs until its signal aborts', async () => {
    const { runtime, sampler } = setup();
    const controller = new AbortController();
    const running = sampler.run(controller.signal);
    while (runtime.calls === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await running;
    assert.equal(runtime.calls, 1);
  });
});
