// Usage of a container's process tree, for the process runtime's listContainerStats (kubectl top).
// A container here is a host process (and whatever it forks), so its usage is read from /proc:
//   CPU    utime+stime+cutime+cstime of every live process in the tree. cutime/cstime hold the time
//          of children already reaped, so a shell running many short commands is counted too.
//   memory the sum of RSS of the tree (shared pages of forked processes are counted once per
//          process; good enough for `top`, and what `ps` users expect).
// This kernel family may lack /proc/<pid>/task/<tid>/children (CONFIG_PROC_CHILDREN), so the tree
// comes from one scan of every /proc/<pid>/stat. One scan serves every container of one
// listContainerStats call: a snapshot is reused for SNAPSHOT_TTL_MS, which keeps 100 containers
// every 10 s at one scan per sample instead of 100.
import { readdir, readFile } from 'node:fs/promises';

export interface ProcessTreeStats {
  readonly cpuUsageCoreNanoSeconds: number;
  readonly memoryWorkingSetBytes: number;
}

/** One line of /proc/<pid>/stat, the fields we use. Times in clock ticks, rss in pages. */
export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly utime: number;
  readonly stime: number;
  readonly cutime: number;
  readonly cstime: number;
  readonly rssPages: number;
}

/**
 * USER_HZ: /proc reports times in these ticks. The kernel fixes it at 100 for user space on every
 * architecture Linux runs Node on (sysconf(_SC_CLK_TCK)), and Node has no sysconf to ask.
 */
export const CLOCK_TICKS_PER_SECOND = 100;
const NS_PER_TICK = 1e9 / CLOCK_TICKS_PER_SECOND;
const DEFAULT_PAGE_SIZE = 4096;
const SNAPSHOT_TTL_MS = 250;

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself hold spaces
 * and ')', so fields are counted from the last ')'. undefined when the text is not a stat line.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // After ')': field 3 (state) is index 0, so field N is index N - 3.
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const field = (n: number): number => Number(rest[n - 3]);
  const stat = {
    pid,
    ppid: field(4),
    utime: field(14),
    stime: field(15),
    cutime: field(16),
    cstime: field(17),
    rssPages: field(24),
  };
  return Object.values(stat).every((value) => Number.isFinite(value)) ? stat : undefined;
}

/** Page size from the first mapping's `KernelPageSize:` line of /proc/self/smaps (kB). */
export function parsePageSize(smaps: string): number | undefined {
  const match = /^KernelPageSize:\s+(\d+)\s+kB$/m.exec(smaps);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Every process at one instant, by pid, with the children of each. */
export class ProcessTable {
  readonly #byPid = new Map<number, ProcStat>();
  readonly #children = new Map<number, number[]>();
  readonly #pageSize: number;

  constructor(stats: Iterable<ProcStat>, pageSize: number) {
    this.#pageSize = pageSize;
    for (const stat of stats) {
      this.#byPid.set(stat.pid, stat);
      const siblings = this.#children.get(stat.ppid);
      if (siblings) siblings.push(stat.pid);
      else this.#children.set(stat.ppid, [stat.pid]);
    }
  }

  /** Reads every /proc/<pid>/stat under procRoot; processes that exit meanwhile are left out. */
  static async read(procRoot = '/proc', pageSize?: number): Promise<ProcessTable> {
    const names = await readdir(procRoot);
    const stats = await Promise.all(
      names.filter((name) => /^\d+$/.test(name)).map(async (name) => {
        try {
          return parseProcStat(await readFile(`${procRoot}/${name}/stat`, 'utf8'));
        } catch {
          return undefined;
        }
      }),
    );
    return new ProcessTable(stats.filter((s) => s !== undefined), pageSize ?? (await pageSizeOf(procRoot)));
  }

  /** The tree rooted at pid; undefined when pid is not running. */
  treeStats(pid: number): ProcessTreeStats | undefined {
    if (!this.#byPid.has(pid)) return undefined;
    let ticks = 0;
    let pages = 0;
    const seen = new Set<number>();
    const pending = [pid];
    for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
      const stat = this.#byPid.get(next);
      // A pid seen twice would mean a broken parent chain; never loop on it.
      if (!stat || seen.has(next)) continue;
      seen.add(next);
      ticks += stat.utime + stat.stime + stat.cutime + stat.cstime;
      pages += stat.rssPages;
      pending.push(...(this.#children.get(next) ?? []));
    }
    return { cpuUsageCoreNanoSeconds: ticks * NS_PER_TICK, memoryWorkingSetBytes: pages * this.#pageSize };
  }
}

const pageSizes = new Map<string, Promise<number>>();

function pageSizeOf(procRoot: string): Promise<number> {
  let size = pageSizes.get(procRoot);
  if (!size) {
    size = readFile(`${procRoot}/self/smaps`, 'utf8').then(
      (text) => parsePageSize(text) ?? DEFAULT_PAGE_SIZE,
      () => DEFAULT_PAGE_SIZE,
    );
    pageSizes.set(procRoot, size);
  }
  return size;
}

let snapshot: { readonly at: number; readonly table: Promise<ProcessTable> } | undefined;

/** Usage of the process tree rooted at pid (undefined: not running, or /proc unreadable). */
export async function readProcessTreeStats(pid: number): Promise<ProcessTreeStats | undefined> {
  const now = Date.now();
  if (!snapshot || now - snapshot.at > SNAPSHOT_TTL_MS) snapshot = { at: now, table: ProcessTable.read() };
  try {
    return (await snapshot.table).treeStats(pid);
  } catch {
    snapshot = undefined;
    return undefined;
  }
}
