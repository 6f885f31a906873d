// The two PriorityClasses every cluster has (upstream creates them in the scheduling API group's
// post-start hook): system-node-critical and system-cluster-critical. Created when missing at
// start-up; one a user deleted comes back at the next start, as upstream's hook does.
import { SYSTEM_PRIORITY_CLASSES } from '../../api/validation/priority-class.js';
import { K8tsError } from '../../lib/errors.js';
import type { ApiRegistryView } from './registry-types.js';

export async function ensureSystemPriorityClasses(registry: ApiRegistryView): Promise<void> {
  const classes = registry.lookup('scheduling.k8s.io', 'v1', 'priorityclasses');
  if (!classes) return;
  for (const pc of SYSTEM_PRIORITY_CLASSES) {
    const body = {
      apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: pc.name }, value: pc.value, description: pc.description,
    };
    try {
      await classes.create(undefined, body, { dryRun: false, fieldValidation: 'Strict', fieldManager: 'k8ts-apiserver' });
    } catch (error) {
      if (!(error instanceof K8tsError && error.code === 'AlreadyExists')) throw error;
    }
  }
}
