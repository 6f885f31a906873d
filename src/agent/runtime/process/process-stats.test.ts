import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { parsePageSize, parseProcStat, ProcessTable, readProcessTreeStats, type ProcStat } from './process-stats.js';

/** A /proc/<pid>/stat line: utime 14, stime 15, cutime 16, cstime 17, rss 24 (pages). */
function statLine(pid: number, comm: string, ppid: number, times: [number, number, number, number], rss: number): string {
  const fields = ['S', ppid, pid, pid, 0, -1, 4194560, 100, 0, 0, 0, ...times, 20, 0, 1, 0, 12345, 1000000, rss, 'rest'];
  return `${pid} (${comm}) ${fields.join(' ')}\n`;
}

function stat(pid: number, ppid: number, ticks: number, rssPages: number): ProcStat {
  return { pid, ppid, utime: ticks, stime: 0, cutime: 0, cstime: 0, rssPages };
}

describe('parseProcStat', () => {
  it('reads the fields after the last parenthesis, whatever the command name holds', () => {
    const parsed = parseProcStat(statLine(42, 'evil) name (x', 7, [150, 50, 30, 20], 300));
    assert.deepEqual(parsed, { pid: 42, ppid: 7, utime: 150, stime: 50, cutime: 30, cstime: 20, rssPages: 300 });
  });

  it('refuses text that is not a stat line', () => {
    assert.equal(parseProcStat('garbage'), undefined);
    assert.equal(parseProcStat('12 (sh) S 1 2'), undefined);
  });
});

describe('parsePageSize', () => {
  it('takes KernelPageSize of the first mapping', () => {
    assert.equal(parsePageSize('55d0-55d1 r--p 0 08:01 1 /bin/x\nSize: 4 kB\nKernelPageSize:        4 kB\nMMUPageSize: 4 kB\n'), 4096);
    assert.equal(parsePageSize('nothing here'), undefined);
  });
});

describe('ProcessTable', () => {
  it('sums CPU (all four times, ticks to ns) and RSS over the tree rooted at the pid only', () => {
    const table = new ProcessTable(
      [
        { pid: 1, ppid: 0, utime: 1000, stime: 0, cutime: 0, cstime: 0, rssPages: 999 },
        { pid: 10, ppid: 1, utime: 100, stime: 50, cutime: 20, cstime: 10, rssPages: 100 },
        stat(11, 10, 30, 10),
        stat(12, 11, 20, 5),
        stat(13, 1, 500, 500),
      ],
      4096,
    );
    const tree = table.treeStats(10);
    // (100+50+20+10) + 30 + 20 = 230 ticks = 2.3 s; 115 pages.
    assert.deepEqual(tree, { cpuUsageCoreNanoSeconds: 2.3e9, memoryWorkingSetBytes: 115 * 4096 });
    assert.deepEqual(table.treeStats(12), { cpuUsageCoreNanoSeconds: 0.2e9, memoryWorkingSetBytes: 5 * 4096 });
    assert.equal(table.treeStats(99), undefined);
  });

  it('never loops on a broken parent chain', () => {
    const table = new ProcessTable([stat(5, 6, 1, 1), stat(6, 5, 1, 1)], 4096);
    assert.deepEqual(table.treeStats(5), { cpuUsageCoreNanoSeconds: 2e7, memoryWorkingSetBytes: 2 * 4096 });
  });

  it('reads a proc directory, skipping entries that are not processes or vanished', async () => {
    const root = await mkdtemp(join(tmpdir(), 'k8ts-proc-'));
    try {
      for (const [pid, line] of [[100, statLine(100, 'sh', 1, [10, 10, 0, 0], 50)], [101, statLine(101, 'sleep', 100, [5, 5, 0, 0], 25)]] as const) {
        await mkdir(join(root, String(pid)));
        await writeFile(join(root, String(pid), 'stat'), line);
      }
      await mkdir(join(root, '102')); // exited between readdir and read: no stat file
      await mkdir(join(root, 'self'));
      await writeFile(join(root, 'self', 'smaps'), 'KernelPageSize:       16 kB\n');
      await writeFile(join(root, 'meminfo'), 'MemTotal: 1 kB\n');
      const table = await ProcessTable.read(root);
      assert.deepEqual(table.treeStats(100), { cpuUsageCoreNanoSeconds: 0.3e9, memoryWorkingSetBytes: 75 * 16384 });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('readProcessTreeStats on this machine', { skip: process.platform !== 'linux' ? 'needs /proc' : false }, () => {
  it('sees a busy process use CPU and memory, and nothing for a pid that is gone', async () => {
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 20000; while (Date.now() < end);'], { stdio: 'ignore' });
    try {
      const pid = child.pid ?? 0;
      const first = await readProcessTreeStats(pid);
      assert.ok(first, 'stats for a running process');
      assert.ok(first.memoryWorkingSetBytes > 1024 * 1024, `node uses more than 1 MiB, got ${first.memoryWorkingSetBytes}`);
      // CPU time only grows while the loop spins; wait until it has been seen to.
      let later = first;
      for (let i = 0; i < 100 && later.cpuUsageCoreNanoSeconds <= first.cpuUsageCoreNanoSeconds; i++) {
        await delay(100);
        later = (await readProcessTreeStats(pid)) ?? later;
      }
      assert.ok(later.cpuUsageCoreNanoSeconds > first.cpuUsageCoreNanoSeconds);
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    await delay(300); // past the snapshot's lifetime
    assert.equal(await readProcessTreeStats(child.pid ?? 0), undefined);
  });
});
