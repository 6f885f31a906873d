// coordination.k8s.io/v1 Lease (node heartbeats, leader election). No status.
import { defaultLease } from '../../../api/defaults/lease.js';
import { validateLease } from '../../../api/validation/lease.js';
import { leaseTable } from '../../tables/lease-table.js';
import type { ResourceStrategy } from '../strategy.js';

export const leaseStrategy: ResourceStrategy = {
  info: {
    group: 'coordination.k8s.io',
    version: 'v1',
    kind: 'Lease',
    listKind: 'LeaseList',
    resource: 'leases',
    singular: 'lease',
    namespaced: true,
    shortNames: [],
    categories: [],
    subresources: { status: false },
    tracksGeneration: false,
  },
  defaults: defaultLease,
  validate: validateLease,
  table: leaseTable,
  fieldSelectors: {},
};
