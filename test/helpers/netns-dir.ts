// Makes /run/netns a shared mount of its own before anything mounts a network namespace there.
//
// Why: `ip netns add` turns /run/netns into a bind mount of itself the first time it runs on a
// host (recursively, so it can make it shared). Namespaces that containerd had already mounted
// under the directory are then mounted in two layers; containerd unmounts the upper one and its
// unlink fails with EBUSY (`failed to remove netns ... device or resource busy`), so the sandbox
// can never be removed. On a freshly booted machine (CI) the containerd suites run beside suites
// that call `ip netns add`, which hit exactly this. Doing the first `ip netns add` here, while no
// namespace is mounted yet, closes that window; once /run/netns is a mount point ip leaves it alone.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const NETNS_DIR = '/run/netns';

/** True when /run/netns (or /var/run/netns) is a mount point of this mount namespace. */
export function netnsDirIsMountPoint(mountInfo = readFileSync('/proc/self/mountinfo', 'utf8')): boolean {
  // mountinfo's fifth field is the mount point.
  return mountInfo.split('\n').some((line) => {
    const mountPoint = line.split(' ')[4];
    return mountPoint === NETNS_DIR || mountPoint === '/var/run/netns';
  });
}

/** Runs one `ip netns add` + `delete` when /run/netns is not a mount point yet; needs root. */
export async function primeNetnsDir(): Promise<void> {
  if (netnsDirIsMountPoint()) return;
  const name = `k8ts-prime-${randomBytes(3).toString('hex')}`;
  await run('ip', ['netns', 'add', name]);
  await run('ip', ['netns', 'delete', name]);
}
