// Facts about the machine the agent runs on, for the Node object: cpu and memory capacity, the OS
// (os-release), kernel, architecture in Go's names, machine/boot ids, and a default address.
import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';

export interface HostInfo {
  readonly hostname: string;
  readonly cpus: number;
  readonly memoryBytes: number;
  /** Size of the filesystem holding the data directory, when known. */
  readonly ephemeralStorageBytes?: number;
  readonly kernelVersion: string;
  readonly osImage: string;
  /** GOOS: linux, darwin, windows. */
  readonly operatingSystem: string;
  /** GOARCH: amd64, arm64, ... */
  readonly architecture: string;
  readonly machineID: string;
  readonly bootID: string;
}

const GO_ARCH: Readonly<Record<string, string>> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
const GO_OS: Readonly<Record<string, string>> = { win32: 'windows' };

async function readTrimmed(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return '';
  }
}

/** PRETTY_NAME from os-release text: `Debian GNU/Linux 12 (bookworm)`. */
export function parseOsRelease(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const match = /^PRETTY_NAME=(.*)$/.exec(line.trim());
    if (match) return (match[1] ?? '').replace(/^["']|["']$/g, '');
  }
  return undefined;
}

export async function readHostInfo(dataDir: string): Promise<HostInfo> {
  let ephemeral: number | undefined;
  try {
    const fs = await statfs(dataDir);
    ephemeral = fs.blocks * fs.bsize;
  } catch {
    ephemeral = undefined;
  }
  const osRelease = (await readTrimmed('/etc/os-release')) || (await readTrimmed('/usr/lib/os-release'));
  return {
    hostname: os.hostname().toLowerCase(),
    cpus: os.cpus().length || 1,
    memoryBytes: os.totalmem(),
    ...(ephemeral !== undefined ? { ephemeralStorageBytes: ephemeral } : {}),
    kernelVersion: os.release(),
    osImage: parseOsRelease(osRelease) ?? `${os.type()} ${os.release()}`,
    operatingSystem: GO_OS[process.platform] ?? process.platform,
    architecture: GO_ARCH[process.arch] ?? process.arch,
    machineID: await readTrimmed('/etc/machine-id'),
    bootID: await readTrimmed('/proc/sys/kernel/random/boot_id'),
  };
}

/** The first non-internal IPv4 address, else loopback. */
export function defaultNodeAddress(): string {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? []) if (info.family === 'IPv4' && !info.internal) return info.address;
  }
  return '127.0.0.1';
}
