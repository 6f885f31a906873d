// The files of a configMap, secret, downwardAPI or projected volume: which keys become which files
// with which modes, and writing them into the volume's host directory.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KeyToPath } from 'kubernetes-types/core/v1.js';

/** 0644, the default mode of configMap, secret, downwardAPI and projected files. */
export const DEFAULT_MODE = 0o644;

export interface VolumeFile {
  /** Path relative to the volume directory. */
  readonly file: string;
  readonly content: string | Buffer;
  readonly mode: number;
}

/**
 * Keys to write: every key, or the chosen items. `missing` says what a missing item key is: an
 * error message, or undefined to skip it (an optional source).
 */
export function selectFiles(
  all: Readonly<Record<string, string>>,
  items: readonly KeyToPath[] | undefined,
  defaultMode: number,
  missing: (key: string) => string | undefined,
): VolumeFile[] {
  if (!items || items.length === 0) return Object.entries(all).map(([key, content]) => ({ file: key, content, mode: defaultMode }));
  const files: VolumeFile[] = [];
  for (const item of items) {
    const content = all[item.key];
    if (content === undefined) {
      const error = missing(item.key);
      if (error) throw new Error(error);
      continue;
    }
    files.push({ file: item.path, content, mode: item.mode ?? defaultMode });
  }
  return files;
}

/** base64 values (Secret data, ConfigMap binaryData) as text. */
export function decoded(data: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data ?? {})) out[k] = Buffer.from(v, 'base64').toString('utf8');
  return out;
}

/** The symlink to the current timestamped directory, and the one renamed over it (kubelet's names). */
const DATA_DIR = '..data';
const NEW_DATA_DIR = '..data_tmp';

/**
 * Puts `files` into `dir` as kubelet's AtomicWriter lays a volume out: the payload lives in a
 * hidden timestamped directory (`..2026_11_27_23_00_00.xxxxxx`), `..data` is a symlink to it, and
 * each top-level user-visible path is a relative symlink `key -> ..data/key` (for `a/b`, `a ->
 * ..data/a`). An update fills a new timestamped directory and renames a fresh `..data_tmp` symlink
 * over `..data`, so a reader sees the whole old payload or the whole new one, never a mix (config
 * reloaders watch `..data` for that). `dir` itself is never replaced: running containers that
 * bind-mounted it (an agent restarted under them) see the swap. Unchanged content skips the swap.
 */
