// A private containerd for tests, benchmarks and developers (shared/docs/containerd-node.md §2, §8):
// its own socket and state under `dir`, its own loopback docker-registry holding the test images
// (httpd, shell, pause; scripts/images), a CNI conflist with a bridge name, network name and /24
// pod subnet of its own (several instances run on one machine at once), a stream server on a free
// loopback port. Nothing here touches a system containerd or /run/containerd/containerd.sock.
//
//   const env = await startContainerdEnv();            // throws under CI=true if something is missing
//   ... --runtime containerd --cri-socket env.socket --pod-cidr env.podCidr, image env.images.httpd
//   await env.stop(); assert.deepEqual(await env.leftovers(), []);
//
// Tests that cannot run without it: `const skip = containerdSkipReason()` then `{ skip }`.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { accessSync, constants, existsSync, openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '../../src/lib/logger.js';
import { waitForRegistry } from '../../scripts/images/registry-push.js';
import { BUSYBOX, pushTestImages, type TestImages } from '../../scripts/images/test-images.js';
import { CNI_BIN_DIR, RUNC, containerdLayout, writeContainerdFiles, type ContainerdLayout } from './containerd-config.js';
import {
  bridgePorts, cgroupDirsOf, cgroupKeysOf, cniResultFiles, deleteLink, linkExists, mountsUnder, natRulesOf, netnsFilesOf, netnsInodesOf,
  pidAlive, removeCniResults, removeNatRules, removeNetnsFiles, rmdirCgroups, shimTree, unmountUnder,
} from './containerd-host-state.js';
import { CriMiniClient } from './cri-mini-client.js';
import { freePort } from './free-port.js';
import { primeNetnsDir } from './netns-dir.js';

export interface ContainerdEnvOptions {
  /** Root of everything this instance writes; created if missing, removed by stop(). Default: a new /tmp/k8ts-cd-* dir. */
  readonly dir?: string;
  readonly logger?: Logger;
}

export interface ContainerdEnv {
  readonly dir: string;
  /** containerd's gRPC (CRI) socket. */
  readonly socket: string;
  /** containerd's CRI stream server (exec/attach/port-forward URLs) on 127.0.0.1. */
  readonly streamPort: number;
  /** The loopback registry, host:port (plain HTTP). */
  readonly registry: string;
  /** Image references in that registry; `pause` is containerd's sandbox_image. */
  readonly images: TestImages;
  readonly bridge: string;
  /** The CNI network name (unique per instance). */
  readonly networkName: string;
  /** The pod subnet of the bridge (host-local IPAM range); give it to the agent as --pod-cidr. */
  readonly podCidr: string;
  readonly cniConfDir: string;
  readonly containerdLog: string;
  readonly containerdPid: () => number | undefined;
  /** PullImage through CRI (e.g. to have an image present before a benchmark). */
  pull(image: string): Promise<string>;
  /** kill -9 containerd and start it again on the same state (shims and pods keep running). */
  restart(): Promise<void>;
  /** Removes every sandbox, stops our processes, and removes the network, mounts, cgroups and dir. */
  stop(): Promise<void>;
  /** Anything of ours still present, one line each; [] when clean. */
  leftovers(): Promise<string[]>;
}

const BINARIES = [
  ['containerd', '/usr/bin/containerd', 'containerd'],
  ['containerd-shim-runc-v2', '/usr/bin/containerd-shim-runc-v2', 'containerd'],
  ['runc', RUNC, 'runc'],
  ['docker-registry', '/usr/bin/docker-registry', 'docker-registry'],
  ['busybox (static)', BUSYBOX, 'busybox-static'],
  ['CNI bridge plugin', `${CNI_BIN_DIR}/bridge`, 'containernetworking-plugins'],
  ['CNI host-local plugin', `${CNI_BIN_DIR}/host-local`, 'containernetworking-plugins'],
  ['CNI portmap plugin', `${CNI_BIN_DIR}/portmap`, 'containernetworking-plugins'],
  ['CNI loopback plugin', `${CNI_BIN_DIR}/loopback`, 'containernetworking-plugins'],
  ['iptables', '/usr/sbin/iptables', 'iptables'],
  ['ip', '/usr/sbin/ip', 'iproute2'],
  ['tar', '/usr/bin/tar', 'tar'],
] as const;

/** A static ELF has no PT_INTERP program header (type 3). */
function isStaticElf(path: string): boolean {
  const header = readFileSync(path).subarray(0, 1 << 16);
  if (header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2) return false;
  const phoff = Number(header.readBigUInt64LE(0x20));
  const phentsize = header.readUInt16LE(0x36);
  const phnum = header.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) if (header.readUInt32LE(phoff + i * phentsize) === 3) return false;
  return true;
}

