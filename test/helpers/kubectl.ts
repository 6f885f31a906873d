// Runs the real kubectl against a test server. By default through /usr/bin/kubectl, the version
// dispatcher (it asks /version first and picks the 1.32 binary), like a user's shell would.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tempDirRemovedAtExit } from './temp-dir.js';

export const KUBECTL = process.env.KUBECTL ?? (existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : 'kubectl');
export const KUBECTL_132 = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';

export interface KubectlResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Kubectl {
  (args: readonly string[], options?: { input?: string; env?: Record<string, string>; binary?: string }): Promise<KubectlResult>;
  /** Like the call, but throws (with stderr) unless kubectl exits 0; resolves to stdout. */
  ok(args: readonly string[], options?: { input?: string; env?: Record<string, string> }): Promise<string>;
  readonly cacheDir: string;
  readonly kubeconfig: string;
}

/** A kubectl bound to one kubeconfig and a private discovery cache (see kubectl-wire.md §0). */
export function kubectlFor(kubeconfig: string): Kubectl {
  const cacheDir = tempDirRemovedAtExit('k8ts-kubectl-cache-');
  const run = (args: readonly string[], options: { input?: string; env?: Record<string, string>; binary?: string } = {}) =>
    new Promise<KubectlResult>((resolve, reject) => {
      const child = spawn(options.binary ?? KUBECTL, ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], {
        env: { ...process.env, ...options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(options.input ?? '');
    });
  const kubectl = run as Kubectl;
  Object.assign(kubectl, {
    cacheDir,
    kubeconfig,
    async ok(args: readonly string[], options?: { input?: string; env?: Record<string, string> }) {
      const result = await run(args, options);
      if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}:\n${result.stderr}${result.stdout}`);
      return result.stdout;
    },
  });
  return kubectl;
}

/** The 1.32 binary itself (not the version dispatcher), for suites that pin kubectl's exact output. */
export interface PinnedKubectl {
  run(args: readonly string[], input?: string): Promise<KubectlResult>;
  /** Fails the test (naming the command and its stderr) unless kubectl exits 0; returns stdout. */
  ok(args: readonly string[], input?: string): Promise<string>;
  /** `ok` with `-o json`, parsed. */
  json<T>(args: readonly string[]): Promise<T>;
}

export function pinnedKubectl132(kubectl: Kubectl): PinnedKubectl {
  const run = (args: readonly string[], input?: string) => kubectl(args, { binary: KUBECTL_132, ...(input === undefined ? {} : { input }) });
  const ok = async (args: readonly string[], input?: string): Promise<string> => {
    const result = await run(args, input);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  };
  return { run, ok, json: async <T>(args: readonly string[]) => JSON.parse(await ok([...args, '-o', 'json'])) as T };
}
