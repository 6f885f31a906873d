// `k8ts rollout why NAME` (a k8ts command; Argo has none): the controller's decisions from
// status.decisions, oldest first, each with the metric values and the conditions they were judged
// by, then where the rollout stands now: why it is paused or aborted, and the command that moves
// it on. Example:
//
//   Rollout 'demo' in namespace 'default': ✖ Degraded: RolloutAborted: Rollout aborted update to revision 2
//
//   TIME                  AGE  DECISION  STEP  MESSAGE
//   2025-01-01T00:00:00Z  2m   step      0     setWeight 20: canary 20%, stable 80%
//   2025-01-01T00:01:00Z  1m   abort     1     analysis demo-2-1 Failed
//                                                ✖ success-rate = 0.42 (result >= 0.95): Failed
//
//   Aborted: ... Fix the template and apply it, or: k8ts rollout retry demo
import type { DecisionMetric, RolloutDecision } from '../../api/rollouts/index.js';
import type { RolloutObject } from './cli-object-types.js';
import { ageSince } from './human-duration.js';
import { rolloutPhase } from './rollout-info.js';
import { analysisIcon, rolloutIcon } from './status-icons.js';

function metricLine(metric: DecisionMetric): string {
  const value = metric.value !== undefined ? ` = ${metric.value}` : '';
  const condition = metric.condition !== undefined && metric.condition !== '' ? ` (${metric.condition})` : '';
  const phase = metric.phase !== undefined ? `: ${metric.phase}` : '';
  const message = metric.message !== undefined && metric.message !== '' ? ` — ${metric.message}` : '';
  return `${metric.phase !== undefined ? analysisIcon(metric.phase) : '•'} ${metric.name}${value}${condition}${phase}${message}`;
}

function decisionTable(decisions: readonly RolloutDecision[], now: Date): string[] {
  const rows = decisions.map((decision) => ({
    cells: [
      decision.time,
      ageSince(decision.time, now),
      decision.kind,
      decision.step !== undefined ? String(decision.step) : '',
      decision.message + (decision.analysisRun !== undefined ? ` [${decision.analysisRun}]` : ''),
    ],
    metrics: (decision.metrics ?? []).map(metricLine),
  }));
  const header = ['TIME', 'AGE', 'DECISION', 'STEP', 'MESSAGE'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row.cells[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => (i < 4 ? cell.padEnd((widths[i] ?? 0) + 2) : cell)).join('').trimEnd();
  // Metric lines sit under the MESSAGE column, indented two more.
  const indent = ' '.repeat(widths.slice(0, 4).reduce((sum, w) => sum + w + 2, 0) + 2);
  return [line(header), ...rows.flatMap((row) => [line(row.cells), ...row.metrics.map((metric) => indent + metric)])];
}

/** Where the rollout stands now and what moves it on. */
function currentState(rollout: RolloutObject, now: Date): string[] {
  const name = rollout.metadata?.name ?? '';
  const status = rollout.status ?? {};
  if (status.abort === true) {
    const since = status.abortedAt !== undefined ? ` since ${status.abortedAt} (${ageSince(status.abortedAt, now)} ago)` : '';
    return [
      `Aborted${since}: ${status.message ?? 'the update was aborted'}.`,
      `All traffic is on the stable revision. Fix the pod template and apply it, or retry this revision with: k8ts rollout retry ${name}`,
    ];
  }
  const pauses = status.pauseConditions ?? [];
  if (pauses.length > 0) {
    const reasons = pauses.map((pause) => `${pause.reason} since ${pause.startTime} (${ageSince(pause.startTime, now)} ago)`);
    return [`Paused: ${reasons.join('; ')}.`, `Continue with: k8ts rollout promote ${name} (or skip all steps with --full)`];
  }
  if (rollout.spec.paused === true) {
    return [`Paused by a user (spec.paused=true).`, `Continue with: k8ts rollout promote ${name}`];
  }
  const { phase, message } = rolloutPhase(rollout);
  return [`${phase}${message !== '' ? `: ${message}` : ''}.`];
}

export function renderWhy(rollout: RolloutObject, now: Date): string {
  const { phase, message } = rolloutPhase(rollout);
  const name = rollout.metadata?.name ?? '';
  const namespace = rollout.metadata?.namespace ?? '';
  const decisions = rollout.status?.decisions ?? [];
  const lines = [`Rollout '${name}' in namespace '${namespace}': ${rolloutIcon(phase)} ${phase}${message !== '' ? `: ${message}` : ''}`, ''];
  if (decisions.length === 0) lines.push('No decisions recorded yet (the controller records one per step, pause, promotion and abort).');
  else lines.push(...decisionTable(decisions, now));
  lines.push('', ...currentState(rollout, now));
  return `${lines.join('\n')}\n`;
}
