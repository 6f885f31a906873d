// For controller wiring tests: runs a ControllerRegistration over FakeClientSet + the real
// SharedInformerFactory, collecting enqueued keys and reconciling them until nothing is left.
// Informer events arrive asynchronously, so `drain` yields to the event loop between rounds
// (no timers, no sleeps).
import { FakeEventRecorder } from '../../client/events/fake-event-recorder.js';
import { FakeClientSet } from '../../client/fake/fake-client-set.js';
import { SharedInformerFactory } from '../../client/informer/shared-informer-factory.js';
import { FakeClock } from '../../lib/clock.js';
import { silentLogger } from '../../lib/logger.js';
import type { ControllerFactory, ControllerRegistration } from './controller-context.js';

export class ControllerHarness {
  readonly clock = new FakeClock();
  readonly clients = new FakeClientSet({ clock: this.clock });
  readonly recorder = new FakeEventRecorder();
  readonly informers = new SharedInformerFactory({ clients: this.clients });
  readonly keys: string[] = [];
  readonly registration: ControllerRegistration;
  private readonly abort = new AbortController();

  constructor(factory: ControllerFactory) {
    this.registration = factory({
      clients: this.clients, informers: this.informers, clock: this.clock, logger: silentLogger(), recorder: this.recorder,
      signal: this.abort.signal,
    });
    this.registration.connect((key) => this.keys.push(key), (key) => this.keys.push(key));
  }

  async start(): Promise<void> {
    this.informers.start(this.abort.signal);
    await this.informers.waitForSync(this.abort.signal);
  }

  stop(): void {
    this.abort.abort();
  }

  /** Lets pending watch events reach the informers and their handlers. */
  async settle(): Promise<void> {
    for (let i = 0; i < 30; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Reconciles enqueued keys until a round enqueues nothing (at most `rounds` rounds). */
  async drain(rounds = 20): Promise<void> {
    for (let round = 0; round < rounds; round++) {
      await this.settle();
      if (this.keys.length === 0) return;
      const batch = [...new Set(this.keys)];
      this.keys.length = 0;
      for (const key of batch) await this.registration.reconciler.reconcile(key, this.abort.signal);
    }
    throw new Error('controller did not settle');
  }
}
