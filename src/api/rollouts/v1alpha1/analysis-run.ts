// argoproj.io/v1alpha1 AnalysisRun (upstream analysis_types.go): an instantiation of templates
// that the AnalysisRun controller measures until its metrics complete.
// Schema-generator syntax only: see analysis-shared.ts.
import type { ListMeta, ObjectMeta, Time } from 'kubernetes-types/meta/v1.js';
import type { AnalysisPhase, DryRun, MeasurementRetention } from './analysis-shared.js';
import type { Argument } from './analysis-template.js';
import type { Metric } from './metric.js';

/** AnalysisRun is an instantiation of an AnalysisTemplate. */
export interface AnalysisRun {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'argoproj.io/v1alpha1';
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'AnalysisRun';
  /** Standard object's metadata. */
  metadata?: ObjectMeta;
  /** AnalysisRunSpec is the spec for a AnalysisRun resource. */
  spec: AnalysisRunSpec;
  /** AnalysisRunStatus is the status for a AnalysisRun resource. */
  status?: AnalysisRunStatus;
}

/** AnalysisRunList is a list of AnalysisRun resources. */
export interface AnalysisRunList {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'argoproj.io/v1alpha1';
  /** Items is the list of AnalysisRun. */
  items: Array<AnalysisRun>;
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'AnalysisRunList';
  /** Standard list metadata. */
  metadata?: ListMeta;
}

/** AnalysisRunSpec is the spec for a AnalysisRun resource. */
export interface AnalysisRunSpec {
  /** Metrics contains the list of metrics to query as part of an analysis run. */
  metrics: Array<Metric>;
  /** Args are the list of arguments used in this run. */
  args?: Array<Argument>;
  /** Terminate is used to prematurely stop the run (e.g. rollout completed and analysis is no longer desired). */
  terminate?: boolean;
  /** DryRun object contains the settings for running the analysis in Dry-Run mode. */
  dryRun?: Array<DryRun>;
  /** MeasurementRetention object contains the settings for retaining the number of measurements during the analysis. */
  measurementRetention?: Array<MeasurementRetention>;
  /** TtlStrategy object contains the strategy for the time to live depending on if the analysis succeeded or failed. */
  ttlStrategy?: TTLStrategy;
}

/** TTLStrategy defines the strategy for the time to live depending on if the analysis succeeded or failed. */
export interface TTLStrategy {
  /** SecondsAfterCompletion is the number of seconds to live after completion. */
  secondsAfterCompletion?: number;
  /** SecondsAfterFailure is the number of seconds to live after failure. */
  secondsAfterFailure?: number;
  /** SecondsAfterSuccess is the number of seconds to live after success. */
  secondsAfterSuccess?: number;
}

/** AnalysisRunStatus is the status for a AnalysisRun resource. */
export interface AnalysisRunStatus {
  /** Phase is the status of the analysis run. */
  phase?: AnalysisPhase;
  /** Message is a message explaining current status. */
  message?: string;
  /** MetricResults contains the metrics collected during the run. */
  metricResults?: Array<MetricResult>;
  /** StartedAt indicates when the analysisRun first started. */
  startedAt?: Time;
  /** RunSummary contains the final results from the metric executions. */
  runSummary?: RunSummary;
  /** DryRunSummary contains the final results from the metric executions in the dry-run mode. */
  dryRunSummary?: RunSummary;
  /** CompletedAt indicates when the analysisRun completed. */
  completedAt?: Time;
}

/** RunSummary contains the final results from the metric executions. */
export interface RunSummary {
  /** This is equal to the sum of Successful, Failed, Inconclusive. */
  count?: number;
  /** Successful is the number of times the metric was measured Successful. */
  successful?: number;
  /** Failed is the number of times the metric was measured Failed. */
  failed?: number;
  /** Inconclusive is the number of times the metric was measured Inconclusive. */
  inconclusive?: number;
  /** Error is the number of times an error was encountered during measurement. */
  error?: number;
}

/** MetricResult contain a list of the most recent measurements for a single metric along with counters on how often the measurement. */
export interface MetricResult {
  /** Name is the name of the metric. */
  name: string;
  /** Phase is the overall aggregate status of the metric. */
  phase: AnalysisPhase;
  /** Measurements holds the most recent measurements collected for the metric. */
  measurements?: Array<Measurement>;
  /** Message contains a message describing current condition (e.g. error messages). */
  message?: string;
  /** Count is the number of times the metric was measured without Error. This is equal to the sum of Successful, Failed, Inconclusive. */
  count?: number;
  /** Successful is the number of times the metric was measured Successful. */
  successful?: number;
  /** Failed is the number of times the metric was measured Failed. */
  failed?: number;
  /** Inconclusive is the number of times the metric was measured Inconclusive. */
  inconclusive?: number;
  /** Error is the number of times an error was encountered during measurement. */
  error?: number;
  /** ConsecutiveError is the number of times an error was encountered during measurement in succession. Resets to zero when non-errors are encountered. */
  consecutiveError?: number;
  /** DryRun indicates whether this metric is running in a dry-run mode or not. */
  dryRun?: boolean;
  /** Metadata stores additional metadata about this metric. It is used by different providers to store the final state which gets used while taking measurements. For example, Prometheus uses this field to store the final resolved query after substituting the template arguments. */
  metadata?: { [key: string]: string };
  /** ConsecutiveSuccess is the number of times the metric was measured Successful in succession. */
  consecutiveSuccess?: number;
}

/** Measurement is a point in time result value of a single metric, and the time it was measured. */
export interface Measurement {
  /** Phase is the status of this single measurement. */
  phase: AnalysisPhase;
  /** Message contains a message describing current condition (e.g. error messages). */
  message?: string;
  /** StartedAt is the timestamp in which this measurement started to be measured. */
  startedAt?: Time;
  /** FinishedAt is the timestamp in which this measurement completed and value was collected. */
  finishedAt?: Time;
  /** Value is the measured value of the metric. */
  value?: string;
  /** Metadata stores additional metadata about this metric result, used by the different providers (e.g. kayenta run ID, job name). */
  metadata?: { [key: string]: string };
  /** ResumeAt is the timestamp when the analysisRun should try to resume the measurement. */
  resumeAt?: Time;
}
