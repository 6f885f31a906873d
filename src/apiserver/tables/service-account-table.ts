// `kubectl get serviceaccounts`: NAME SECRETS AGE (as kubectl 1.32 prints it).
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

export const serviceAccountTable: TableConvertor = {
  columns: [nameColumn, tableColumn('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageColumn],
  cells(obj: KubeObject, now: Date): unknown[] {
    const sa = obj as ServiceAccount;
    return [sa.metadata?.name ?? '', (sa.secrets ?? []).length, translateTimestampSince(sa.metadata?.creationTimestamp, now)];
  },
};
