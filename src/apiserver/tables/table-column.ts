// Column definitions for Table output. Names are spelled as upstream's printers spell them (kubectl
// upper-cases them); descriptions are short, since kubectl only shows them in `explain`-like places.
import type { TableColumn, TableColumnType } from '../registry/strategy.js';

export function tableColumn(
  name: string,
  description: string,
  options: { readonly type?: TableColumnType; readonly priority?: 0 | 1; readonly format?: string } = {},
): TableColumn {
  return { name, type: options.type ?? 'string', format: options.format ?? '', description, priority: options.priority ?? 0 };
}

/** A wide-only (`-o wide`) column. */
export function wideColumn(name: string, description: string, type: TableColumnType = 'string'): TableColumn {
  return tableColumn(name, description, { type, priority: 1 });
}

export const nameColumn: TableColumn = tableColumn(
  'Name',
  'Name must be unique within a namespace. Is required when creating resources. Cannot be updated.',
  { format: 'name' },
);

export const ageColumn: TableColumn = tableColumn(
  'Age',
  'CreationTimestamp is a timestamp representing the server time when this object was created.',
);
