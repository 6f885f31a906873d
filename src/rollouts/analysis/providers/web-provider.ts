// Argo's `web` provider: an HTTP request whose JSON answer, narrowed by jsonPath, is the result.
//
//   provider:
//     web:
//       url: http://metrics/api/ok?svc={{args.svc}}
//       headers: [{key: Authorization, value: "Bearer {{args.token}}"}]
//       jsonPath: "{$.data.ok}"
//
// A body that is not JSON becomes the result as a string (as in Argo), so `result == "OK"` works.
import { MeasurementError } from '../analysis-errors.js';
import { formatValue, toValue } from '../expression/expr-values.js';
import { httpRequest } from './http-request.js';
import { findJsonPath } from './json-path.js';
import type { MeasureRequest, MetricProvider, ProviderMeasurement } from './metric-provider.js';

const DEFAULT_TIMEOUT_SECONDS = 10;

export class WebMetricProvider implements MetricProvider {
  readonly type = 'Web';

  async measure(request: MeasureRequest): Promise<ProviderMeasurement> {
    const web = request.metric.provider.web;
    if (web === undefined) throw new MeasurementError('metric has no web provider');
    const method = (web.method ?? '') === '' ? 'GET' : web.method!.toUpperCase();
    const hasBody = (web.body ?? '') !== '';
    const hasJsonBody = web.jsonBody !== undefined && web.jsonBody !== null;
    if (hasBody && hasJsonBody) throw new MeasurementError('use either Body or JSONBody; both cannot exists for WebMetric payload');
    if ((hasBody || hasJsonBody) && method === 'GET') throw new MeasurementError('Body/JSONBody can only be used with POST or PUT WebMetric Method types');
    const headers: Record<string, string> = {};
    for (const header of web.headers ?? []) headers[header.key] = header.value;
    let body: string | undefined;
    if (hasBody) body = web.body;
    if (hasJsonBody) {
      body = JSON.stringify(web.jsonBody);
      headers['Content-Type'] = 'application/json';
    }
    const timeoutSeconds = (web.timeoutSeconds ?? 0) > 0 ? web.timeoutSeconds! : DEFAULT_TIMEOUT_SECONDS;
    const response = await httpRequest({
      url: web.url, method, headers, timeoutMs: timeoutSeconds * 1000, signal: request.signal,
      ...(body === undefined ? {} : { body }),
    });
    if (response.status < 200 || response.status >= 300) throw new MeasurementError(`received non 2xx response code: ${response.status}`);
    let document: unknown;
    try {
      document = JSON.parse(response.text);
    } catch {
      return { value: response.text, display: response.text };
    }
    const found = findJsonPath(document, (web.jsonPath ?? '') === '' ? '{$}' : web.jsonPath!);
    if (found.length === 0) throw new MeasurementError('result of web metric produced no value');
    const value = toValue(found[0]);
    return { value, display: formatValue(value) };
  }
}
