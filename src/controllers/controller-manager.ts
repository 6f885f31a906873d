// ControllerManager: what kube-controller-manager is. Every server runs one; a Lease elects the
// one that acts, so two servers never both reconcile. While leading it builds a fresh informer
// factory and one Event recorder per controller, runs every controller through the shared
// ControllerRunner, and stops them all the moment leadership is lost (the runners and informers
// all hang off the leadership signal). A new term starts from empty caches: nothing a previous
// term learned is trusted.
import { setMaxListeners } from 'node:events';
import type { KubeObject } from '../api/object.js';
import { ApiEventRecorder } from '../client/events/api-event-recorder.js';
import type { EventRecorder, EventType } from '../client/events/event-recorder.js';
import { ControllerRunner } from '../client/controller-runner.js';
import type { InformerFactory } from '../client/informer/informer.js';
import { SharedInformerFactory } from '../client/informer/shared-informer-factory.js';
import { LeaderElector, type LeaseObject } from '../client/leader-election.js';
import type { ClientSet } from '../client/resource-client.js';
import { EVENTS, LEASES } from '../client/resource-types.js';
import type { Timers } from '../client/timers.js';
import type { Clock } from '../lib/clock.js';
import { componentLogger, type Logger } from '../lib/logger.js';
import type { ControllerFactory, ControllerRegistration } from './framework/controller-context.js';

export interface LeaderElectionSettings {
  /** Unique per manager process: `<hostname>_<random>` as upstream. */
  readonly identity: string;
  /** Lease in kube-system (default `k8ts-controller-manager`). */
  readonly leaseName?: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
}

export interface ControllerManagerOptions {
  readonly clients: ClientSet;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly controllers: readonly ControllerFactory[];
  readonly leaderElection: LeaderElectionSettings;
  /**
   * Informers to use instead of a fresh SharedInformerFactory per term (tests). The caller owns
   * them: the manager waits for their sync but never starts or stops them.
   */
  readonly informers?: InformerFactory;
  /** Timers for leader election and the work queues (FakeTimers in tests). */
  readonly timers?: Timers;
  /**
   * Other work only the leader may do, run alongside the controllers for each term until the
   * signal (leadership) ends: `k8ts server` runs its scheduler this way.
   */
  readonly leaderTasks?: readonly ((signal: AbortSignal) => Promise<void>)[];
}

export const DEFAULT_CONTROLLER_MANAGER_LEASE = 'k8ts-controller-manager';

/**
 * An EventRecorder whose component is known only once the controller has been built (it is
 * named after its reconciler, `deployment` -> `deployment-controller`).
 */
class NamedLaterRecorder implements EventRecorder {
  private target: EventRecorder | undefined;
  private readonly make: (component: string) => EventRecorder;
  constructor(make: (component: string) => EventRecorder) {
    this.make = make;
  }
  name(component: string): void {
    this.target = this.make(component);
  }
  event(object: KubeObject, type: EventType, reason: string, message: string): void {
    (this.target ??= this.make('controller-manager')).event(object, type, reason, message);
  }
}

export class ControllerManager {
  private readonly options: ControllerManagerOptions;
  private readonly logger: Logger;
  private leading = false;
  private terms = 0;

  constructor(options: ControllerManagerOptions) {
    this.options = options;
    this.logger = componentLogger(options.logger, 'controller-manager');
  }

  /** Whether this manager currently holds the lease and runs the controllers. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** How many times this manager has become leader. */
  get leadershipTerms(): number {
    return this.terms;
  }

  /** Campaigns for the lease until `signal` aborts; runs the controllers while leading. */
  async run(signal: AbortSignal): Promise<void> {
    const o = this.options;
    const election = o.leaderElection;
    const elector = new LeaderElector({
      leases: o.clients.resource<LeaseObject>(LEASES),
      namespace: 'kube-system',
      name: election.leaseName ?? DEFAULT_CONTROLLER_MANAGER_LEASE,
      identity: election.identity,
      clock: o.clock,
      logger: this.logger,
      ...(election.leaseDurationMs !== undefined ? { leaseDurationMs: election.leaseDurationMs } : {}),
      ...(election.renewDeadlineMs !== undefined ? { renewDeadlineMs: election.renewDeadlineMs } : {}),
      ...(election.retryPeriodMs !== undefined ? { retryPeriodMs: election.retryPeriodMs } : {}),
      ...(o.timers ? { timers: o.timers } : {}),
    });
    // The elector does not wait for a term's work to wind down; the manager does, so run()
    // resolves only once every controller of every term has stopped.
    const terms: Promise<void>[] = [];
    await elector.run(signal, {
      onStartedLeading: (leaderSignal) => {
        const term = this.lead(leaderSignal).finally(() => {
          this.leading = false;
        });
        terms.push(term);
        return term;
      },
      onStoppedLeading: () => {
        this.logger.info({ identity: election.identity }, 'stopped leading; stopping controllers');
      },
    });
    await Promise.allSettled(terms);
    this.leading = false;
  }

  /** One leadership term: build and run every controller until `signal` (leadership) ends. */
  private async lead(signal: AbortSignal): Promise<void> {
    const o = this.options;
    // Every runner, informer and task of the term listens on this one signal.
    setMaxListeners(0, signal);
    this.leading = true;
    this.terms += 1;
    this.logger.info({ identity: o.leaderElection.identity, controllers: o.controllers.length }, 'became leader; starting controllers');
    const informers =
      o.informers ??
      new SharedInformerFactory({ clients: o.clients, logger: componentLogger(this.logger, 'informers'), ...(o.timers ? { timers: o.timers } : {}) });
    const tasks = (o.leaderTasks ?? []).map((task) =>
      task(signal).catch((error: unknown) => this.logger.error({ err: error }, 'leader task failed')),
    );
    const registrations: ControllerRegistration[] = o.controllers.map((factory) => {
      const recorder = new NamedLaterRecorder(
        (component) => new ApiEventRecorder({ events: o.clients.resource(EVENTS), clock: o.clock, logger: this.logger, component }),
      );
      const registration = factory({ clients: o.clients, informers, clock: o.clock, logger: this.logger, recorder, signal });
      recorder.name(`${registration.reconciler.name}-controller`);
      return registration;
    });
    // Runners connect their handlers synchronously when they start, so every handler is in
    // place before the informers deliver their first list; reconciling waits for the sync.
    const runners = registrations.map(
      (registration) =>
        new ControllerRunner({
          registration,
          logger: this.logger,
          clock: o.clock,
          waitForSync: (s) => informers.waitForSync(s),
          ...(o.timers ? { timers: o.timers } : {}),
        }),
    );
    const running = runners.map((runner) => runner.run(signal));
    if (!o.informers) informers.start(signal);
    await Promise.allSettled([...running, ...tasks]);
  }
}
