// Upstream's Priority admission plugin (plugin/pkg/admission/priority) as registry write hooks.
//
// Pods, on create (after defaulting, before validation):
// - spec.priorityClassName names a class: the pod gets its value and preemptionPolicy; an unknown
//   name is 403 `pods "x" is forbidden: no PriorityClass with name y was found`;
// - no class name: the globalDefault class if there is one (its name is written into the pod; with
//   several, the lowest value wins), else priority 0 and PreemptLowerPriority;
// - a pod that brings its own spec.priority or spec.preemptionPolicy must agree with what the class
//   says, else 403 with upstream's message.
// Pods, on update: a body without spec.priority / spec.preemptionPolicy (kubectl replace of the
// original manifest) keeps the stored ones, so pod update validation does not see a spec change.
// PriorityClasses, on create and update: only one may be globalDefault.
//
// Classes are read from a watch-fed map (priority-class-cache.ts), as upstream reads an informer.
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { KindInfo } from '../../api/kind-info.js';
import { SYSTEM_PRIORITY_CLASSES } from '../../api/validation/priority-class.js';
import type { KubeObject } from '../../api/object.js';
import { ForbiddenError } from './api-errors.js';
import { PriorityClassCache, type PriorityClassSource } from './priority-class-cache.js';
import type { WriteHooks } from './write-hooks.js';

const PODS = { group: '', resource: 'pods' };
const PRIORITY_CLASSES = { group: 'scheduling.k8s.io', resource: 'priorityclasses' };
const PREEMPT_LOWER_PRIORITY = 'PreemptLowerPriority';
/** Upstream DefaultPriorityWhenNoDefaultClassExists. */
const DEFAULT_PRIORITY = 0;

interface Resolved {
  readonly className: string | undefined;
  readonly priority: number;
  readonly preemptionPolicy: string | undefined;
}

/** The globalDefault class with the lowest value (upstream getDefaultPriorityClass). */
export function defaultClassOf(classes: readonly PriorityClass[]): PriorityClass | undefined {
  let best: PriorityClass | undefined;
  for (const pc of classes) if (pc.globalDefault && (!best || pc.value < best.value)) best = pc;
  return best;
}

async function resolve(classes: PriorityClassCache, podName: string, className: string): Promise<Resolved> {
  if (className === '') {
    const pc = defaultClassOf(await classes.all());
    if (!pc) return { className: undefined, priority: DEFAULT_PRIORITY, preemptionPolicy: PREEMPT_LOWER_PRIORITY };
    return { className: pc.metadata?.name, priority: pc.value, preemptionPolicy: pc.preemptionPolicy };
  }
  const pc = await classes.get(className);
  if (!pc) throw new ForbiddenError(PODS, podName, `no PriorityClass with name ${className} was found`);
  return { className, priority: pc.value, preemptionPolicy: pc.preemptionPolicy };
}

/** Fills spec.priority (and preemptionPolicy, priorityClassName) of a pod being created. */
export async function admitPodPriority(classes: PriorityClassCache, obj: KubeObject): Promise<void> {
  const pod = obj as Pod;
  const spec = (pod.spec ??= { containers: [] });
  // A spec that is not an object (only without the body type check) is validation's to reject.
  if (typeof spec !== 'object' || Array.isArray(spec)) return;
  const name = pod.metadata?.name ?? '';
  const resolved = await resolve(classes, name, typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '');
  if (resolved.className !== undefined) spec.priorityClassName = resolved.className;
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== resolved.priority) {
    throw new ForbiddenError(PODS, name,
      `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${resolved.priority} from the given PriorityClass name`);
  }
  spec.priority = resolved.priority;
  if (resolved.preemptionPolicy !== undefined) {
    if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && spec.preemptionPolicy !== resolved.preemptionPolicy) {
      throw new ForbiddenError(PODS, name,
        `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${resolved.preemptionPolicy} from the given PriorityClass name`);
    }
    spec.preemptionPolicy = resolved.preemptionPolicy;
  }
}

/** An update keeps what admission set on create when the new body leaves it out. */
export function keepPodPriority(obj: KubeObject, old: KubeObject): void {
  const spec = (obj as Pod).spec;
  const oldSpec = (old as Pod).spec;
  if (typeof spec !== 'object' || typeof oldSpec !== 'object' || spec === null || oldSpec === null) return;
  if ((spec.priority === undefined || spec.priority === null) && oldSpec.priority !== undefined) spec.priority = oldSpec.priority;
  if ((spec.preemptionPolicy === undefined || spec.preemptionPolicy === null) && oldSpec.preemptionPolicy !== undefined) {
    spec.preemptionPolicy = oldSpec.preemptionPolicy;
  }
}

/**
 * At most one globalDefault class (upstream validates this in the same admission plugin). Read
 * from the registry, not the watch-fed map: two defaults created back to back must not both pass.
 */
export async function admitPriorityClass(classes: PriorityClassCache, obj: KubeObject): Promise<void> {
  const pc = obj as unknown as PriorityClass;
  if (!pc.globalDefault) return;
  const name = pc.metadata?.name ?? '';
  const other = (await classes.current()).find((c) => c.globalDefault && c.metadata?.name !== name);
  if (other) {
    throw new ForbiddenError(PRIORITY_CLASSES, name, `PriorityClass ${other.metadata?.name ?? ''} is already marked as default. Only one default can exist`);
  }
}

const done = (): Promise<void> => Promise.resolve();

/** For ApiRegistryOptions.writeHooks: the Priority admission hooks of pods and priorityclasses. */
export function priorityHooksFor(source: PriorityClassSource): (info: KindInfo) => WriteHooks | undefined {
  const classes = new PriorityClassCache(source);
  const podHooks: WriteHooks = {
    async beginCreate(obj) {
      await admitPodPriority(classes, obj);
      return done;
    },
    beginUpdate(obj, old) {
      keepPodPriority(obj, old);
      return Promise.resolve(done);
    },
  };
  const classHooks: WriteHooks = {
    async beginCreate(obj) {
      await admitPriorityClass(classes, obj);
      return done;
    },
    async beginUpdate(obj) {
      await admitPriorityClass(classes, obj);
      return done;
    },
    beginDelete(name) {
      // Upstream's PriorityClass REST.Delete: refused by name, whether or not the class exists.
      if (SYSTEM_PRIORITY_CLASSES.some((pc) => pc.name === name)) {
        throw new ForbiddenError(PRIORITY_CLASSES, name, 'this is a system priority class and cannot be deleted');
      }
    },
  };
  return (info) => {
    if (info.group === '' && info.resource === 'pods') return podHooks;
    if (info.group === 'scheduling.k8s.io' && info.resource === 'priorityclasses') return classHooks;
    return undefined;
  };
}
