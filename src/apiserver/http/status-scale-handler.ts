// The status and scale subresources of a served kind: GET, PUT and PATCH of `.../<name>/status`
// (the status half of the object, kept apart from spec writes) and `.../<name>/scale` (an
// autoscaling/v1 Scale view of the replicas). Other subresources (binding, eviction, log, exec...)
// are routed elsewhere before this.
import { MethodNotSupportedError } from '../registry/api-errors.js';
import { scaleTable } from '../tables/scale-table.js';
import type { ResourceRegistry } from '../registry/registry-types.js';
import { decodeObjectBody, decodePatchBody } from './decode-body.js';
import type { ResponseShape } from './negotiate-media-type.js';
import { parseIncludeObject, tableFromObject } from './render-table.js';
import { parsePatchOptions, parseWriteOptions } from './request-options.js';
import { resourceNotFound, type ResourceRequest } from './resource-request.js';
import { sendJson, sendWriteResult } from './respond.js';

export async function serveStatusOrScale(target: {
  readonly request: ResourceRequest;
  readonly registry: ResourceRegistry;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly subresource: string;
  /** Reads the request body (with the server's size limit). */
  readonly body: () => Promise<Buffer>;
  /** The representation a GET asked for (406 when none is served). */
  readonly readShape: () => ResponseShape;
  readonly now: () => Date;
}): Promise<number> {
  const { request, registry, namespace, name, subresource } = target;
  const { req, res, url, labels } = request;
  const params = url.searchParams;
  const info = registry.strategy.info;
  const served = (subresource === 'status' && info.subresources.status) || (subresource === 'scale' && info.subresources.scale !== undefined);
  if (!served) throw resourceNotFound();
  labels.subresource = subresource;
  const scale = subresource === 'scale';
  switch (req.method) {
    case 'GET': {
      labels.verb = 'GET';
      const shape = target.readShape();
      const object = scale ? await registry.getScale(namespace, name) : await registry.get(namespace, name);
      if (shape.as === 'table') {
        // `kubectl get --subresource=status|scale`: status rows have the kind's own columns, as upstream.
        const options = { version: shape.version, includeObject: parseIncludeObject(params), now: target.now() };
        sendJson(res, 200, tableFromObject(object, scale ? { table: scaleTable } : registry.strategy, options));
        return 200;
      }
      sendJson(res, 200, object);
      return 200;
    }
    case 'PUT': {
      labels.verb = 'UPDATE';
      const body = decodeObjectBody(await target.body(), req.headers['content-type']);
      const options = parseWriteOptions(params, req.headers['user-agent']);
      const result = scale
        ? await registry.updateScale(namespace, name, body, options)
        : await registry.update(namespace, name, body, { ...options, subresource: 'status' });
      return sendWriteResult(res, result);
    }
    case 'PATCH': {
      labels.verb = 'PATCH';
      const { type, patch } = decodePatchBody(await target.body(), req.headers['content-type']);
      if (type === 'apply') labels.verb = 'APPLY';
      const options = parsePatchOptions(params, type === 'apply' ? undefined : req.headers['user-agent']);
      const result = scale
        ? await registry.patchScale(namespace, name, type, patch, options)
        : await registry.patch(namespace, name, type, patch, { ...options, subresource: 'status' });
      return sendWriteResult(res, result);
    }
    default:
      throw new MethodNotSupportedError();
  }
}
