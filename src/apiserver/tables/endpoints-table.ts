// `kubectl get endpoints`: NAME ENDPOINTS AGE, e.g. `10.0.0.1:80,10.0.0.2:80 + 1 more...`.
import type { Endpoints } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { listWithMore } from './list-with-more.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

/** net.JoinHostPort: IPv6 addresses are bracketed. */
const joinHostPort = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** Every address (per port, when the subset has ports), counted in full but shown up to three. */
export function formatEndpoints(endpoints: Endpoints): string {
  const subsets = endpoints.subsets ?? [];
  if (subsets.length === 0) return '<none>';
  const shown: string[] = [];
  let total = 0;
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    const ports = subset.ports ?? [];
    if (ports.length === 0) {
      // Headless services may have no ports: list bare IPs.
      total += addresses.length;
      shown.push(...addresses.map((a) => a.ip));
      continue;
    }
    for (const port of ports) {
      total += addresses.length;
      shown.push(...addresses.map((a) => joinHostPort(a.ip, port.port)));
    }
  }
  return listWithMore(shown, total, '');
}

export const endpointsTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('Endpoints', 'The set of all endpoints is the union of all subsets.'),
    ageColumn,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const ep = obj as Endpoints;
    return [ep.metadata?.name ?? '', formatEndpoints(ep), translateTimestampSince(ep.metadata?.creationTimestamp, now)];
  },
};
