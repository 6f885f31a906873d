// Choosing among the nodes where preemption would work (upstream pickOneNodeForPreemption), each
// rule breaking the ties of the one before:
// 1. fewest PodDisruptionBudget violations;
// 2. lowest priority among the most important victim of each node;
// 3. smallest sum of victim priorities (each shifted by 2^31 so that negative priorities still
//    count as "more victims = worse");
// 4. fewest victims;
// 5. the node whose most important victims started latest (evict the youngest work);
// 6. the first one.
// A node that needs no victims at all wins outright.
import type { Pod } from 'kubernetes-types/core/v1.js';
import { podPriority } from '../framework/pod-key.js';
import type { NodeVictims } from './select-victims.js';

type Candidate = Extract<NodeVictims, { kind: 'victims' }>;

const PRIORITY_OFFSET = 2 ** 31;

function startMillis(pod: Pod): number {
  const at = Date.parse(pod.status?.startTime ?? pod.metadata?.creationTimestamp ?? '');
  return Number.isNaN(at) ? 0 : at;
}

function highestPriority(victims: readonly Pod[]): number {
  let highest = -Infinity;
  for (const v of victims) highest = Math.max(highest, podPriority(v));
  return highest;
}

/** The earliest start among the victims that have the node's highest victim priority. */
function earliestStartOfMostImportant(victims: readonly Pod[]): number {
  const highest = highestPriority(victims);
  let earliest = Infinity;
  for (const v of victims) if (podPriority(v) === highest) earliest = Math.min(earliest, startMillis(v));
  return earliest;
}

/** Keeps the candidates with the smallest score. */
function keepMin(candidates: readonly Candidate[], score: (c: Candidate) => number): Candidate[] {
  let best = Infinity;
  let kept: Candidate[] = [];
  for (const c of candidates) {
    const s = score(c);
    if (s < best) {
      best = s;
      kept = [c];
    } else if (s === best) kept.push(c);
  }
  return kept;
}

export function pickNodeForPreemption(candidates: readonly Candidate[]): Candidate | undefined {
  const free = candidates.find((c) => c.victims.length === 0);
  if (free) return free;
  let left = keepMin(candidates, (c) => c.budgetViolations);
  if (left.length > 1) left = keepMin(left, (c) => highestPriority(c.victims));
  if (left.length > 1) left = keepMin(left, (c) => c.victims.reduce((sum, v) => sum + podPriority(v) + PRIORITY_OFFSET, 0));
  if (left.length > 1) left = keepMin(left, (c) => c.victims.length);
  if (left.length > 1) left = keepMin(left, (c) => -earliestStartOfMostImportant(c.victims));
  return left[0];
}
