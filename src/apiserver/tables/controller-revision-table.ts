// `kubectl get controllerrevisions`: NAME CONTROLLER REVISION AGE (upstream's
// printControllerRevision). CONTROLLER names the owner reference marked controller as
// `<kind>.<group>/<name>` in lower case (`daemonset.apps/fluentd`; a core kind has no group), or
// `<none>`.
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

/** The group of an apiVersion: `apps` of `apps/v1`, '' of the core `v1`. */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function controllerCell(owners: readonly OwnerReference[] | undefined): string {
  const controller = owners?.find((owner) => owner.controller === true);
  if (controller === undefined) return '<none>';
  const group = groupOf(controller.apiVersion);
  const groupKind = group === '' ? controller.kind : `${controller.kind}.${group}`;
  return groupKind === '' ? controller.name : `${groupKind.toLowerCase()}/${controller.name}`;
}

export const controllerRevisionTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Controller', 'Controller of the object'),
    tableColumn('Revision', 'Revision indicates the revision of the state represented by Data.'),
    ageColumn,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const revision = obj as Partial<ControllerRevision>;
    return [
      revision.metadata?.name ?? '',
      controllerCell(revision.metadata?.ownerReferences),
      revision.revision ?? 0,
      translateTimestampSince(revision.metadata?.creationTimestamp, now),
    ];
  },
};
