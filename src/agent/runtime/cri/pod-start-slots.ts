// Which pod's expensive CRI call (RunPodSandbox, StartContainer) goes next, under the StartLimiter.
// Per call FIFO interleaves a burst: 50 RunPodSandbox calls queue, and each pod's StartContainer
// queues behind all of them, so no pod runs until nearly the last sandbox exists (the burst's p50
// was ~0.8 of its total). Here the order is by pod, and a pod keeps its slot from RunPodSandbox to
// its first StartContainer, as if the whole pod held one slot: pods finish in the order they came
// (p50 ~0.5 of the total, like the direct-CRI baseline). Stop, remove, status, exec and pulls are
// never limited, so teardown and probes do not wait behind a burst of new pods.
import { StartLimiter, type StartSlot } from './start-limiter.js';

/**
 * How long a pod keeps its slot between RunPodSandbox and its first StartContainer (the image
 * check and CreateContainer in between take tens of ms). Longer (an image pull) and the slot goes
 * back; the StartContainer then waits at the pod's priority.
 */
const DEFAULT_HOLD_MS = 2000;

interface HeldSlot {
  readonly slot: StartSlot;
  readonly timer: NodeJS.Timeout;
}

export interface PodStartSlotsOptions {
  /** Expensive calls at once. */
  readonly limit: number;
  /** How long a new sandbox keeps its slot for its first StartContainer (default 2 s). */
  readonly holdMs?: number;
}

export class PodStartSlots {
  readonly #limiter: StartLimiter;
  readonly #holdMs: number;
  /**
   * Pod uid -> priority: the order its first sandbox was asked for (lower goes first), so an older
   * pod's restart goes before newer pods' sandboxes. Pods not in here (adopted, or from before an
   * agent restart) get 0: the front.
   */
  readonly #priority = new Map<string, number>();
  #next = 1;
  /** New sandbox id -> the slot it keeps for its first StartContainer. */
  readonly #held = new Map<string, HeldSlot>();
  /** Container id -> its sandbox and pod, from CreateContainer until StartContainer. */
  readonly #created = new Map<string, { readonly sandboxId: string; readonly podUid: string }>();

  constructor(options: PodStartSlotsOptions) {
    this.#limiter = new StartLimiter({ limit: options.limit });
    this.#holdMs = options.holdMs ?? DEFAULT_HOLD_MS;
  }

  /** Runs RunPodSandbox in the pod's turn; on success the slot stays with the new sandbox. */
  async runSandbox(podUid: string, create: () => Promise<string>): Promise<string> {
    let priority = this.#priority.get(podUid);
    if (priority === undefined) {
      priority = this.#next++;
      this.#priority.set(podUid, priority);
    }
    const slot = await this.#limiter.acquire(priority);
    let id: string;
    try {
      id = await create();
    } catch (error) {
      slot.release();
      throw error;
    }
    const timer = setTimeout(() => this.release(id), this.#holdMs);
    timer.unref();
    this.#held.set(id, { slot, timer });
    return id;
  }

  /** CreateContainer returned (or failed: containerId undefined, and the sandbox's slot goes back). */
  created(sandboxId: string, podUid: string, containerId: string | undefined): void {
    if (containerId === undefined) this.release(sandboxId);
    else this.#created.set(containerId, { sandboxId, podUid });
  }

  /** Runs StartContainer: in the slot its new sandbox kept, else in the pod's turn. */
  async startContainer(containerId: string, start: () => Promise<void>): Promise<void> {
    const origin = this.#created.get(containerId);
    this.#created.delete(containerId);
    const slot = (origin ? this.#take(origin.sandboxId) : undefined)
      ?? (await this.#limiter.acquire((origin ? this.#priority.get(origin.podUid) : undefined) ?? 0));
    try {
      await start();
    } finally {
      slot.release();
    }
  }

  /** The container is gone before it started. */
  forgetContainer(containerId: string): void {
    this.#created.delete(containerId);
  }

  /** The sandbox is being removed: its held slot goes back, and the pod's turn is forgotten. */
  forgetSandbox(sandboxId: string, podUid: string | undefined): void {
    this.release(sandboxId);
    if (podUid !== undefined) this.#priority.delete(podUid);
  }

  /** Gives back the slot a sandbox kept, if any. */
  release(sandboxId: string): void {
    this.#take(sandboxId)?.release();
  }

  /** Gives back every kept slot (runtime closing). */
  releaseAll(): void {
    for (const id of [...this.#held.keys()]) this.release(id);
  }

  #take(sandboxId: string): StartSlot | undefined {
    const held = this.#held.get(sandboxId);
    if (!held) return undefined;
    this.#held.delete(sandboxId);
    clearTimeout(held.timer);
    return held.slot;
  }
}
