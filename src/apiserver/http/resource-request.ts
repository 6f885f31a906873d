// One API request on its way through the resource handlers, and the 404 for a URL that names no
// served resource.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotFoundError } from '../../lib/errors.js';
import type { RequestVerb } from '../metrics/api-metrics.js';
import type { ResourcePath } from './parse-api-path.js';

/** What the request was, for metrics; filled in as soon as it is known. */
export interface RequestLabels {
  verb: RequestVerb;
  resource: string;
  /** '' unless the URL names a subresource (`scale`, `status`, `log`, `binding`). */
  subresource: string;
}

export interface ResourceRequest {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly path: ResourcePath;
  readonly labels: RequestLabels;
}

/** Upstream's answer for any URL that names no served resource. */
export function resourceNotFound(): NotFoundError {
  return new NotFoundError('the server could not find the requested resource');
}