function missingParts(): string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (containerd, CNI and cgroups need uid 0)');
  for (const [what, path, pkg] of BINARIES) {
    try {
      accessSync(path, constants.X_OK);
      if (path === BUSYBOX && !isStaticElf(path)) missing.push(`${what}: ${path} is dynamically linked (apt-get install ${pkg})`);
    } catch {
      missing.push(`${what} at ${path} (apt-get install ${pkg})`);
    }
  }
  return missing;
}

/**
 * Undefined when a private containerd can be started here; otherwise why a test should skip.
 * Under CI=true a missing part is a broken machine, so this throws instead.
 */
export function containerdSkipReason(): string | undefined {
  const missing = missingParts();
  if (missing.length === 0) return undefined;
  const message = `a private containerd cannot run here; missing: ${missing.join('; ')} (see scripts/setup-node.sh, .ci/run)`;
  if (process.env.CI === 'true') throw new Error(message);
  return message;
}

export function containerdAvailable(): boolean {
  return missingParts().length === 0;
}

/** A /24 in 10.200-254.x.0 that no route on this machine overlaps (routes show other bridges' subnets). */
async function pickPodCidr(): Promise<string> {
  const routes = await readFile('/proc/net/route', 'utf8').catch(() => '');
  const inUse = (a: number, b: number) =>
    routes.split('\n').slice(1).some((line) => {
      const [, destination, , , , , , mask] = line.split('\t');
      if (destination === undefined || mask === undefined) return false;
      const dst = Number.parseInt(destination, 16);
      const m = Number.parseInt(mask, 16);
      const ours = (10 | (a << 8) | (b << 16)) >>> 0; // /proc/net/route is little-endian
      return m !== 0 && ((dst & m) >>> 0) === ((ours & m) >>> 0);
    });
  for (;;) {
    const a = randomInt(200, 255);
    const b = randomInt(0, 256);
    if (!inUse(a, b)) return `10.${a}.${b}.0/24`;
  }
}

