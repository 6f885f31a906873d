// `kubectl get pdb`: NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE (upstream's
// printPodDisruptionBudget: an unset bound prints as N/A).
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

function bound(value: number | string | undefined): string {
  return value === undefined ? 'N/A' : String(value);
}

export const podDisruptionBudgetTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Min Available', 'The minimum number of pods that must be available.'),
    tableColumn('Max Unavailable', 'The maximum number of pods that may be unavailable.'),
    tableColumn('Allowed Disruptions', 'Calculated number of pods that may be disrupted at this time.', { type: 'integer' }),
    ageColumn,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const pdb = obj as PodDisruptionBudget;
    return [
      pdb.metadata?.name ?? '',
      bound(pdb.spec?.minAvailable),
      bound(pdb.spec?.maxUnavailable),
      pdb.status?.disruptionsAllowed ?? 0,
      translateTimestampSince(pdb.metadata?.creationTimestamp, now),
    ];
  },
};
