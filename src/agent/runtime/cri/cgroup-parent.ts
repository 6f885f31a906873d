// containerd (cgroupfs driver) creates a pod's cgroup parent in every hierarchy when the first of
// its containers starts, and removes the containers' own cgroups, but never the parent itself
// (containerd-node.md §2): without this, each pod would leave empty directories behind in every
// controller. rmdir only succeeds on an empty cgroup, so a parent still in use (another sandbox
// attempt of the same pod) is left alone.
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

export const CGROUP_MOUNT = '/sys/fs/cgroup';

/** Each hierarchy's directory: the v1 controllers, plus `unified` (cgroup2 in hybrid mode) or the root itself (pure v2). */
export async function cgroupHierarchies(mount = CGROUP_MOUNT): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(mount, { withFileTypes: true });
  } catch {
    return [];
  }
  // A pure cgroup2 mount has files (cgroup.controllers) at the top and sub-cgroups as directories:
  // then the mount itself is the one hierarchy.
  if (entries.some((e) => e.name === 'cgroup.controllers')) return [mount];
  return entries.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => join(mount, e.name));
}

/** rmdir `cgroupPath` (e.g. `/k8ts/pod<uid>`) in every hierarchy; returns where it is still present. */
export async function removeCgroupParent(cgroupPath: string, mount = CGROUP_MOUNT): Promise<string[]> {
  const left: string[] = [];
  await Promise.all(
    (await cgroupHierarchies(mount)).map(async (hierarchy) => {
      const dir = join(hierarchy, cgroupPath);
      try {
        await rmdir(dir);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') left.push(dir);
      }
    }),
  );
  return left;
}
