import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageWindow } from './usage-window.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');

describe('UsageWindow', () => {
  it('has no rate from one sample', () => {
    const window = new UsageWindow({ minWindowMs: 1000 });
    window.add({ at: T0, cpuUsageCoreNanoSeconds: 5e9, memoryWorkingSetBytes: 100 });
    assert.equal(window.rate(), undefined);
  });

  it('divides the CPU used by the window: 10e9 core-ns in 10 s is one core', () => {
    const window = new UsageWindow({ minWindowMs: 1000 });
    window.add({ at: T0, cpuUsageCoreNanoSeconds: 2e9, memoryWorkingSetBytes: 100 });
    window.add({ at: T0 + 10_000, cpuUsageCoreNanoSeconds: 12e9, memoryWorkingSetBytes: 300 });
    assert.deepEqual(window.rate(), { cpuNanoCores: 1e9, memoryWorkingSetBytes: 300, timestamp: new Date(T0 + 10_000), windowSeconds: 10 });
  });

  it('skips a newest pair closer than the minimum window and uses an older sample', () => {
    const window = new UsageWindow({ minWindowMs: 1000 });
    window.add({ at: T0, cpuUsageCoreNanoSeconds: 0 });
    window.add({ at: T0 + 10_000, cpuUsageCoreNanoSeconds: 5e9 });
    window.add({ at: T0 + 10_200, cpuUsageCoreNanoSeconds: 5.1e9 });
    // 5.1e9 over 10.2 s = 0.5 cores; the 200 ms pair alone would say 0.5 too but is too short.
    const rate = window.rate();
    assert.equal(rate?.windowSeconds, 10.2);
    assert.equal(rate?.cpuNanoCores, 500_000_000);
  });

  it('starts over when the counter goes backwards (a restarted process tree)', () => {
    const window = new UsageWindow({ minWindowMs: 1000 });
    window.add({ at: T0, cpuUsageCoreNanoSeconds: 50e9 });
    window.add({ at: T0 + 10_000, cpuUsageCoreNanoSeconds: 1e9 });
    assert.equal(window.rate(), undefined);
    window.add({ at: T0 + 20_000, cpuUsageCoreNanoSeconds: 3e9 });
    assert.equal(window.rate()?.cpuNanoCores, 200_000_000);
  });

  it('ignores samples that are not newer, and has no rate without CPU numbers', () => {
    const window = new UsageWindow({ minWindowMs: 1000 });
    window.add({ at: T0 + 5000, cpuUsageCoreNanoSeconds: 1e9 });
    window.add({ at: T0, cpuUsageCoreNanoSeconds: 0 });
    assert.equal(window.size, 1);
    const blind = new UsageWindow({ minWindowMs: 1000 });
    blind.add({ at: T0, memoryWorkingSetBytes: 1 });
    blind.add({ at: T0 + 5000, memoryWorkingSetBytes: 2 });
    assert.equal(blind.rate(), undefined);
  });

  it('keeps only the last few samples', () => {
    const window = new UsageWindow({ minWindowMs: 1000 });
    for (let i = 0; i < 10; i++) window.add({ at: T0 + i * 10_000, cpuUsageCoreNanoSeconds: i * 1e9 });
    assert.equal(window.size, 3);
    assert.equal(window.rate()?.cpuNanoCores, 100_000_000);
  });
});
