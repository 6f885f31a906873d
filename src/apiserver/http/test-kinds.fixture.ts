// Two small kinds for the HTTP layer's tests (the built-in kinds live elsewhere): a namespaced
// Widget in group example.com with status and scale subresources, and core Namespaces.
import type { KindInfo } from '../../api/kind-info.js';
import type { KubeObject } from '../../api/object.js';
import type { ResourceStrategy } from '../registry/strategy.js';

function age(obj: KubeObject, now: Date): string {
  const created = obj.metadata?.creationTimestamp;
  if (typeof created !== 'string') return '<unknown>';
  return `${Math.max(0, Math.round((now.getTime() - Date.parse(created)) / 1000))}s`;
}

export const widgetInfo: KindInfo = {
  group: 'example.com',
  version: 'v1',
  kind: 'Widget',
  listKind: 'WidgetList',
  resource: 'widgets',
  singular: 'widget',
  namespaced: true,
  shortNames: ['wd'],
  categories: ['all'],
  subresources: { status: true, scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas' } },
  tracksGeneration: true,
};

export const widgetStrategy: ResourceStrategy = {
  info: widgetInfo,
  defaults(obj) {
    const spec = (obj['spec'] ??= {}) as Record<string, unknown>;
    spec['replicas'] ??= 1;
  },
  validate: () => [],
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name of the widget', priority: 0 },
      { name: 'Replicas', type: 'integer', format: '', description: 'Desired replicas', priority: 0 },
      { name: 'Age', type: 'string', format: '', description: 'Time since creation', priority: 0 },
      { name: 'Color', type: 'string', format: '', description: 'Shown with -o wide', priority: 1 },
    ],
    cells: (obj, now) => [obj.metadata?.name, (obj['spec'] as { replicas?: number } | undefined)?.replicas, age(obj, now), (obj['spec'] as { color?: string } | undefined)?.color ?? ''],
  },
  fieldSelectors: {},
};

export const namespaceInfo: KindInfo = {
  group: '',
  version: 'v1',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  resource: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  categories: [],
  subresources: { status: true },
  tracksGeneration: false,
};

export const namespaceStrategy: ResourceStrategy = {
  info: namespaceInfo,
  defaults(obj) {
    obj['status'] = { phase: 'Active' };
  },
  validate: () => [],
  keepsStatusOnCreate: true,
  table: {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name', priority: 0 },
      { name: 'Status', type: 'string', format: '', description: 'Phase', priority: 0 },
      { name: 'Age', type: 'string', format: '', description: 'Age', priority: 0 },
    ],
    cells: (obj, now) => [obj.metadata?.name, (obj['status'] as { phase?: string } | undefined)?.phase ?? '', age(obj, now)],
  },
  fieldSelectors: { 'status.phase': (obj) => (obj['status'] as { phase?: string } | undefined)?.phase ?? '' },
};
