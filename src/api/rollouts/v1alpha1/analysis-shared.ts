// argoproj.io/v1alpha1 types shared by Rollouts and the analysis kinds (upstream
// pkg/apis/rollouts/v1alpha1/types.go and analysis_types.go). Written in the style of the
// `kubernetes-types` package because scripts/generate-openapi.ts reads this syntax to derive the
// OpenAPI schemas (see src/api/gateway/README.md): interfaces only, a doc comment on every field,
// `?` exactly where upstream's JSON tag has omitempty (or the CRD does not require the field).

/** The phase of an AnalysisRun, of one of its metrics, or of a single measurement. */
export type AnalysisPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Error' | 'Inconclusive';

/** DryRun names the metrics whose failures do not fail the run. */
export interface DryRun {
  /** Name of the metric to run in dry-run mode; a regular expression (".*" for all metrics). */
  metricName: string;
}

/** MeasurementRetention overrides how many measurements of a metric the run keeps. */
export interface MeasurementRetention {
  /** Name of the metric; a regular expression (".*" for all metrics). */
  metricName: string;
  /** Limit is the maximum number of measurements to retain for matching metrics. */
  limit: number;
}

/** AnalysisTemplateRef names an AnalysisTemplate (or ClusterAnalysisTemplate) to run. */
export interface AnalysisTemplateRef {
  /** TemplateName name of template to use in AnalysisRun. */
  templateName: string;
  /** Whether to look for the templateName at cluster scope (a ClusterAnalysisTemplate) or namespace scope. */
  clusterScope?: boolean;
}

/** FieldRef selects a field of the Rollout, e.g. "metadata.labels['app']". */
export interface FieldRef {
  /** Required: path of the field to select, e.g. metadata.name or metadata.labels['env']. */
  fieldPath: string;
}

/** ArgumentValueFrom says where a Rollout's analysis argument value comes from. */
export interface ArgumentValueFrom {
  /** PodTemplateHashValue gets the value from one of the pod template hashes: "Stable" or "Latest". */
  podTemplateHashValue?: 'Stable' | 'Latest';
  /** FieldRef is a reference to a field of the Rollout. */
  fieldRef?: FieldRef;
}

/** AnalysisRunArgument is an argument a Rollout passes to an AnalysisRun. */
export interface AnalysisRunArgument {
  /** Name of the argument. */
  name: string;
  /** Value of the argument. */
  value?: string;
  /** ValueFrom is a reference to where a value may come from (pod template hash or Rollout field). */
  valueFrom?: ArgumentValueFrom;
}

/** AnalysisRunMetadata is extra metadata for the AnalysisRuns a Rollout creates. */
export interface AnalysisRunMetadata {
  /** Labels to add to the AnalysisRun. */
  labels?: { [name: string]: string };
  /** Annotations to add to the AnalysisRun. */
  annotations?: { [name: string]: string };
}

/** RolloutAnalysis is an analysis a Rollout runs: templates combined into one AnalysisRun. */
export interface RolloutAnalysis {
  /** Templates reference to a list of analysis templates to combine for an AnalysisRun. */
  templates?: Array<AnalysisTemplateRef>;
  /** Args the arguments that will be added to the AnalysisRuns. */
  args?: Array<AnalysisRunArgument>;
  /** DryRun object contains the settings for running the analysis in Dry-Run mode. */
  dryRun?: Array<DryRun>;
  /** MeasurementRetention object contains the settings for retaining the number of measurements during the analysis. */
  measurementRetention?: Array<MeasurementRetention>;
  /** AnalysisRunMetadata labels and annotations that will be added to the AnalysisRuns. */
  analysisRunMetadata?: AnalysisRunMetadata;
}

/** Kubernetes IntOrString as JSON: `count: 5` or `count: "{{args.count}}"` (not read by the schema generator: fields write `number | string`). */
export type IntOrString = number | string;

/** A Go duration string such as `30s`, `5m`, `1h30m` (Argo's DurationString; fields write `string`). */
export type DurationString = string;
