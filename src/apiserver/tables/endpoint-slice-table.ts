// `kubectl get endpointslices`: NAME ADDRESSTYPE PORTS ENDPOINTS AGE.
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { KubeObject } from '../../api/object.js';
import type { TableConvertor } from '../registry/strategy.js';
import { translateTimestampSince } from './age.js';
import { listWithMore } from './list-with-more.js';
import { ageColumn, nameColumn, tableColumn } from './table-column.js';

/** Port numbers (or names, or `*`), `<unset>` when there are none. */
function formatPorts(slice: EndpointSlice): string {
  const ports = slice.ports ?? [];
  const shown = ports.map((p) => (p.port !== undefined ? String(p.port) : p.name !== undefined ? p.name : '*'));
  return listWithMore(shown, ports.length, '<unset>');
}

function formatAddresses(slice: EndpointSlice): string {
  const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses);
  return listWithMore(addresses, addresses.length, '<unset>');
}

export const endpointSliceTable: TableConvertor = {
  columns: [
    nameColumn,
    tableColumn('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.'),
    tableColumn('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    tableColumn('Endpoints', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn,
  ],
  cells(obj: KubeObject, now: Date): unknown[] {
    const slice = obj as unknown as EndpointSlice;
    return [
      slice.metadata?.name ?? '',
      slice.addressType,
      formatPorts(slice),
      formatAddresses(slice),
      translateTimestampSince(slice.metadata?.creationTimestamp, now),
    ];
  },
};