export async function writeFiles(dir: string, files: readonly VolumeFile[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const payload = new Map<string, VolumeFile>();
  for (const f of files) {
    const rel = relativePath(dir, f.file);
    if (rel !== undefined) payload.set(rel, f);
  }
  const dataLink = path.join(dir, DATA_DIR);
  const oldTsName = await readlink(dataLink).catch(() => undefined);
  const oldTsDir = oldTsName === undefined ? undefined : path.join(dir, oldTsName);
  const changed = oldTsDir === undefined || (await payloadDiffers(oldTsDir, payload));
  let currentTsName = oldTsName;
  if (changed) {
    currentTsName = await writeTimestampDir(dir, payload);
    const tempLink = path.join(dir, NEW_DATA_DIR);
    await rm(tempLink, { force: true });
    await symlink(currentTsName, tempLink);
    await rename(tempLink, dataLink);
  }
  const visible = new Set([...payload.keys()].map((rel) => rel.split(path.sep)[0] ?? rel));
  for (const top of visible) await linkUserVisible(dir, top);
  // Afterwards: user-visible paths no longer in the payload (or plain files of the layout before
  // this one), then the previous timestamped directory and any a crash left behind.
  for (const entry of await readdir(dir)) {
    if (visible.has(entry) || entry === DATA_DIR || entry === currentTsName) continue;
    await rm(path.join(dir, entry), { recursive: true, force: true });
  }
}

/** `file` relative to `dir`, or undefined for an escape or a name of ours (`..`-prefixed). */
function relativePath(dir: string, file: string): string | undefined {
  const target = path.join(dir, file);
  // Paths are validated by the API server (no absolute paths, no `..` elements); refuse them anyway.
  if (!target.startsWith(dir + path.sep)) return undefined;
  const rel = target.slice(dir.length + 1);
  return rel.startsWith('..') ? undefined : rel;
}

/** Whether any file is new, gone, or differs in content or mode from the current payload. */
async function payloadDiffers(tsDir: string, payload: ReadonlyMap<string, VolumeFile>): Promise<boolean> {
  const current = await readPayload(tsDir).catch(() => undefined);
  if (current === undefined || current.size !== payload.size) return true;
  for (const [rel, want] of payload) {
    const have = current.get(rel);
    if (!have || have.mode !== want.mode || !Buffer.from(have.content).equals(Buffer.from(want.content))) return true;
  }
  return false;
}

/** The files under a timestamped directory, keyed by relative path. */
async function readPayload(tsDir: string): Promise<Map<string, VolumeFile>> {
  const out = new Map<string, VolumeFile>();
  for (const entry of await readdir(tsDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(tsDir, full);
    const mode = (await stat(full)).mode & 0o7777;
    out.set(rel, { file: rel, content: await readFile(full), mode });
  }
  return out;
}

/** A new `..<UTC timestamp>.<random>` directory holding the payload; returns its name. */
async function writeTimestampDir(dir: string, payload: ReadonlyMap<string, VolumeFile>): Promise<string> {
  // The name is informational only (as upstream's), so the wall clock is good enough here.
  const stamp = new Date().toISOString().replace(/^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)\..*$/, '$1_$2_$3_$4_$5_$6');
  const tsDir = await mkdtemp(path.join(dir, `..${stamp}.`));
  // mkdtemp makes it 0700; group and other must be able to walk to the files (upstream: 0755).
  await chmod(tsDir, 0o755);
  try {
    for (const [rel, { content, mode }] of payload) {
      const target = path.join(tsDir, rel);
      await mkdir(path.dirname(target), { recursive: true, mode: 0o755 });
      await writeFile(target, content, { mode });
      // writeFile's mode is masked by the umask; the volume asks for exactly this one.
      await chmod(target, mode);
    }
  } catch (error) {
    await rm(tsDir, { recursive: true, force: true });
    throw error;
  }
  return path.basename(tsDir);
}

/** `dir/top -> ..data/top`, replacing whatever else is there (a plain file of the older layout). */
async function linkUserVisible(dir: string, top: string): Promise<void> {
  const link = path.join(dir, top);
  const want = path.join(DATA_DIR, top);
  const have = await lstat(link).catch(() => undefined);
  if (have?.isSymbolicLink() && (await readlink(link)) === want) return;
  if (have?.isDirectory()) await rm(link, { recursive: true, force: true });
  const temp = path.join(dir, `.${top}.${randomBytes(4).toString('hex')}.tmp`);
  await symlink(want, temp);
  await rename(temp, link);
}

/**
 * Replaces one file of a volume (a refreshed token) at host path `file`. In a volume laid out with
 * `..data`, the whole payload is rewritten with that file changed, through the same swap; in a
 * plain directory the file is written beside and renamed over: either way a reader sees the old
 * content or the new, whole.
 */
export async function replaceFile(file: string, content: string | Buffer, mode: number): Promise<void> {
  const dir = await volumeDirOf(file);
  if (dir !== undefined) {
    const rel = path.relative(dir, file);
    const payload = await readPayload(path.join(dir, DATA_DIR));
    payload.set(rel, { file: rel, content, mode });
    await writeFiles(dir, [...payload.values()]);
    return;
  }
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, content, { mode });
    await chmod(temp, mode);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** The nearest directory above `file` that holds a `..data` symlink (the volume's), if any. */
async function volumeDirOf(file: string): Promise<string | undefined> {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const link = await lstat(path.join(dir, DATA_DIR)).catch(() => undefined);
    if (link?.isSymbolicLink()) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}
