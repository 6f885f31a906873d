// Memory-backed emptyDir volumes: a tmpfs mounted on the volume's directory (kubelet's
// emptyDir medium Memory), sized by sizeLimit when given (else the kernel's default, half of RAM).
// Mounts are found again from /proc/self/mountinfo, not from memory, so an agent restarted while a
// pod runs neither mounts twice nor forgets to unmount: unmountUnder(podDir) before the pod's
// directory is removed takes away every mount below it, deepest first.
import { execFile } from 'node:child_process';
import { mkdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Mount points from mountinfo text (field 5, with the kernel's octal escapes: `\040` is a space). */
export function parseMountPoints(mountinfo: string): string[] {
  const points: string[] = [];
  for (const line of mountinfo.split('\n')) {
    const field = line.split(' ')[4];
    if (field) points.push(field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8))));
  }
  return points;
}

async function mountPoints(): Promise<string[]> {
  try {
    return parseMountPoints(await readFile('/proc/self/mountinfo', 'utf8'));
  } catch {
    return [];
  }
}

async function resolved(dir: string): Promise<string> {
  try {
    return await realpath(dir);
  } catch {
    return path.resolve(dir);
  }
}

export async function isMountPoint(dir: string): Promise<boolean> {
  const target = await resolved(dir);
  return (await mountPoints()).includes(target);
}

/** Only root may mount (and the agent then really runs pods for the kernel). */
export function canMountTmpfs(): boolean {
  return process.getuid?.() === 0;
}

/** Mounts a tmpfs on `dir` (made if missing) unless one is there already; `mode` is its root's (default 0777). */
export async function mountTmpfs(dir: string, sizeBytes?: number, mode = '0777'): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (await isMountPoint(dir)) return;
  const options = [`mode=${mode}`, ...(sizeBytes !== undefined && sizeBytes > 0 ? [`size=${Math.ceil(sizeBytes)}`] : [])];
  try {
    await run('mount', ['-t', 'tmpfs', '-o', options.join(','), 'tmpfs', dir]);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`mount failed: ${stderr || (error as Error).message}`, { cause: error });
  }
}

/** Unmounts every mount at or below `dir`, deepest first; a busy one is detached (lazy). */
export async function unmountUnder(dir: string): Promise<string[]> {
  const base = await resolved(dir);
  const done: string[] = [];
  // Mounts can be stacked on one point: look again until nothing is left (a few rounds at most).
  for (let round = 0; round < 5; round++) {
    const below = (await mountPoints()).filter((p) => p === base || p.startsWith(base + path.sep));
    if (below.length === 0) break;
    for (const point of [...new Set(below)].sort((a, b) => b.length - a.length)) {
      try {
        await run('umount', [point]);
      } catch {
        await run('umount', ['-l', point]).catch(() => undefined);
      }
      done.push(point);
    }
  }
  return done;
}
