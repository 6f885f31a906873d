// Answers the discovery URLs from DiscoveryDocuments, choosing the aggregated (v2/v2beta1) or the
// legacy form on /api and /apis by the Accept header (kubectl-wire §1).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotFoundError } from '../../lib/errors.js';
import { aggregatedDiscoveryContentType, negotiateDiscoveryShape } from '../http/negotiate-media-type.js';
import { sendJson } from '../http/respond.js';
import { MethodNotSupportedError } from '../registry/api-errors.js';
import type { DiscoveryDocuments } from './discovery-documents.js';

export type DiscoveryPath =
  | { readonly type: 'discovery-root'; readonly root: 'api' | 'apis' }
  | { readonly type: 'group'; readonly group: string }
  | { readonly type: 'group-version'; readonly group: string; readonly version: string };

function notFound(): NotFoundError {
  return new NotFoundError('the server could not find the requested resource');
}

/** host:port the client used to reach us (for APIVersions.serverAddressByClientCIDRs). */
function serverAddress(req: IncomingMessage): string {
  if (req.headers.host) return req.headers.host;
  const address = (req.socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  return `${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? 0}`;
}

export function handleDiscovery(documents: DiscoveryDocuments, req: IncomingMessage, res: ServerResponse, path: DiscoveryPath): number {
  if (req.method !== 'GET') throw new MethodNotSupportedError();
  // The answer depends on Accept: shared caches must key on it.
  res.setHeader('Vary', 'Accept');
  switch (path.type) {
    case 'discovery-root': {
      const shape = negotiateDiscoveryShape(req.headers.accept);
      if (shape !== 'legacy') {
        sendJson(res, 200, documents.aggregated(path.root, shape), { contentType: aggregatedDiscoveryContentType(shape) });
      } else {
        sendJson(res, 200, path.root === 'api' ? documents.apiVersions(serverAddress(req)) : documents.apiGroupList());
      }
      return 200;
    }
    case 'group': {
      const body = documents.apiGroup(path.group);
      if (!body) throw notFound();
      sendJson(res, 200, body);
      return 200;
    }
    case 'group-version': {
      const body = documents.apiResourceList(path.group, path.version);
      if (!body) throw notFound();
      sendJson(res, 200, body);
      return 200;
    }
  }
}
