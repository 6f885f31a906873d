// The pods a DaemonSet creates (upstream: CreatePodTemplate, ReplaceDaemonSetPodNodeNameNodeAffinity,
// GetPodFromTemplate) and the node a pod is meant for (GetTargetNodeName).
//
// A daemon pod is not bound by the controller: it carries a required node affinity that only its
// node satisfies (`matchFields: metadata.name In [node]`), and the scheduler binds it. That keeps
// the scheduler's checks (resources, ports, preemption of lower-priority pods) in the loop.
import type { Affinity, NodeSelectorTerm, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import { newControllerRef } from '../framework/controller-ref.js';
import { withDaemonPodTolerations } from './daemon-pod-tolerations.js';
import {
  CONTROLLER_REVISION_HASH_LABEL, DAEMON_SET_TYPE, TEMPLATE_GENERATION_LABEL, templateGeneration,
  type DaemonSetObject, type PodObject,
} from './daemon-set-types.js';

const NODE_NAME_FIELD = 'metadata.name';

/**
 * The template every new pod of the current revision starts from: the DaemonSet's template with
 * the daemon tolerations, and labelled with the revision `hash` and (when the API server set the
 * annotation) the template generation.
 */
export function daemonPodTemplate(ds: DaemonSetObject, hash: string): PodTemplateSpec {
  const template = structuredClone(ds.spec?.template ?? {});
  const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
  const generation = templateGeneration(ds);
  if (generation !== undefined) labels[TEMPLATE_GENERATION_LABEL] = generation;
  if (hash !== '') labels[CONTROLLER_REVISION_HASH_LABEL] = hash;
  return {
    metadata: { ...(template.metadata ?? {}), labels },
    spec: withDaemonPodTolerations(template.spec ?? { containers: [] }),
  };
}

function pinnedTerms(nodeName: string): NodeSelectorTerm[] {
  return [{ matchFields: [{ key: NODE_NAME_FIELD, operator: 'In', values: [nodeName] }] }];
}

/**
 * `affinity` with its required node affinity replaced by "exactly `nodeName`". The template's own
 * node constraints are dropped from the pod: the controller already checked the node meets them.
 */
export function pinToNode(affinity: Affinity | undefined, nodeName: string): Affinity {
  const nodeAffinity = affinity?.nodeAffinity ?? {};
  return {
    ...(affinity ?? {}),
    nodeAffinity: {
      ...nodeAffinity,
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: pinnedTerms(nodeName) },
    },
  };
}

/** A new daemon pod for `nodeName`: `generateName: <ds>-`, the template, pinned, controlled by `ds`. */
export function newDaemonPod(ds: DaemonSetObject, template: PodTemplateSpec, nodeName: string): PodObject {
  const meta = template.metadata ?? {};
  const spec = structuredClone(template.spec ?? { containers: [] });
  const metadata: NonNullable<PodObject['metadata']> = {
    generateName: `${ds.metadata?.name ?? ''}-`,
    labels: { ...(meta.labels ?? {}) },
    ownerReferences: [newControllerRef(ds, DAEMON_SET_TYPE)],
  };
  if (ds.metadata?.namespace !== undefined) metadata.namespace = ds.metadata.namespace;
  if (meta.annotations !== undefined) metadata.annotations = { ...meta.annotations };
  if (meta.finalizers !== undefined) metadata.finalizers = [...meta.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { ...spec, affinity: pinToNode(spec.affinity, nodeName) } };
}

/**
 * The node a daemon pod belongs to: spec.nodeName once bound, before that the single node its
 * `metadata.name In [...]` affinity names; undefined when neither says (such a pod is ignored).
 */
export function targetNodeName(pod: PodObject): string | undefined {
  const bound = pod.spec?.nodeName;
  if (bound !== undefined && bound !== '') return bound;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const term of terms) {
    for (const requirement of term.matchFields ?? []) {
      if (requirement.key !== NODE_NAME_FIELD || requirement.operator !== 'In') continue;
      const values = requirement.values ?? [];
      return values.length === 1 ? values[0] : undefined;
    }
  }
  return undefined;
}