function spawnLogged(command: string, args: readonly string[], logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    return spawn(command, args, { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
}

async function waitExit(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').slice(-3000);
  } catch {
    return '';
  }
}

export async function startContainerdEnv(options: ContainerdEnvOptions = {}): Promise<ContainerdEnv> {
  const skip = containerdSkipReason();
  if (skip !== undefined) throw new Error(skip);
  const logger = options.logger?.child({ component: 'containerd-env' });
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'k8ts-cd-')));
  await mkdir(dir, { recursive: true });
  const layout: ContainerdLayout = containerdLayout(dir);
  if (layout.socket.length > 100) throw new Error(`dir ${dir} is too long for a unix socket path; use a shorter one`);
  const suffix = randomBytes(3).toString('hex');
  const bridge = `k8ts${suffix}`;
  const networkName = `k8ts-env-${suffix}`;
  const [registryPort, streamPort, podCidr] = [await freePort(), await freePort(), await pickPodCidr()];
  const registry = `127.0.0.1:${registryPort}`;
  const settings = { registry, sandboxImage: `${registry}/k8ts/pause:v1`, streamPort, bridge, networkName, podCidr };
  await writeContainerdFiles(layout, settings);
  const containerdLog = join(layout.logDir, 'containerd.log');

  let registryProcess: ChildProcess | undefined;
  let containerd: ChildProcess | undefined;
  const cri = new CriMiniClient(layout.socket);
  // Pod UIDs and sandbox ids ever seen, to find their cgroups later (the agent may remove a
  // sandbox and forget its cgroup parent while we are not looking).
  const seen = new Set<string>();
  // /run/netns/cni-* files of pods still running at stop(), in case containerd cannot remove them
  // (it died). Kept by path, not by namespace inode: once the namespace is freed its inode number
  // is reused, and a concurrent test's new namespace may get it.
  const netnsFiles = new Set<string>();
  const remember = async (): Promise<void> => {
    for (const key of await cgroupKeysOf(await shimTree(layout.socket))) seen.add(key);
    if (containerd?.exitCode !== null) return;
    for (const sandbox of await cri.listPodSandboxes(2000).catch(() => [])) {
      seen.add(sandbox.id);
      if (sandbox.uid !== '') seen.add(sandbox.uid);
    }
  };
  const sampler = setInterval(() => void remember(), 1000);
  sampler.unref();

  const startContainerd = async (): Promise<void> => {
    await primeNetnsDir();
    const child = spawnLogged('/usr/bin/containerd', ['--config', layout.configFile], containerdLog);
    containerd = child;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`containerd exited during startup:\n${tail(containerdLog)}`);
      const conditions = await cri.conditions(1000).catch(() => undefined);
      if (conditions?.RuntimeReady === true && conditions.NetworkReady === true) return;
      if (Date.now() > deadline) throw new Error(`containerd not ready within 30 s (${JSON.stringify(conditions)}):\n${tail(containerdLog)}`);
      await delay(25);
    }
  };

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    clearInterval(sampler);
    await remember();
    if (containerd !== undefined && containerd.exitCode === null) {
      const sandboxes = await cri.listPodSandboxes().catch(() => []);
      for (const sandbox of sandboxes) {
        seen.add(sandbox.id);
        if (sandbox.uid !== '') seen.add(sandbox.uid);
      }
      // Few at a time: StopPodSandbox runs CNI DEL and kills shims; 2 cores do not like 50 at once.
      const queue = [...sandboxes];
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let sandbox = queue.shift(); sandbox !== undefined; sandbox = queue.shift()) {
            await cri.stopPodSandbox(sandbox.id).catch((error: unknown) => logger?.warn({ err: error, id: sandbox.id }, 'stop sandbox failed'));
            await cri.removePodSandbox(sandbox.id).catch((error: unknown) => logger?.warn({ err: error, id: sandbox.id }, 'remove sandbox failed'));
          }
        }),
      );
    }
    cri.close();
    if (containerd !== undefined) await waitExit(containerd, 'SIGTERM', 5000);
    if (registryProcess !== undefined) await waitExit(registryProcess, 'SIGTERM', 5000);
    // Shims of ours that outlived their sandbox (e.g. containerd could not remove it): by PID.
    const survivors = await shimTree(layout.socket);
    for (const file of await netnsFilesOf(await netnsInodesOf(survivors))) netnsFiles.add(file);
    for (const pid of survivors) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (let i = 0; i < 40 && (await shimTree(layout.socket)).some(pidAlive); i++) await delay(50);
    await unmountUnder(dir);
    await removeNetnsFiles([...netnsFiles]);
    await removeNatRules(networkName);
    await deleteLink(bridge);
    await removeCniResults(networkName, seen);
    await rmdirCgroups(await cgroupDirsOf(seen));
    await rm(dir, { recursive: true, force: true });
    logger?.info({ dir }, 'containerd env stopped');
  };

  const leftovers = async (): Promise<string[]> => {
    const found: string[] = [];
    if (!stopped) await remember();
    if (containerd !== undefined && containerd.exitCode === null && !stopped) {
      for (const sandbox of await cri.listPodSandboxes().catch(() => [])) found.push(`sandbox ${sandbox.id} (${sandbox.namespace}/${sandbox.name})`);
    }
    for (const [name, child] of [['containerd', containerd], ['docker-registry', registryProcess]] as const) {
      if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) found.push(`process ${name} pid ${child.pid}`);
    }
    for (const pid of (await shimTree(layout.socket)).filter(pidAlive)) found.push(`process pid ${pid} (shim of ours or its child)`);
    if (await linkExists(bridge)) found.push(`bridge ${bridge}`);
    for (const port of await bridgePorts(bridge)) found.push(`veth ${port} on ${bridge}`);
    for (const rule of await natRulesOf(networkName)) found.push(`iptables nat ${rule}`);
    for (const file of await cniResultFiles(networkName, seen)) found.push(`CNI cache ${file}`);
    for (const point of await mountsUnder(dir)) found.push(`mount ${point}`);
    const running = await shimTree(layout.socket);
    const pinned = new Set([...(await netnsFilesOf(await netnsInodesOf(running))), ...[...netnsFiles].filter((file) => existsSync(file))]);
    for (const file of pinned) found.push(`netns ${file}`);
    for (const cgroup of await cgroupDirsOf(seen)) found.push(`cgroup ${cgroup}`);
    if (stopped && existsSync(dir)) found.push(`dir ${dir}`);
    return found;
  };

  try {
    registryProcess = spawnLogged('/usr/bin/docker-registry', ['serve', layout.registryConfig], join(layout.logDir, 'registry.log'));
    await waitForRegistry(registry);
    const images = await pushTestImages(registry);
    await startContainerd();
    logger?.info({ dir, socket: layout.socket, registry, bridge, podCidr }, 'containerd env started');
    return {
      dir,
      socket: layout.socket,
      streamPort,
      registry,
      images,
      bridge,
      networkName,
      podCidr,
      cniConfDir: layout.cniConfDir,
      containerdLog,
      containerdPid: () => (containerd?.exitCode === null ? containerd.pid : undefined),
      pull: (image) => cri.pullImage(image),
      async restart() {
        await remember();
        if (containerd !== undefined) await waitExit(containerd, 'SIGKILL', 5000);
        await startContainerd();
      },
      stop,
      leftovers,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
