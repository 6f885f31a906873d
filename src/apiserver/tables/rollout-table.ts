// `kubectl get rollouts`: NAME DESIRED CURRENT UP-TO-DATE AVAILABLE AGE, Argo's CRD
// additionalPrinterColumns (missing values are null cells, as CRD tables have them). `-o wide`
// adds k8ts columns: STRATEGY, STATUS (phase), STEP (current/total), SET-WEIGHT (what the steps
// ask for), ACTUAL-WEIGHT (what the traffic router reports in status.canary.weights).
import { currentSetWeight, type Rollout } from '../../api/rollouts/index.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { ageColumn, nameColumn, tableColumn, wideColumn } from './table-column.js';

const intCell = (value: unknown): number | null => (typeof value === 'number' ? value : null);

function strategyCell(rollout: Partial<Rollout>): string | null {
  if (rollout.spec?.strategy?.canary) return 'Canary';
  if (rollout.spec?.strategy?.blueGreen) return 'BlueGreen';
  return null;
}

/** `2/4` for a canary: the current step index over the number of steps. */
function stepCell(rollout: Partial<Rollout>): string | null {
  const steps = rollout.spec?.strategy?.canary?.steps;
  if (steps === undefined || steps.length === 0) return null;
  return `${rollout.status?.currentStepIndex ?? 0}/${steps.length}`;
}

export const rolloutTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Desired', 'Number of desired pods', { type: 'integer' }),
    tableColumn('Current', 'Total number of non-terminated pods targeted by this rollout', { type: 'integer' }),
    tableColumn('Up-to-date', 'Total number of non-terminated pods targeted by this rollout that have the desired template spec', { type: 'integer' }),
    tableColumn('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this rollout', { type: 'integer' }),
    ageColumn,
    wideColumn('Strategy', 'Canary or BlueGreen'),
    wideColumn('Status', 'Phase of the rollout: Healthy, Progressing, Paused or Degraded'),
    wideColumn('Step', 'Current canary step over the number of steps'),
    wideColumn('Set-Weight', 'Canary traffic weight the steps ask for', 'integer'),
    wideColumn('Actual-Weight', 'Canary traffic weight the traffic router reports', 'integer'),
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    // Any stored object reaches here, even one without a spec (tables must not throw).
    const rollout = obj as Partial<Rollout>;
    const spec = rollout.spec;
    return [
      rollout.metadata?.name ?? '',
      intCell(rollout.spec?.replicas),
      intCell(rollout.status?.replicas),
      intCell(rollout.status?.updatedReplicas),
      intCell(rollout.status?.availableReplicas),
      translateTimestampSince(rollout.metadata?.creationTimestamp, now),
      strategyCell(rollout),
      rollout.status?.phase ?? null,
      stepCell(rollout),
      spec?.strategy?.canary !== undefined ? currentSetWeight({ ...rollout, spec }) : null,
      intCell(rollout.status?.canary?.weights?.canary.weight),
    ];
  },
};
