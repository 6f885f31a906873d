// argoproj.io/v1alpha1 small types used by both Rollout strategies (upstream types.go).
// Schema-generator syntax only: see analysis-shared.ts.

/** PodTemplateMetadata extra labels and annotations for the pods of one side of a rollout. */
export interface PodTemplateMetadata {
  /** Labels Additional labels to add to the experiment. */
  labels?: { [name: string]: string };
  /** Annotations Additional annotations to add to the experiment. */
  annotations?: { [name: string]: string };
}

/** AntiAffinity defines which inter-pod scheduling rule to use for anti-affinity injection. */
export interface AntiAffinity {
  /** PreferredDuringSchedulingIgnoredDuringExecution: soft anti-affinity towards the pods of the previous revision. */
  preferredDuringSchedulingIgnoredDuringExecution?: PreferredDuringSchedulingIgnoredDuringExecution;
  /** RequiredDuringSchedulingIgnoredDuringExecution: hard anti-affinity towards the pods of the previous revision. */
  requiredDuringSchedulingIgnoredDuringExecution?: RequiredDuringSchedulingIgnoredDuringExecution;
}

/** PreferredDuringSchedulingIgnoredDuringExecution defines the weight of the anti-affinity injection. */
export interface PreferredDuringSchedulingIgnoredDuringExecution {
  /** Weight associated with matching the corresponding podAffinityTerm, in the range 1-100. */
  weight: number;
}

/** RequiredDuringSchedulingIgnoredDuringExecution defines inter-pod scheduling rule to be RequiredDuringSchedulingIgnoredDuringExecution (it has no fields). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- upstream's struct has no fields; the schema generator reads interfaces
export interface RequiredDuringSchedulingIgnoredDuringExecution {
}
