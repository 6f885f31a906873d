import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseMeminfoWorkingSet, parseProcStatCpu, procNodeUsageReader } from './node-usage-reader.js';

// user nice system idle iowait irq softirq steal guest guest_nice
const PROC_STAT = `cpu  1000 20 300 90000 500 7 3 10 40 0
cpu0 500 10 150 45000 250 4 2 5 20 0
cpu1 500 10 150 45000 250 3 1 5 20 0
intr 12345
ctxt 67890
`;

const MEMINFO = `MemTotal:       24683624 kB
MemFree:        20000000 kB
MemAvailable:   22683624 kB
Buffers:          100000 kB
`;

describe('node usage from /proc', () => {
  it('counts busy ticks (not idle, not iowait, not guest twice) as core-nanoseconds', () => {
    // 1000 + 20 + 300 + 7 + 3 + 10 = 1340 ticks of 10 ms = 13.4 s.
    assert.equal(parseProcStatCpu(PROC_STAT), 13.4e9);
    assert.equal(parseProcStatCpu('intr 1\n'), undefined);
  });

  it('takes MemTotal - MemAvailable as the working set', () => {
    assert.equal(parseMeminfoWorkingSet(MEMINFO), 2_000_000 * 1024);
    assert.equal(parseMeminfoWorkingSet('MemTotal: 10 kB\n'), undefined);
  });

  it('reads both files under a proc root, and rejects when they make no sense', async () => {
    const root = await mkdtemp(join(tmpdir(), 'k8ts-proc-'));
    try {
      await writeFile(join(root, 'stat'), PROC_STAT);
      await writeFile(join(root, 'meminfo'), MEMINFO);
      assert.deepEqual(await procNodeUsageReader(root)(), { cpuUsageCoreNanoSeconds: 13.4e9, memoryWorkingSetBytes: 2_000_000 * 1024 });
      await writeFile(join(root, 'meminfo'), 'nonsense');
      await assert.rejects(procNodeUsageReader(root)(), /unexpected format/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
