// What a private containerd instance leaves on the host outside its own dir, found and removed by
// what identifies it uniquely — never by a process name pattern, never anything shared:
//   processes: the PIDs we spawned, the shims whose `-address` is our socket, and their descendants;
//   network: our bridge and the veths on it, nat rules that name our CNI network (portmap writes
//     `dnat name: "<network>"` comments), libcni's cache files /var/lib/cni/results/<network>-*;
//   mounts below our dir (overlay rootfs, shm), and pod cgroups whose name holds one of our pod
//   UIDs or sandbox ids under /sys/fs/cgroup/<hierarchy>/k8ts*.
// Left alone on purpose: portmap's shared CNI-HOSTPORT-* chains and their jumps (other instances
// and the process runtime use them; they hold no rule of ours once our per-pod chains are gone),
// and net.ipv4.ip_forward=1.
import { execFile } from 'node:child_process';
import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const CGROUP_ROOT = '/sys/fs/cgroup';
const CNI_RESULTS = '/var/lib/cni/results';

async function run(command: string, args: readonly string[], input?: string): Promise<string> {
  if (input === undefined) return (await execFileAsync(command, args)).stdout;
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, (error, stdout) => (error === null ? resolve(stdout) : reject(new Error(`${command} failed`, { cause: error }))));
    child.stdin?.end(input);
  });
}

async function readOr(path: string, fallback: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => fallback);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Shims started for our socket, plus every descendant of them (pause and container processes). */
export async function shimTree(socket: string): Promise<number[]> {
  const parents = new Map<number, number>();
  const shims: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const statLine = await readOr(`/proc/${pid}/stat`, '');
    // Field 4 is the parent PID; the command name (field 2) may hold spaces, so split after ')'.
    const ppid = Number(statLine.slice(statLine.lastIndexOf(')') + 2).split(' ')[1]);
    if (Number.isInteger(ppid)) parents.set(pid, ppid);
    const argv = (await readOr(`/proc/${pid}/cmdline`, '')).split('\0');
    const address = argv.indexOf('-address');
    if (address >= 0 && argv[address + 1] === socket && (argv[0] ?? '').includes('containerd-shim')) shims.push(pid);
  }
  const tree = new Set(shims);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!tree.has(pid) && tree.has(ppid)) {
        tree.add(pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

export async function linkExists(name: string): Promise<boolean> {
  return stat(`/sys/class/net/${name}`).then(() => true, () => false);
}

/** Interfaces enslaved to the bridge (the pods' host-side veths). */
export async function bridgePorts(bridge: string): Promise<string[]> {
  return readdir(`/sys/class/net/${bridge}/brif`).catch(() => []);
}

export async function deleteLink(name: string): Promise<void> {
  if (await linkExists(name)) await run('ip', ['link', 'del', name]).catch(() => undefined);
}

/** Mount points at or below `dir`, deepest first (the order to unmount them in). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const lines = (await readOr('/proc/self/mountinfo', '')).split('\n');
  const points = lines
    .map((line) => (line.split(' ')[4] ?? '').replace(/\\040/g, ' '))
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

export async function unmountUnder(dir: string): Promise<void> {
  for (const point of await mountsUnder(dir)) await run('umount', ['-l', point]).catch(() => undefined);
}

const SHARED_CHAINS = new Set(['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING', 'CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-MASQ', 'CNI-HOSTPORT-SETMARK']);

interface NatState {
  /** Rules that name our network (portmap's jumps from CNI-HOSTPORT-DNAT into a per-pod chain). */
  readonly namedRules: string[];
  /** The per-pod chains those rules jump to. */
  readonly chains: Set<string>;
  /** Every rule inside those chains. */
  readonly chainRules: string[];
}

async function natState(networkName: string): Promise<NatState> {
  const rules = (await run('iptables-save', ['-t', 'nat']).catch(() => '')).split('\n').filter((line) => line.startsWith('-A '));
  // iptables-save writes portmap's comment as: --comment "dnat name: \"<network>\" id: \"<container>\""
  const namedRules = rules.filter((line) => line.includes(`\\"${networkName}\\"`));
  const chains = new Set(
    namedRules.map((line) => / -j (\S+)/.exec(line)?.[1] ?? '').filter((chain) => chain !== '' && !SHARED_CHAINS.has(chain) && /^CNI-/.test(chain)),
  );
  const chainRules = rules.filter((line) => chains.has(line.split(' ')[1] ?? ''));
  return { namedRules, chains, chainRules };
}

/** nat rules of our network: portmap's named jumps and the per-pod chains they lead to. */
export async function natRulesOf(networkName: string): Promise<string[]> {
  const state = await natState(networkName);
  return [...state.namedRules, ...state.chainRules];
}

/**
 * Removes portmap's rules for our pods: the named jumps, then the per-pod chains. (A CNI DEL does
 * this; this is for pods whose DEL never ran.)
 */
export async function removeNatRules(networkName: string): Promise<void> {
  const { namedRules, chains } = await natState(networkName);
  if (namedRules.length === 0 && chains.size === 0) return;
  const script = ['*nat', ...namedRules.map((line) => `-D ${line.slice(3)}`), ...[...chains].flatMap((chain) => [`-F ${chain}`, `-X ${chain}`]), 'COMMIT', ''];
  await run('iptables-restore', ['--noflush'], script.join('\n')).catch(() => undefined);
}

/**
 * libcni's cached ADD results of our pods: `<network>-<sandbox>-eth0` for our network, and
 * `cni-loopback-<sandbox>-lo` (containerd's built-in loopback network) for sandbox ids in `ids`.
 */
export async function cniResultFiles(networkName: string, ids: ReadonlySet<string>): Promise<string[]> {
  const names = await readdir(CNI_RESULTS).catch(() => []);
  return names
    .filter((name) => name.startsWith(`${networkName}-`) || (name.startsWith('cni-loopback-') && ids.has(name.slice('cni-loopback-'.length, -'-lo'.length))))
    .map((name) => join(CNI_RESULTS, name));
}

export async function removeCniResults(networkName: string, ids: ReadonlySet<string>): Promise<void> {
  for (const file of await cniResultFiles(networkName, ids)) await rm(file, { force: true });
}

/**
 * Pod cgroup dirs of ours: below /sys/fs/cgroup/<hierarchy>/k8ts*, any dir whose name holds one
 * of `keys` (pod UIDs, also with '_' for '-', and sandbox ids). Deepest first.
 */
export async function cgroupDirsOf(keys: ReadonlySet<string>): Promise<string[]> {
  if (keys.size === 0) return [];
  const variants = [...keys].flatMap((key) => [key, key.replace(/-/g, '_')]);
  const found: string[] = [];
  const walk = async (dir: string, depth: number, inside: boolean): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (inside && variants.some((key) => entry.name.includes(key))) found.push(path);
      if (depth < 4) await walk(path, depth + 1, true);
    }
  };
  for (const hierarchy of await readdir(CGROUP_ROOT).catch(() => [])) {
    const top = await readdir(join(CGROUP_ROOT, hierarchy), { withFileTypes: true }).catch(() => []);
    for (const entry of top) {
      if (entry.isDirectory() && entry.name.startsWith('k8ts')) await walk(join(CGROUP_ROOT, hierarchy, entry.name), 1, true);
    }
  }
  return found.sort((a, b) => b.length - a.length);
}

