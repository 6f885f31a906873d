// Requests the netns tests of the service proxy make: curl run inside a network namespace, and
// polling until the proxy (running in the test's own process) has applied its rules. Asynchronous
// on purpose: the proxy must keep syncing while a request is in flight.
import { execFile } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** curl from `netns`: the body, or `exit N` when it could not connect within `seconds`. */
export async function curlFrom(netns: string, url: string, seconds = 3): Promise<string> {
  try {
    return (await run('ip', ['netns', 'exec', netns, 'curl', '-sS', '-m', String(seconds), url], { encoding: 'utf8' })).stdout.trim();
  } catch (error) {
    return `exit ${(error as { code?: number }).code ?? '?'}`;
  }
}

/** The distinct answers of `n` requests made one after another. */
export async function distinctAnswers(n: number, request: () => Promise<string>): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) seen.add(await request());
  return seen;
}

/** Polls `probe` every 50 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(50);
  }
}
