// Upstream's NamespaceLifecycle admission, the part about deletes: `default`, `kube-system` and
// `kube-public` may not be deleted (everything in the cluster assumes they exist; `default` holds
// the `kubernetes` Service). The other part, no new content in a Terminating namespace, lives in
// create-operation.ts.
import type { KindInfo } from '../../api/kind-info.js';
import { ForbiddenError } from './api-errors.js';
import type { WriteHooks } from './write-hooks.js';

export const IMMORTAL_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public'];

const NAMESPACES = { group: '', resource: 'namespaces' };

const namespaceHooks: WriteHooks = {
  beginDelete(name) {
    if (IMMORTAL_NAMESPACES.includes(name)) throw new ForbiddenError(NAMESPACES, name, 'this namespace may not be deleted');
  },
};

/** For ApiRegistryOptions.writeHooks: the hooks of namespaces. */
export function namespaceLifecycleHooks(info: KindInfo): WriteHooks | undefined {
  return info.group === '' && info.resource === 'namespaces' ? namespaceHooks : undefined;
}
