// Polls until a probe yields a value (a thrown error counts as "not yet"), or fails naming what it
// waited for with the probe's last error as the cause. The e2e suites wait for the cluster's
// eventual state this way instead of sleeping.
import { setTimeout as delay } from 'node:timers/promises';

export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, { cause: last });
    await delay(200);
  }
}
