// BENCH_SERVER_PROF=<dir>: V8 CPU profiles of the benchmark's `k8ts server`. Node 20 refuses
// --cpu-prof in NODE_OPTIONS but allows --import, so a small preload (written into <dir>, plain JS
// because the server may run from dist/ without tsx) starts the profiler on SIGUSR2, which the
// benchmark sends when the measured phase begins, and writes <dir>/server-<pid>.cpuprofile when
// the server exits. Summarise one with any .cpuprofile viewer (Chrome DevTools, speedscope).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const PRELOAD = `
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
const dir = process.env.BENCH_SERVER_PROF;
if (dir && process.argv.includes('server')) {
  const session = new Session();
  session.connect();
  let started = false;
  process.on('SIGUSR2', () => {
    if (started) return;
    started = true;
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: 500 });
    session.post('Profiler.start');
  });
  // An in-thread session answers synchronously, so the profile is written inside the exit handler.
  process.on('exit', () => {
    if (started) session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(dir + '/server-' + process.pid + '.cpuprofile', JSON.stringify(result.profile));
    });
  });
}
`;

/**
 * Runs `start` (which spawns the server) with NODE_OPTIONS loading the preload when
 * BENCH_SERVER_PROF is set; this process's own NODE_OPTIONS are restored afterwards.
 */
export async function withServerProfile<T>(start: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_SERVER_PROF;
  if (!dir) return start();
  const absolute = resolve(dir);
  mkdirSync(absolute, { recursive: true });
  const preload = join(absolute, 'server-cpu-profile-preload.mjs');
  writeFileSync(preload, PRELOAD);
  const saved = { dir, nodeOptions: process.env.NODE_OPTIONS };
  process.env.BENCH_SERVER_PROF = absolute;
  process.env.NODE_OPTIONS = [saved.nodeOptions, `--import=${preload}`].filter(Boolean).join(' ');
  try {
    return await start();
  } finally {
    process.env.BENCH_SERVER_PROF = saved.dir;
    if (saved.nodeOptions === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = saved.nodeOptions;
  }
}

/** Starts the profiler of a server started with those NODE_OPTIONS (no-op without BENCH_SERVER_PROF). */
export function startServerProfile(pid: number): void {
  if (process.env.BENCH_SERVER_PROF) process.kill(pid, 'SIGUSR2');
}