/** rmdir (cgroups cannot be rm -r'd: each level must be empty of children and processes). */
export async function rmdirCgroups(paths: readonly string[]): Promise<void> {
  const all = new Set<string>();
  for (const path of paths) {
    all.add(path);
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
        if (entry.isDirectory()) {
          all.add(join(dir, entry.name));
          await walk(join(dir, entry.name));
        }
      }
    };
    await walk(path);
  }
  for (const dir of [...all].sort((a, b) => b.length - a.length)) await rmdir(dir).catch(() => undefined);
}

const NETNS_DIR = '/run/netns';

/** The network namespace inodes of these processes (pods' namespaces, as CNI's netns files pin them). */
export async function netnsInodesOf(pids: readonly number[]): Promise<Set<number>> {
  const inodes = new Set<number>();
  for (const pid of pids) {
    const info = await stat(`/proc/${pid}/ns/net`).catch(() => undefined);
    if (info !== undefined) inodes.add(info.ino);
  }
  const hostNs = await stat('/proc/1/ns/net').catch(() => undefined);
  if (hostNs !== undefined) inodes.delete(hostNs.ino);
  return inodes;
}

/** Files in /run/netns (bind mounts of namespaces) that pin one of `inodes`. */
export async function netnsFilesOf(inodes: ReadonlySet<number>): Promise<string[]> {
  if (inodes.size === 0) return [];
  const files: string[] = [];
  for (const name of await readdir(NETNS_DIR).catch(() => [])) {
    const info = await stat(join(NETNS_DIR, name)).catch(() => undefined);
    if (info !== undefined && inodes.has(info.ino)) files.push(join(NETNS_DIR, name));
  }
  return files;
}

export async function removeNetnsFiles(files: readonly string[]): Promise<void> {
  for (const file of files) {
    await run('umount', [file]).catch(() => undefined);
    await rm(file, { force: true });
  }
}

/**
 * Names of the cgroup dirs these processes live in below a /k8ts* root (pod<uid>, container ids),
 * as keys for cgroupDirsOf: how a pod that came and went unseen by CRI listing is still found.
 */
export async function cgroupKeysOf(pids: readonly number[]): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const pid of pids) {
    for (const line of (await readOr(`/proc/${pid}/cgroup`, '')).split('\n')) {
      const [top, ...rest] = (line.split(':')[2] ?? '').split('/').filter(Boolean);
      if (top?.startsWith('k8ts') === true) for (const part of rest) keys.add(part);
    }
  }
  return keys;
}
