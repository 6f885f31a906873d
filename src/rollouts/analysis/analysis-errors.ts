// Typed errors of the analysis engine. Callers branch on the class, never on the message; the
// messages themselves follow Argo Rollouts' wording because they end up in AnalysisRun status.
import { K8tsError } from '../../lib/errors.js';

/** A successCondition/failureCondition that does not parse, or fails while being evaluated. */
export class ExpressionError extends K8tsError {
  /** 0-based offset into the expression where the problem was found, when known. */
  readonly position: number | undefined;
  constructor(message: string, options?: { cause?: unknown; position?: number }) {
    super('Invalid', message, options);
    this.position = options?.position;
  }
}

/** An `{{args.x}}` reference without a value, or an argument that could not be resolved. */
export class ArgumentError extends K8tsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('Invalid', message, options);
  }
}

/** The metric spec itself is invalid (Argo: "Analysis spec invalid: ..."). */
export class MetricSpecError extends K8tsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('Invalid', message, options);
  }
}

/** A provider could not take a measurement (network, non-2xx, unparsable answer...). */
export class MeasurementError extends K8tsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('Unavailable', message, options);
  }
}
