// The files of a configMap, secret, downwardAPI or projected volume: which keys become which files
// with which modes, and writing them into the volume's host directory.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
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

/**
 * Puts `files` into `dir`. A new directory is filled beside and renamed into place. An existing
 * one (an agent restarted under running containers, which bind-mounted that very directory) is
 * updated in place: each file is written beside and renamed over its old self, and files no longer
 * wanted are removed, so the containers see the new content; replacing the directory would leave
 * them looking at the old, deleted one.
 */
export async function writeFiles(dir: string, files: readonly VolumeFile[]): Promise<void> {
  const existing = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (existing) await updateInPlace(dir, files);
  else await swapIn(dir, files);
}

function inside(dir: string, file: string): string | undefined {
  const target = path.join(dir, file);
  // Paths are validated by the API server; refuse escapes anyway.
  return target.startsWith(dir + path.sep) ? target : undefined;
}

async function swapIn(dir: string, files: readonly VolumeFile[]): Promise<void> {
  const staging = `${dir}.staging`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  for (const { file, content, mode } of files) {
    const target = inside(staging, file);
    if (target === undefined) continue;
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    await chmod(target, mode);
  }
  await rm(dir, { recursive: true, force: true });
  await rename(staging, dir);
}

async function updateInPlace(dir: string, files: readonly VolumeFile[]): Promise<void> {
  const wanted = new Set<string>();
  for (const { file, content, mode } of files) {
    const target = inside(dir, file);
    if (target === undefined) continue;
    wanted.add(target);
    await mkdir(path.dirname(target), { recursive: true });
    await replaceFile(target, content, mode);
  }
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const full = path.join(entry.parentPath, entry.name);
    if (!entry.isDirectory() && !wanted.has(full)) await rm(full, { force: true });
  }
}

/** Writes beside the file, then renames over it: a reader sees the old content or the new, whole. */
export async function replaceFile(file: string, content: string | Buffer, mode: number): Promise<void> {
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
