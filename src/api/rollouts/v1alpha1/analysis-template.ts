// argoproj.io/v1alpha1 AnalysisTemplate and ClusterAnalysisTemplate (upstream analysis_types.go).
// Schema-generator syntax only: see analysis-shared.ts.
import type { ListMeta, ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { AnalysisTemplateRef, DryRun, FieldRef, MeasurementRetention } from './analysis-shared.js';
import type { Metric } from './metric.js';

/** AnalysisTemplate holds the template for performing canary analysis. */
export interface AnalysisTemplate {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'argoproj.io/v1alpha1';
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'AnalysisTemplate';
  /** Standard object's metadata. */
  metadata?: ObjectMeta;
  /** AnalysisTemplateSpec is the specification for a AnalysisTemplate resource. */
  spec: AnalysisTemplateSpec;
}

/** AnalysisTemplateList is a list of AnalysisTemplate resources. */
export interface AnalysisTemplateList {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'argoproj.io/v1alpha1';
  /** Items is the list of AnalysisTemplate. */
  items: Array<AnalysisTemplate>;
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'AnalysisTemplateList';
  /** Standard list metadata. */
  metadata?: ListMeta;
}

/** ClusterAnalysisTemplate holds the template for performing canary analysis, cluster-wide. */
export interface ClusterAnalysisTemplate {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'argoproj.io/v1alpha1';
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'ClusterAnalysisTemplate';
  /** Standard object's metadata. */
  metadata?: ObjectMeta;
  /** AnalysisTemplateSpec is the specification for a AnalysisTemplate resource. */
  spec: AnalysisTemplateSpec;
}

/** ClusterAnalysisTemplateList is a list of ClusterAnalysisTemplate resources. */
export interface ClusterAnalysisTemplateList {
  /** APIVersion defines the versioned schema of this representation of an object. */
  apiVersion?: 'argoproj.io/v1alpha1';
  /** Items is the list of ClusterAnalysisTemplate. */
  items: Array<ClusterAnalysisTemplate>;
  /** Kind is a string value representing the REST resource this object represents. */
  kind?: 'ClusterAnalysisTemplateList';
  /** Standard list metadata. */
  metadata?: ListMeta;
}

/** AnalysisTemplateSpec is the specification for a AnalysisTemplate resource. */
export interface AnalysisTemplateSpec {
  /** Metrics contains the list of metrics to query as part of an analysis run. */
  metrics?: Array<Metric>;
  /** Args are the list of arguments to the template. */
  args?: Array<Argument>;
  /** DryRun object contains the settings for running the analysis in Dry-Run mode. */
  dryRun?: Array<DryRun>;
  /** MeasurementRetention object contains the settings for retaining the number of measurements during the analysis. */
  measurementRetention?: Array<MeasurementRetention>;
  /** Templates reference to a list of analysis templates to combine with the rest of the metrics for an AnalysisRun. */
  templates?: Array<AnalysisTemplateRef>;
}

/** Argument is an argument to an AnalysisRun. */
export interface Argument {
  /** Name is the name of the argument. */
  name: string;
  /** Value is the value of the argument. */
  value?: string;
  /** ValueFrom is a reference to where a secret is stored. This field is one of the fields with valueFrom. */
  valueFrom?: ValueFrom;
}

/** ValueFrom says where an argument's value comes from. */
export interface ValueFrom {
  /** Secret is a reference to where a secret is stored. This field is one of the fields with valueFrom. */
  secretKeyRef?: SecretKeyRef;
  /** FieldRef is a reference to the fields in metadata which we are referencing. This field is one of the fields with valueFrom. */
  fieldRef?: FieldRef;
}

/** SecretKeyRef selects a key of a Secret in the AnalysisRun's namespace. */
export interface SecretKeyRef {
  /** Name is the name of the secret. */
  name: string;
  /** Key is the key of the secret to select from. */
  key: string;
}
