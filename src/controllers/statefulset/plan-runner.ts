// Carries out a SyncPlan: phase by phase, stopping at the first failure, with every create and
// delete expected before the first request goes out (the informer may report a pod before the
// create call returns).
import { slowStartBatch } from '../framework/slow-start-batch.js';
import type { PodExpectations } from './pod-expectations.js';
import type { StatefulPodControl } from './stateful-pod-control.js';
import type { PhaseName, PodAction, SyncPlan } from './stateful-set-plan.js';
import type { StatefulSetObject } from './stateful-set-spec.js';

/** Upstream's slow start for Parallel sets: 1, 2, 4, ... concurrent actions per batch. */
const SLOW_START_INITIAL_BATCH = 1;

export interface PlanRunResult {
  /** Phases whose every action went through. */
  readonly completed: ReadonlySet<PhaseName>;
  /** The first failure; later actions were not attempted. */
  readonly error?: unknown;
}

export interface PlanRunOptions {
  readonly key: string;
  readonly set: StatefulSetObject;
  readonly control: StatefulPodControl;
  readonly expectations: PodExpectations;
}

export async function runPlan(plan: SyncPlan, options: PlanRunOptions): Promise<PlanRunResult> {
  const { key, expectations } = options;
  const actions = plan.phases.flatMap((phase) => phase.actions);
  const deleteUids = actions.flatMap((action) => (action.type === 'delete' ? [action.pod.metadata?.uid ?? ''] : []));
  expectations.expect(key, actions.filter((action) => action.type === 'create').length, deleteUids);

  // Actions that did not create or delete anything will never be observed by the informer.
  const unobserved = (action: PodAction): void => {
    if (action.type === 'create') expectations.creationObserved(key);
    else if (action.type === 'delete') expectations.deletionObserved(key, action.pod.metadata?.uid ?? '');
  };
  const perform = async (action: PodAction): Promise<void> => {
    try {
      if (action.type === 'create') await options.control.create(options.set, action.pod);
      else if (action.type === 'relabel') await options.control.relabel(options.set, action.pod, action.ordinal);
      else if (await options.control.delete(options.set, action.pod) === 'gone') unobserved(action);
    } catch (error) {
      unobserved(action);
      throw error;
    }
  };

  const completed = new Set<PhaseName>();
  for (const [index, phase] of plan.phases.entries()) {
    const started = new Set<number>();
    const run = (i: number): Promise<void> => {
      started.add(i);
      const action = phase.actions[i];
      return action === undefined ? Promise.resolve() : perform(action);
    };
    const error = plan.sequential ? await runInOrder(phase.actions.length, run) : await runTogether(phase.actions.length, run);
    if (error !== undefined) {
      phase.actions.forEach((action, i) => { if (!started.has(i)) unobserved(action); });
      for (const later of plan.phases.slice(index + 1)) later.actions.forEach(unobserved);
      return { completed, error: error.cause };
    }
    completed.add(phase.name);
  }
  return { completed };
}

/** One after the other; the first failure ends the run. */
async function runInOrder(count: number, run: (i: number) => Promise<void>): Promise<{ cause: unknown } | undefined> {
  for (let i = 0; i < count; i++) {
    try {
      await run(i);
    } catch (error) {
      return { cause: error };
    }
  }
  return undefined;
}

async function runTogether(count: number, run: (i: number) => Promise<void>): Promise<{ cause: unknown } | undefined> {
  const result = await slowStartBatch(count, SLOW_START_INITIAL_BATCH, run);
  return result.failed ? { cause: result.error } : undefined;
}
