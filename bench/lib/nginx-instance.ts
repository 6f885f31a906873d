// A private nginx (Debian `nginx`) for benchmarks: its own config, pid file, logs and temp dirs
// under a temp dir, in the foreground as our child, stopped by its PID. Nothing system-wide is
// touched (the system nginx service, if any, is not used).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface NginxInstance {
  readonly dir: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** `http` is the body of the http {} block; `workers` nginx worker processes. */
export async function startNginx(options: { readonly http: string; readonly workers: number; readonly ports: readonly number[] }): Promise<NginxInstance> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-bench-nginx-'));
  const asRoot = process.getuid?.() === 0;
  const config = `
${asRoot ? 'user root root;' : ''}
worker_processes ${options.workers};
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  ${options.http}
}
`;
  const file = join(dir, 'nginx.conf');
  await writeFile(file, config);
  const child: ChildProcess = spawn('nginx', ['-c', file, '-p', dir, '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const port of options.ports) await waitForPort(port, () => child.exitCode !== null, async () => `${stderr}${await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')}`);
  return {
    dir,
    pid: child.pid ?? 0,
    stop: async () => {
      // SIGQUIT: graceful shutdown of master and workers.
      if (child.exitCode === null) child.kill('SIGQUIT');
      await Promise.race([exited, delay(5000).then(() => child.kill('SIGKILL'))]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function waitForPort(port: number, dead: () => boolean = () => false, why: () => Promise<string> = async () => ''): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (dead()) throw new Error(`process exited before listening on ${port}: ${await why()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await delay(50);
  }
  throw new Error(`nothing listens on ${port}: ${await why()}`);
}

/** The master and its worker processes (from /proc; only the master when /proc is missing). */
export function nginxPids(master: number): readonly number[] {
  try {
    const children = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return [master, ...children];
  } catch {
    return [master];
  }
}
