// Waiting for a followed log file to grow: woken by the kernel (inotify, through fs.watch) as soon
// as the writer writes, with a timer as the fallback, so new output goes out at once instead of at
// the next poll (up to 100 ms later), as kubelet's fsnotify-driven follow does. The timer stays
// because the end of a container is not a change of its log file (its status says so), and because
// watching can fail (no inotify watches left, a filesystem without it): then it is a plain poll.
import { watch, type FSWatcher } from 'node:fs';

export class FileChangeWait {
  readonly #watcher: FSWatcher | undefined;
  /** A change came while nobody waited: the next wait returns at once (none is lost). */
  #changed = false;
  #wake: (() => void) | undefined;

  constructor(path: string) {
    let watcher: FSWatcher | undefined;
    try {
      watcher = watch(path, { persistent: false }, () => {
        this.#changed = true;
        this.#wake?.();
      });
      watcher.on('error', () => undefined);
    } catch {
      // Not watchable: the timer alone.
    }
    this.#watcher = watcher;
  }

  /** Resolves true on a change, false after `ms` without one; rejects when the signal aborts. */
  async wait(ms: number, signal?: AbortSignal): Promise<boolean> {
    signal?.throwIfAborted();
    if (this.#changed) {
      this.#changed = false;
      return true;
    }
    return new Promise<boolean>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', aborted);
        this.#wake = undefined;
      };
      const timer = setTimeout(() => {
        finish();
        resolve(false);
      }, ms);
      const aborted = (): void => {
        finish();
        reject(signal?.reason as Error);
      };
      this.#wake = () => {
        finish();
        this.#changed = false;
        resolve(true);
      };
      signal?.addEventListener('abort', aborted, { once: true });
    });
  }

  close(): void {
    this.#watcher?.close();
  }
}
