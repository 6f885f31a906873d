// A traffic routing configuration the user must fix (a missing HTTPRoute, a route without the
// canary/stable backends). The Rollout controller turns it into a condition and an Event.
import { K8tsError } from '../../lib/errors.js';

export class TrafficRoutingError extends K8tsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('Invalid', message, options);
  }
}
