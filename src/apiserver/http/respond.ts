// Writing responses. Every API answer is `Content-Type: application/json` (kubectl-wire §0),
// errors included: a Status built by statusFromError.
import type { ServerResponse } from 'node:http';
import type { WriteResult } from '../registry/registry-types.js';
import { servedJson } from '../registry/served-json.js';
import { statusFromError } from '../status.js';

/** `Warning: 299 - "text"` (RFC 7234 warn-text is a quoted-string: escape `\` and `"`). */
export function warningHeaderValue(text: string): string {
  // Control characters would break the header line; upstream drops them as well.
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return `299 - "${clean.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  options: { warnings?: readonly string[]; contentType?: string } = {},
): void {
  const text = servedJson(body) ?? JSON.stringify(body);
  res.statusCode = code;
  res.setHeader('Content-Type', options.contentType ?? 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  if (options.warnings && options.warnings.length > 0) res.setHeader('Warning', options.warnings.map(warningHeaderValue));
  res.end(text);
}

/** A create/update/patch answer: 201 when it created the object, else 200, with its warnings. */
export function sendWriteResult(res: ServerResponse, result: WriteResult): number {
  const code = result.created ? 201 : 200;
  sendJson(res, code, result.object, { warnings: result.warnings });
  return code;
}

export function sendText(res: ServerResponse, code: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.statusCode = code;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Answers with the error's Status; returns the HTTP code sent. */
export function sendError(res: ServerResponse, error: unknown): number {
  const { code, status } = statusFromError(error);
  if (res.headersSent) {
    // Too late for a status line (a streaming response broke mid-way): just end it.
    res.end();
    return code;
  }
  res.removeHeader('Warning');
  sendJson(res, code, status);
  return code;
}
