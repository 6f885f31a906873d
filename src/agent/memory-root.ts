// Where secret and projected volumes live: in memory, never on disk. Upstream kubelet mounts a
// tmpfs per secret/projected volume so Secrets and ServiceAccount tokens never reach non-volatile
// storage. Here the agent picks one memory-backed directory once at start, and every pod's
// secret/projected volumes go below it (no per-pod mount: spawning mount(8) from the big server
// process per pod costs more than it saves, and a tmpfs also makes each file cheaper to write):
//   root:      /run/k8ts/volumes/<hash of the data dir>; where /run is not a tmpfs, the agent
//              mounts one there of its own (once per agent start; on some hosts /run is on disk,
//              and creating files there is costly as well as not private);
//   not root:  $XDG_RUNTIME_DIR/k8ts/volumes/<hash of the data dir>, when it is a tmpfs;
// otherwise the data dir, as before (the caller logs it).
// The name comes from the resolved data dir alone, so an agent restarted while its pods run finds
// their volumes where they were, and several agents on one machine (tests) never share one. Each
// root holds an `.owner` file naming its data dir: an agent starting on the machine removes roots
// whose data dir is gone (an agent killed and its data dir thrown away), mount and all.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, realpath, rm, rmdir, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isMountPoint, mountTmpfs, unmountUnder } from './tmpfs-mount.js';

/** statfs f_type of tmpfs (TMPFS_MAGIC). */
export const TMPFS_MAGIC = 0x01021994;

/** In each root: the resolved data dir of the agent that made it. */
export const OWNER_FILE = '.owner';

export interface MemoryRootOptions {
  readonly dataDir: string;
  /** Tests: the effective uid (default process.getuid()). */
  readonly uid?: number;
  /** Tests: the environment (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Tests: statfs (default node:fs's). */
  readonly statfs?: (dir: string) => Promise<{ readonly type: number }>;
  /** Tests: the base used as root (default /run). */
  readonly runDir?: string;
  /** Tests: mounts a tmpfs on a directory, as root only (default tmpfs-mount.ts, mode 0700). */
  readonly mountTmpfs?: (dir: string) => Promise<void>;
}

export type MemoryRoot =
  | { readonly dir: string }
  /** No tmpfs to use: secret/projected volumes stay in the data dir; `reason` says why. */
  | { readonly dir: undefined; readonly reason: string };

/** The memory-backed directory for this agent's secret/projected volumes, made 0700; see above. */
export async function chooseMemoryRoot(options: MemoryRootOptions): Promise<MemoryRoot> {
  const uid = options.uid ?? process.getuid?.();
  const env = options.env ?? process.env;
  let base: string;
  if (uid === 0) base = options.runDir ?? '/run';
  else if (env.XDG_RUNTIME_DIR) base = env.XDG_RUNTIME_DIR;
  else return { dir: undefined, reason: 'not root and XDG_RUNTIME_DIR is not set' };
  const volumes = path.join(base, 'k8ts', 'volumes');
  await removeAbandonedRoots(volumes);
  const owner = await resolvedDataDir(options.dataDir);
  const dir = path.join(volumes, hashOf(owner));
  const stat = options.statfs ?? ((at: string) => statfs(at));
  let type: number;
  try {
    // Asked of the nearest directory that exists, so nothing is made on a disk.
    type = (await statfsNearest(dir, stat)).type;
  } catch (error) {
    return { dir: undefined, reason: `cannot statfs ${base}: ${(error as Error).message}` };
  }
  if (type !== TMPFS_MAGIC && uid !== 0) return { dir: undefined, reason: `${base} is not a tmpfs` };
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (type !== TMPFS_MAGIC) {
      await (options.mountTmpfs ?? ((at: string) => mountTmpfs(at, undefined, '0700')))(dir);
      if ((await stat(dir)).type !== TMPFS_MAGIC) throw new Error('not a tmpfs after mounting');
    }
    await writeFile(path.join(dir, OWNER_FILE), owner, { mode: 0o600 });
  } catch (error) {
    const message = (error as Error).message;
    if (type === TMPFS_MAGIC) return { dir: undefined, reason: `cannot create ${dir}: ${message}` };
    // The mount point made on the disk goes again.
    if (!(await isMountPoint(dir))) await rmdir(dir).catch(() => undefined);
    return { dir: undefined, reason: `${base} is not a tmpfs and a tmpfs cannot be made at ${dir}: ${message}` };
  }
  return { dir };
}

/** 16 hex digits of the sha256 of the data dir's real path (its absolute path when missing). */
export async function dataDirHash(dataDir: string): Promise<string> {
  return hashOf(await resolvedDataDir(dataDir));
}

async function resolvedDataDir(dataDir: string): Promise<string> {
  return realpath(dataDir).catch(() => path.resolve(dataDir));
}

function hashOf(resolved: string): string {
  return createHash('sha256').update(resolved).digest('hex').slice(0, 16);
}

/** statfs of `dir`, or of its nearest ancestor that exists. */
async function statfsNearest<T>(dir: string, stat: (dir: string) => Promise<T>): Promise<T> {
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      return await stat(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(current) === current) throw error;
    }
  }
}

/**
 * Removes roots under `volumes` whose owner's data dir no longer exists: their agent can never
 * come back for them. Roots without an owner file (being made right now) are left alone.
 */
export async function removeAbandonedRoots(volumes: string): Promise<string[]> {
  const removed: string[] = [];
  const entries = await readdir(volumes).catch(() => [] as string[]);
  for (const entry of entries) {
    const dir = path.join(volumes, entry);
    const owner = await readFile(path.join(dir, OWNER_FILE), 'utf8').catch(() => undefined);
    if (owner === undefined || owner === '' || existsSync(owner)) continue;
    await unmountUnder(dir);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    removed.push(dir);
  }
  return removed;
}

/**
 * At agent stop: removes the root (and its tmpfs, if the agent mounted one) when no pod has
 * anything left in it. Pods keep running, and their volumes, across a restart; a data dir thrown
 * away leaves nothing behind in memory.
 */
export async function releaseMemoryRoot(dir: string): Promise<void> {
  // rmdir, not rm -r: a directory still holding a pod's volumes stays.
  await rmdir(path.join(dir, 'pods')).catch(() => undefined);
  if (existsSync(path.join(dir, 'pods'))) return;
  await rm(path.join(dir, OWNER_FILE), { force: true }).catch(() => undefined);
  if (await isMountPoint(dir)) await unmountUnder(dir);
  await rmdir(dir).catch(() => undefined);
}

/** Removes the root with everything in it, its tmpfs included: every pod of the agent is stopped. */
export async function removeMemoryRoot(dir: string): Promise<void> {
  await unmountUnder(dir);
  await rm(dir, { recursive: true, force: true });
}
