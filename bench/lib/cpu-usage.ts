// CPU time spent by the benchmark process and by the server child, so the table can say where the
// time of one operation goes (and whether the server or the load generator was the busy side) even
// on a shared, noisy machine where throughput alone says little.
import { readdirSync, readFileSync } from 'node:fs';

/** Process CPU time (user + system) in ms, from /proc; undefined where there is no /proc (macOS). */
export function processCpuMs(pid: number): number | undefined {
  try {
    // Fields after the `(comm)` field: state is field 3, utime 14 and stime 15 (1-based), in clock ticks.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    // USER_HZ is 100 on every Linux the project targets.
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** This process's CPU time in ms. */
export function selfCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

export interface CpuSample {
  /** Microseconds of CPU per operation, or undefined when it could not be read. */
  readonly perOpUs: number | undefined;
  /** Busy fraction of one core over the measurement (1 = one core flat out). */
  readonly cores: number | undefined;
}

/**
 * Runs `body` (which returns how many operations it did) and reports, for each CPU reader, the CPU
 * it used per operation and as a busy fraction of one core.
 */
export async function withCpu<T extends { readonly count: number }, K extends string>(
  readers: Readonly<Record<K, () => number | undefined>>,
  body: () => Promise<T>,
): Promise<{ readonly result: T; readonly cpu: Record<K, CpuSample> }> {
  const names = Object.keys(readers) as K[];
  const before = names.map((name) => readers[name]());
  const started = performance.now();
  const result = await body();
  const elapsed = performance.now() - started;
  const cpu = {} as Record<K, CpuSample>;
  names.forEach((name, i) => {
    const start = before[i];
    const end = readers[name]();
    const used = start === undefined || end === undefined ? undefined : end - start;
    cpu[name] = {
      perOpUs: used === undefined || result.count === 0 ? undefined : (used * 1000) / result.count,
      cores: used === undefined ? undefined : used / elapsed,
    };
  });
  return { result, cpu };
}

/**
 * CPU time in ms of each thread of a process, by thread id, with its name (`comm`): tells the API
 * server's main thread from the scheduler's worker and V8's GC helpers. Empty without /proc.
 */
export function threadCpuMs(pid: number): Map<number, { readonly name: string; readonly ms: number }> {
  const threads = new Map<number, { readonly name: string; readonly ms: number }>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(Number(tid), { name, ms: (Number(fields[11]) + Number(fields[12])) * 10 });
    } catch {
      // The thread exited between the listing and the read.
    }
  }
  return threads;
}
