// The node's own cumulative usage, from /proc (what kubelet takes from the root cgroup):
//   CPU    /proc/stat's first `cpu` line: user+nice+system+irq+softirq+steal ticks (idle and
//          iowait are not usage; guest time is already inside user) as core-nanoseconds.
//   memory MemTotal − MemAvailable from /proc/meminfo: what the kernel could not hand out without
//          swapping, the closest /proc figure to the root cgroup's working set.
import { readFile } from 'node:fs/promises';

/** USER_HZ, fixed at 100 for user space (see runtime/process/process-stats.ts). */
const CLOCK_TICKS_PER_SECOND = 100;

export interface CumulativeUsage {
  /** CPU time used since boot (node) or container start, in core-nanoseconds. */
  readonly cpuUsageCoreNanoSeconds: number;
  readonly memoryWorkingSetBytes: number;
}

/** Reads the node's usage; rejects when /proc cannot be read. */
export type NodeUsageReader = () => Promise<CumulativeUsage>;

/** Busy CPU time of all cores from /proc/stat text, in core-nanoseconds. */
export function parseProcStatCpu(text: string): number | undefined {
  const line = text.split('\n').find((l) => /^cpu\s/.test(l));
  if (line === undefined) return undefined;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  if (user === undefined || nice === undefined || system === undefined) return undefined;
  const ticks = user + nice + system + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return Number.isFinite(ticks) ? (ticks * 1e9) / CLOCK_TICKS_PER_SECOND : undefined;
}

/** MemTotal − MemAvailable from /proc/meminfo text, in bytes. */
export function parseMeminfoWorkingSet(text: string): number | undefined {
  const kib = (key: string): number | undefined => {
    const match = new RegExp(`^${key}:\\s+(\\d+)\\s*kB$`, 'm').exec(text);
    return match ? Number(match[1]) : undefined;
  };
  const total = kib('MemTotal');
  const available = kib('MemAvailable');
  if (total === undefined || available === undefined) return undefined;
  return (total - available) * 1024;
}

export function procNodeUsageReader(procRoot = '/proc'): NodeUsageReader {
  return async () => {
    const [stat, meminfo] = await Promise.all([readFile(`${procRoot}/stat`, 'utf8'), readFile(`${procRoot}/meminfo`, 'utf8')]);
    const cpu = parseProcStatCpu(stat);
    const memory = parseMeminfoWorkingSet(meminfo);
    if (cpu === undefined || memory === undefined) throw new Error(`unexpected format of ${procRoot}/stat or ${procRoot}/meminfo`);
    return { cpuUsageCoreNanoSeconds: cpu, memoryWorkingSetBytes: memory };
  };
}
