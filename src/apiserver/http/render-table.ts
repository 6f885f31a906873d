// meta.k8s.io Table rendering for `Accept: application/json;as=Table;...` (kubectl get). The
// strategy's TableConvertor gives columns and cells; this wraps them the way upstream does, with
// each row carrying the object as PartialObjectMetadata by default (`includeObject=Metadata`),
// which kubectl needs for the NAMESPACE column of `-A` and for `--show-labels`.
import type { KubeObject } from '../../api/object.js';
import { BadRequestError } from '../../lib/errors.js';
import type { KubeList, WatchEvent } from '../registry/registry-types.js';
import type { ResourceStrategy } from '../registry/strategy.js';

/** What rendering needs of a kind: its columns and cells (a whole strategy, or e.g. the Scale table). */
type Tabular = Pick<ResourceStrategy, 'table'>;

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  readonly version: 'v1' | 'v1beta1';
  readonly includeObject: IncludeObject;
  readonly now: Date;
}

export interface Table extends KubeObject {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: { name: string; type: string; format: string; description: string; priority: number }[];
  rows: { cells: unknown[]; object?: KubeObject }[];
}

export function parseIncludeObject(params: URLSearchParams): IncludeObject {
  const raw = params.get('includeObject');
  if (raw === null || raw === '') return 'Metadata';
  if (raw === 'None' || raw === 'Metadata' || raw === 'Object') return raw;
  throw new BadRequestError(`invalid includeObject ${JSON.stringify(raw)}: must be one of None, Metadata, Object`);
}

function partialObjectMetadata(obj: KubeObject, version: string): KubeObject {
  // Everything in metadata but managedFields, as upstream's metadata-only conversion does.
  const { managedFields: _managedFields, ...metadata } = obj.metadata ?? {};
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata };
}

function row(obj: KubeObject, strategy: Tabular, options: TableOptions): Table['rows'][number] {
  const cells = strategy.table.cells(obj, options.now);
  switch (options.includeObject) {
    case 'None':
      return { cells };
    case 'Object':
      return { cells, object: obj };
    case 'Metadata':
      return { cells, object: partialObjectMetadata(obj, options.version) };
  }
}

function emptyTable(strategy: Tabular, options: TableOptions): Table {
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.version}`,
    metadata: {},
    columnDefinitions: strategy.table.columns.map((column) => ({
      name: column.name,
      type: column.type,
      format: column.format,
      description: column.description,
      priority: column.priority,
    })),
    rows: [],
  };
}

export function tableFromList(list: KubeList, strategy: Tabular, options: TableOptions): Table {
  const table = emptyTable(strategy, options);
  table.metadata = { ...list.metadata };
  table.rows = list.items.map((item) => row(item, strategy, options));
  return table;
}

export function tableFromObject(obj: KubeObject, strategy: Tabular, options: TableOptions): Table {
  const table = emptyTable(strategy, options);
  const resourceVersion = obj.metadata?.resourceVersion;
  if (resourceVersion !== undefined) table.metadata = { resourceVersion };
  table.rows = [row(obj, strategy, options)];
  return table;
}

/**
 * A watch event for a Table watcher: object events become one-row Tables (kubectl get -w prints
 * them as rows under the list's header); BOOKMARKs become row-less Tables that keep the bookmark's
 * resourceVersion and annotations; ERROR events keep their Status.
 */
export function tableWatchEvent(event: WatchEvent, strategy: Tabular, options: TableOptions): WatchEvent {
  if (event.type === 'ERROR') return event;
  if (event.type === 'BOOKMARK') {
    const table = emptyTable(strategy, options);
    table.metadata = { ...(event.object.metadata ?? {}) };
    table.columnDefinitions = [];
    return { type: event.type, object: table };
  }
  return { type: event.type, object: tableFromObject(event.object, strategy, options) };
}
