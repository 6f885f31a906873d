// hostPath volumes with kubelet's type checks (pkg/volume/hostpath checkType): the path is used as
// it is; `type` says what must be there, and the *OrCreate types make it (a 0755 directory with
// parents, or an empty 0644 file). A failed check fails the mount (Event FailedMount, the pod stays
// ContainerCreating): `hostPath type check failed: /x is not a directory`.
import { mkdir, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { HostPathVolumeSource } from 'kubernetes-types/core/v1.js';

async function statOf(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch {
    return undefined;
  }
}

/** Go's os error text (`open /x/y: no such file or directory`) from a Node one. */
function goError(error: unknown, op: string, file: string): Error {
  const e = error as NodeJS.ErrnoException;
  const detail = /^[A-Z]+: ([^,]+),/.exec(e.message)?.[1] ?? e.message;
  return new Error(`${e.syscall ?? op} ${file}: ${detail}`);
}

async function makeDir(file: string): Promise<void> {
  try {
    await mkdir(file, { recursive: true, mode: 0o755 });
  } catch (error) {
    throw goError(error, 'mkdir', file);
  }
}

async function makeFile(file: string): Promise<void> {
  try {
    // O_CREAT without O_EXCL: an existing file (or directory) is fine, as upstream's makeFile.
    await (await open(file, 'a', 0o644)).close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') return;
    throw goError(error, 'open', file);
  }
}

function failed(file: string, what: string): Error {
  return new Error(`hostPath type check failed: ${file} is not ${what}`);
}

/** Checks (and for *OrCreate makes) the host path; returns it. Throws with upstream's messages. */
export async function setUpHostPath(source: HostPathVolumeSource): Promise<string> {
  const file = source.path;
  const type = source.type ?? '';
  if (type === '') return file;
  const found = await statOf(file);
  switch (type) {
    case 'DirectoryOrCreate':
      if (!found) {
        await makeDir(file);
        return file;
      }
      if (!found.isDirectory()) throw failed(file, 'a directory');
      return file;
    case 'Directory':
      if (!found?.isDirectory()) throw failed(file, 'a directory');
      return file;
    case 'FileOrCreate':
      if (!found) {
        await makeFile(file);
        return file;
      }
      if (!found.isFile()) throw failed(file, 'a file');
      return file;
    case 'File':
      if (!found?.isFile()) throw failed(file, 'a file');
      return file;
    case 'Socket':
      if (!found?.isSocket()) throw failed(file, 'a socket file');
      return file;
    case 'CharDevice':
      if (!found?.isCharacterDevice()) throw failed(file, 'a character device');
      return file;
    case 'BlockDevice':
      if (!found?.isBlockDevice()) throw failed(file, 'a block device');
      return file;
    default:
      throw new Error(`${type} is an invalid volume type`);
  }
}
