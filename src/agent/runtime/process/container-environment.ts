// What a container's process starts with on the host: its environment, its working directory, and
// whether its command can be executed at all. The container's main process and every exec into it
// (probes, kubectl exec) get the same environment and directory, so both are computed here once.
// The executable is checked before the shim is asked, so that a missing binary gets containerd's
// wording in the container status (StartError) rather than a spawn error's.
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Logger } from '../../../lib/logger.js';
import type { ContainerConfig } from '../runtime.js';
import { volumeEnv } from './command-line.js';
import type { SandboxRecord } from './process-state.js';

/** PATH when the agent has none; also where a command is looked up when the pod sets no PATH. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The agent's PATH, the pod's hostname, volume announcements without root, then the pod's env. */
export function containerEnvironment(config: ContainerConfig, sandbox: SandboxRecord | undefined, root: boolean): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? DEFAULT_PATH,
    HOSTNAME: sandbox?.config.hostname ?? '',
    ...(root ? {} : volumeEnv(config.mounts)),
  };
  for (const { name, value } of config.env) env[name] = value;
  return env;
}

/** The pod's workingDir when it exists on the host, else a directory of the container's own. */
export async function containerWorkingDir(config: ContainerConfig, containerDir: string, logger: Logger): Promise<string> {
  if (config.workingDir !== undefined && isAbsolute(config.workingDir)) {
    const found = await stat(config.workingDir).catch(() => undefined);
    if (found?.isDirectory()) return config.workingDir;
    logger.warn({ container: config.name, workingDir: config.workingDir }, 'workingDir does not exist on the host, using a private directory');
  }
  const dir = join(containerDir, 'work');
  await mkdir(dir, { recursive: true });
  return dir;
}

/** undefined when the command can be executed; else containerd's wording of why not. */
export async function findExecutableProblem(file: string | undefined, path: string): Promise<string | undefined> {
  if (file === undefined || file === '') return 'no command specified';
  const candidates = file.includes('/') ? [file] : path.split(delimiter).filter((d) => d !== '').map((d) => join(d, file));
  for (const candidate of candidates) {
    try {
      await access(candidate, fsConstants.X_OK);
      if ((await stat(candidate)).isFile()) return undefined;
    } catch {
      // Try the next directory.
    }
  }
  return file.includes('/')
    ? `exec: "${file}": stat ${file}: no such file or directory`
    : `exec: "${file}": executable file not found in $PATH`;
}
