// The probe state of one pod's containers: when each probe is due (initialDelaySeconds,
// periodSeconds, read from the injected clock, so tests advance time instead of sleeping), the
// consecutive success/failure counts against successThreshold/failureThreshold, and the results
// the agent acts on. The pod worker calls runDue() on every sync.
//
// Initial results, as upstream: readiness Failure (not ready until a probe passes), liveness
// Success, startup Unknown. While a container has not passed its startup probe, its liveness and
// readiness probes do not run. A new container instance (new id) starts from the initial results.
import type { Container, Probe } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../../lib/clock.js';
import type { ProbeExecutor } from './run-probe.js';

export type ProbeType = 'liveness' | 'readiness' | 'startup';

const PROBE_LABEL: Readonly<Record<ProbeType, string>> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

interface ProbeState {
  containerId: string;
  lastRunAt: number | undefined;
  successes: number;
  failures: number;
  /** The thresholded result: true = passing. */
  passing: boolean;
}

export interface RunningContainer {
  readonly container: Container;
  readonly id: string;
  readonly startedAt: Date;
}

/** One failed probe run (each becomes an `Unhealthy` Event). */
export interface ProbeFailure {
  readonly container: string;
  readonly type: ProbeType;
  /** `Liveness probe failed: HTTP probe failed with statuscode: 500` */
  readonly message: string;
}

export interface ProbeRoundResult {
  readonly failures: readonly ProbeFailure[];
  /** Containers whose liveness or startup probe crossed failureThreshold: kill and restart. */
  readonly kill: readonly { readonly container: string; readonly type: 'liveness' | 'startup' }[];
}

export interface PodProbesOptions {
  readonly clock: Clock;
  readonly execute: ProbeExecutor;
}

function probeOf(container: Container, type: ProbeType): Probe | undefined {
  if (type === 'liveness') return container.livenessProbe;
  if (type === 'readiness') return container.readinessProbe;
  return container.startupProbe;
}

export class PodProbes {
  private readonly clock: Clock;
  private readonly execute: ProbeExecutor;
  private readonly states = new Map<string, ProbeState>();

  constructor(options: PodProbesOptions) {
    this.clock = options.clock;
    this.execute = options.execute;
  }

  private state(name: string, type: ProbeType, containerId: string): ProbeState {
    const key = `${name}/${type}`;
    let state = this.states.get(key);
    if (!state || state.containerId !== containerId) {
      state = { containerId, lastRunAt: undefined, successes: 0, failures: 0, passing: type === 'liveness' };
      this.states.set(key, state);
    }
    return state;
  }

  /** Passed its startup probe (or has none) — the container status's `started`. */
  started(container: Container, containerId: string): boolean {
    if (!container.startupProbe) return true;
    return this.state(container.name, 'startup', containerId).passing;
  }

  /** Ready as far as probes go (a container without a readiness probe is ready once started). */
  ready(container: Container, containerId: string): boolean {
    if (!this.started(container, containerId)) return false;
    if (!container.readinessProbe) return true;
    return this.state(container.name, 'readiness', containerId).passing;
  }

  /** When the next probe of these containers is due (ms since epoch), to schedule the next sync. */
  nextDueAt(running: readonly RunningContainer[]): number | undefined {
    let next: number | undefined;
    for (const r of running) {
      for (const type of this.activeTypes(r)) {
        const due = this.dueAt(r, type);
        if (due !== undefined && (next === undefined || due < next)) next = due;
      }
    }
    return next;
  }

  private activeTypes(r: RunningContainer): ProbeType[] {
    if (!this.started(r.container, r.id)) return ['startup'];
    return (['liveness', 'readiness'] as const).filter((t) => probeOf(r.container, t) !== undefined);
  }

  private dueAt(r: RunningContainer, type: ProbeType): number | undefined {
    const probe = probeOf(r.container, type);
    if (!probe) return undefined;
    const state = this.state(r.container.name, type, r.id);
    const first = r.startedAt.getTime() + (probe.initialDelaySeconds ?? 0) * 1000;
    if (state.lastRunAt === undefined) return first;
    return Math.max(first, state.lastRunAt + (probe.periodSeconds ?? 10) * 1000);
  }

  /** Runs every probe that is due now; forgets containers that are gone. */
  async runDue(running: readonly RunningContainer[], target: { readonly podIP?: string; readonly hostIP: string }): Promise<ProbeRoundResult> {
    const live = new Set(running.map((r) => r.container.name));
    for (const key of this.states.keys()) if (!live.has(key.slice(0, key.lastIndexOf('/')))) this.states.delete(key);
    const failures: ProbeFailure[] = [];
    const kill: { container: string; type: 'liveness' | 'startup' }[] = [];
    const now = this.clock.now().getTime();
    for (const r of running) {
      for (const type of this.activeTypes(r)) {
        const due = this.dueAt(r, type);
        const probe = probeOf(r.container, type);
        if (!probe || due === undefined || due > now) continue;
        const state = this.state(r.container.name, type, r.id);
        state.lastRunAt = now;
        const run = await this.execute(probe, { container: r.container, containerId: r.id, hostIP: target.hostIP, ...(target.podIP ? { podIP: target.podIP } : {}) });
        if (run.result === 'success') {
          state.failures = 0;
          state.successes++;
          // Liveness and startup thresholds are 1 by validation; readiness may need several.
          if (state.successes >= (probe.successThreshold ?? 1)) state.passing = true;
        } else {
          state.successes = 0;
          state.failures++;
          failures.push({ container: r.container.name, type, message: `${PROBE_LABEL[type]} probe failed: ${run.output}` });
          if (state.failures >= (probe.failureThreshold ?? 3)) {
            state.passing = false;
            if (type !== 'readiness') kill.push({ container: r.container.name, type });
          }
        }
        // Liveness and readiness of a container that just passed its startup probe begin next round.
        if (type === 'startup' && state.passing) break;
      }
    }
    return { failures, kill };
  }
}
