// Runs one `k8ts rollout` subcommand against a ClientSet and returns what to print. The
// composition root (src/cmd/rollout-command.ts) resolves flags and the kubeconfig; this part only
// needs a ClientSet, so tests drive it with the FakeClientSet.
import type { ClientSet } from '../../client/resource-client.js';
import { ROLLOUTS } from '../../client/resource-types.js';
import type { Clock } from '../../lib/clock.js';
import type { RolloutObject } from './cli-object-types.js';
import { abortRollout, pauseRollout, promoteRollout, restartRollout, retryRollout } from './rollout-actions.js';
import { rolloutView } from './rollout-info.js';
import { orRolloutNotFound } from './rollout-not-found.js';
import { loadRolloutObjects } from './rollout-objects.js';
import { renderRollout } from './rollout-tree.js';
import { renderWhy } from './rollout-why.js';
import { undoRollout } from './undo-rollout.js';
import { watchRollout } from './watch-rollout.js';

export type RolloutSubcommand = 'get' | 'promote' | 'abort' | 'retry' | 'undo' | 'pause' | 'restart' | 'why';

export interface RolloutRequest {
  readonly subcommand: RolloutSubcommand;
  readonly name: string;
  readonly namespace: string;
  readonly watch: boolean;
  readonly noColor: boolean;
  readonly full: boolean;
  readonly toRevision: number;
  readonly restartInMs: number;
  readonly restartIn: string;
}

export interface RolloutCommandContext {
  readonly clients: ClientSet;
  readonly clock: Clock;
  readonly write: (text: string) => void;
  /** Colours and screen clearing for `get` (a terminal that is not TERM=dumb). */
  readonly terminal: boolean;
  /** Ends `get -w`. */
  readonly signal: AbortSignal;
}

export async function runRolloutCommand(request: RolloutRequest, context: RolloutCommandContext): Promise<void> {
  const target = { clients: context.clients, namespace: request.namespace, name: request.name };
  const color = context.terminal && !request.noColor;
  switch (request.subcommand) {
    case 'get':
      if (request.watch) {
        await watchRollout({ ...target, clock: context.clock, color, clearScreen: context.terminal, write: context.write, signal: context.signal });
      } else {
        const objects = await loadRolloutObjects(context.clients, request.namespace, request.name);
        context.write(renderRollout(rolloutView(objects), { now: context.clock.now(), color }));
      }
      return;
    case 'promote':
      context.write(await promoteRollout({ ...target, full: request.full }));
      return;
    case 'abort':
      context.write(await abortRollout(target));
      return;
    case 'retry':
      context.write(await retryRollout(target));
      return;
    case 'pause':
      context.write(await pauseRollout(target));
      return;
    case 'restart':
      context.write(await restartRollout({ ...target, clock: context.clock, inMs: request.restartInMs, inText: request.restartIn }));
      return;
    case 'undo':
      context.write(await undoRollout({ ...target, toRevision: request.toRevision }));
      return;
    case 'why': {
      const rollout = await orRolloutNotFound(target, () => context.clients.resource<RolloutObject>(ROLLOUTS).get(request.namespace, request.name));
      context.write(renderWhy(rollout, context.clock.now()));
      return;
    }
  }
}
