// The Service REST layer as registry write hooks (upstream's beginCreate / beginUpdate /
// afterDelete in pkg/registry/core/service/storage/storage.go): fix up the fields a client may
// have left out, then reserve cluster IPs and node ports around the write.
import type { KindInfo } from '../../../api/kind-info.js';
import type { KubeObject } from '../../../api/object.js';
import type { Logger } from '../../../lib/logger.js';
import type { FinishWrite, WriteHooks } from '../write-hooks.js';
import type { AllocationTransaction, ServiceAllocator } from './service-allocator.js';
import { dropTypeDependentFields, normalizeClusterIPs, patchAllocatedValues, specOf } from './service-fields.js';

function finishing(txn: AllocationTransaction): FinishWrite {
  return (success) => (success ? txn.commit() : txn.revert());
}

export function serviceWriteHooks(allocator: ServiceAllocator, logger: Logger): WriteHooks {
  return {
    async beginCreate(obj, options) {
      normalizeClusterIPs(specOf(obj), undefined);
      return finishing(await allocator.allocateCreate(obj, options.dryRun));
    },
    async beginUpdate(obj, old, options) {
      const spec = specOf(obj);
      const oldSpec = specOf(structuredClone(old));
      dropTypeDependentFields(spec, oldSpec);
      patchAllocatedValues(spec, oldSpec);
      normalizeClusterIPs(spec, oldSpec);
      return finishing(await allocator.allocateUpdate(obj, old, options.dryRun));
    },
    async afterDelete(obj: KubeObject) {
      try {
        await allocator.releaseAll(obj);
      } catch (error) {
        // The repair pass releases whatever this could not.
        logger.warn({ err: error, namespace: obj.metadata?.namespace, name: obj.metadata?.name }, 'cannot release service allocations');
      }
    },
  };
}

/** For ApiRegistryOptions.writeHooks: the hooks of core/v1 services, nothing for other kinds. */
export function serviceHooksFor(hooks: WriteHooks): (info: KindInfo) => WriteHooks | undefined {
  return (info) => (info.group === '' && info.resource === 'services' ? hooks : undefined);
}
