// Where secret and projected volumes live: in memory, never on disk. Upstream kubelet mounts a
// tmpfs per secret/projected volume so Secrets and ServiceAccount tokens never reach non-volatile
// storage. Here the agent picks one directory on a tmpfs that already exists, once at start, and
// every pod's secret/projected volumes go below it (no per-pod mount: spawning mount(8) from the
// big server process costs more than it saves, and a tmpfs also makes each file cheaper to write).
//   root:      /run/k8ts/volumes/<hash of the data dir>
//   not root:  $XDG_RUNTIME_DIR/k8ts/volumes/<hash of the data dir>
// each used only when statfs says tmpfs; otherwise the data dir, as before (the caller logs it).
// The name comes from the resolved data dir alone, so an agent restarted while its pods run finds
// their volumes where they were, and several agents on one machine (tests) never share one.
import { createHash } from 'node:crypto';
import { mkdir, realpath, rmdir, statfs } from 'node:fs/promises';
import path from 'node:path';

/** statfs f_type of tmpfs (TMPFS_MAGIC). */
export const TMPFS_MAGIC = 0x01021994;

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
  const dir = path.join(base, 'k8ts', 'volumes', await dataDirHash(options.dataDir));
  const stat = options.statfs ?? ((at: string) => statfs(at));
  let type: number;
  try {
    // Asked of the nearest directory that exists, so nothing is made on a disk.
    type = (await statfsNearest(dir, stat)).type;
  } catch (error) {
    return { dir: undefined, reason: `cannot statfs ${base}: ${(error as Error).message}` };
  }
  if (type !== TMPFS_MAGIC) return { dir: undefined, reason: `${base} is not a tmpfs` };
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    return { dir: undefined, reason: `cannot create ${dir}: ${(error as Error).message}` };
  }
  return { dir };
}

/** 16 hex digits of the sha256 of the data dir's real path (its absolute path when missing). */
export async function dataDirHash(dataDir: string): Promise<string> {
  const resolved = await realpath(dataDir).catch(() => path.resolve(dataDir));
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
 * At agent stop: removes the root when no pod has anything left in it (pods keep running, and
 * their volumes, across a restart; a data dir thrown away leaves nothing behind in memory).
 */
export async function releaseMemoryRoot(dir: string): Promise<void> {
  // rmdir, not rm -r: a directory still holding a pod's volumes stays.
  await rmdir(path.join(dir, 'pods')).catch(() => undefined);
  await rmdir(dir).catch(() => undefined);
}
