// Builds one group-version OpenAPI v3 document (`/openapi/v3/apis/apps/v1`) shaped like
// upstream's: REST paths per served kind with their operations, and the component schemas
// those paths reach. kubectl relies on two details: each PATCH operation carries
// `x-kubernetes-group-version-kind` plus a `fieldValidation` parameter (then it delegates
// validation to the server), and each kind's schema carries the same GVK (`kubectl explain`).
import type { KindInfo } from '../../api/kind-info.js';
import type { GroupVersionKind } from '../../api/object.js';
import { closureOf, type ComponentSchemas, type OpenApiSchema } from './component-schemas.js';
import {
  DELETE_COLLECTION_PARAMETERS, DELETE_PARAMETERS, LIST_PARAMETERS, NAME_PATH, NAMESPACE_PATH, PATCH_PARAMETERS, PRETTY,
  WRITE_PARAMETERS, type OpenApiParameter,
} from './query-parameters.js';

export interface GroupVersionDocumentOptions {
  readonly group: string;
  readonly version: string;
  /** The kinds of this group-version. */
  readonly kinds: readonly KindInfo[];
  readonly schemas: ComponentSchemas;
  readonly schemaFor: (gvk: GroupVersionKind) => string | undefined;
}

type Action = 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';

const VERB_OF_ACTION: Readonly<Record<Action, string>> = {
  get: 'read', list: 'list', post: 'create', put: 'replace', patch: 'patch', delete: 'delete', deletecollection: 'deleteCollection',
};

const PATCH_CONTENT_TYPES = [
  'application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json',
] as const;

const PATCH_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const STATUS_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
const DELETE_OPTIONS_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';
const SCALE_GVK: GroupVersionKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Upstream's operationId infix: `CoreV1`, `AppsV1`, `CoordinationV1` (for coordination.k8s.io). */
function groupVersionInfix(group: string, version: string): string {
  const groupPart = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
  return groupPart.split(/[.-]/).map(capitalize).join('') + capitalize(version);
}

/** Path prefix of a group-version: `/api/v1` or `/apis/apps/v1`. */
export function groupVersionPrefix(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

class DocumentBuilder {
  readonly paths: Record<string, Record<string, unknown>> = {};
  readonly referenced = new Set<string>();
  readonly #options: GroupVersionDocumentOptions;
  readonly #infix: string;
  readonly #tag: string;

  constructor(options: GroupVersionDocumentOptions) {
    this.#options = options;
    this.#infix = groupVersionInfix(options.group, options.version);
    this.#tag = `${options.group === '' ? 'core' : options.group.replace(/\.k8s\.io$/, '').replace(/\./g, '_')}_${options.version}`;
  }

  /** A JSON content map referencing the schema of `gvk`; an open object when k8ts has none. */
  #content(gvk: GroupVersionKind | string, contentTypes: readonly string[] = ['application/json']): Record<string, unknown> {
    const name = typeof gvk === 'string' ? gvk : this.#options.schemaFor(gvk);
    let schema: OpenApiSchema = { type: 'object' };
    if (name !== undefined && this.#options.schemas[name] !== undefined) {
      this.referenced.add(name);
      schema = { $ref: `#/components/schemas/${name}` };
    }
    return Object.fromEntries(contentTypes.map((type) => [type, { schema }]));
  }

  #responses(codes: readonly string[], body: GroupVersionKind | string): Record<string, unknown> {
    const content = this.#content(body);
    const descriptions: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };
    return {
      ...Object.fromEntries(codes.map((code) => [code, { description: descriptions[code] ?? 'OK', content }])),
      '401': { description: 'Unauthorized' },
    };
  }

  #operation(action: Action, opName: string, gvk: GroupVersionKind, extra: {
    parameters: readonly OpenApiParameter[]; request?: GroupVersionKind | string; responses: Record<string, unknown>;
  }): Record<string, unknown> {
    const op: Record<string, unknown> = {
      operationId: `${VERB_OF_ACTION[action]}${this.#infix}${opName}`,
      description: `${action} ${opName}`,
      tags: [this.#tag],
      parameters: extra.parameters,
      responses: extra.responses,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': { group: gvk.group, version: gvk.version, kind: gvk.kind },
    };
    if (action === 'patch') {
      op.requestBody = { required: true, content: this.#content(PATCH_SCHEMA, PATCH_CONTENT_TYPES) };
    } else if (extra.request !== undefined) {
      op.requestBody = { required: action !== 'delete' && action !== 'deletecollection', content: this.#content(extra.request) };
    }
    return op;
  }

  addKind(info: KindInfo): void {
    const { group, version } = this.#options;
    const gvk: GroupVersionKind = { group, version, kind: info.kind };
    const listGvk: GroupVersionKind = { group, version, kind: info.listKind };
    const prefix = groupVersionPrefix(group, version);
    const scoped = info.namespaced ? 'Namespaced' : '';
    const collection = info.namespaced ? `${prefix}/namespaces/{namespace}/${info.resource}` : `${prefix}/${info.resource}`;
    const scopeParams = info.namespaced ? [NAMESPACE_PATH] : [];
    const name = `${scoped}${info.kind}`;

    this.paths[collection] = {
      parameters: [...scopeParams, PRETTY],
      get: this.#operation('list', name, gvk, { parameters: LIST_PARAMETERS, responses: this.#responses(['200'], listGvk) }),
      post: this.#operation('post', name, gvk, { parameters: WRITE_PARAMETERS, request: gvk, responses: this.#responses(['200', '201', '202'], gvk) }),
      delete: this.#operation('deletecollection', name, gvk, {
        parameters: DELETE_COLLECTION_PARAMETERS, request: DELETE_OPTIONS_SCHEMA, responses: this.#responses(['200'], STATUS_SCHEMA),
      }),
    };
    this.paths[`${collection}/{name}`] = {
      parameters: [NAME_PATH, ...scopeParams, PRETTY],
      get: this.#operation('get', name, gvk, { parameters: [], responses: this.#responses(['200'], gvk) }),
      put: this.#operation('put', name, gvk, { parameters: WRITE_PARAMETERS, request: gvk, responses: this.#responses(['200', '201'], gvk) }),
      patch: this.#operation('patch', name, gvk, { parameters: PATCH_PARAMETERS, responses: this.#responses(['200', '201'], gvk) }),
      delete: this.#operation('delete', name, gvk, {
        parameters: DELETE_PARAMETERS, request: DELETE_OPTIONS_SCHEMA, responses: this.#responses(['200', '202'], STATUS_SCHEMA),
      }),
    };
    if (info.subresources.status) this.#addSubresource(`${collection}/{name}/status`, `${name}Status`, gvk, scopeParams);
    if (info.subresources.scale) this.#addSubresource(`${collection}/{name}/scale`, `${name}Scale`, SCALE_GVK, scopeParams);
    if (info.namespaced) {
      this.paths[`${prefix}/${info.resource}`] = {
        parameters: [PRETTY],
        get: this.#operation('list', `${info.kind}ForAllNamespaces`, gvk, { parameters: LIST_PARAMETERS, responses: this.#responses(['200'], listGvk) }),
      };
    }
  }

  /** get/put/patch of a subresource whose body is `bodyGvk` (the kind itself, or autoscaling/v1 Scale). */
  #addSubresource(path: string, opName: string, bodyGvk: GroupVersionKind, scopeParams: readonly OpenApiParameter[]): void {
    this.paths[path] = {
      parameters: [NAME_PATH, ...scopeParams, PRETTY],
      get: this.#operation('get', opName, bodyGvk, { parameters: [], responses: this.#responses(['200'], bodyGvk) }),
      put: this.#operation('put', opName, bodyGvk, { parameters: WRITE_PARAMETERS, request: bodyGvk, responses: this.#responses(['200', '201'], bodyGvk) }),
      patch: this.#operation('patch', opName, bodyGvk, { parameters: PATCH_PARAMETERS, responses: this.#responses(['200', '201'], bodyGvk) }),
    };
  }
}

/** The OpenAPI v3 document of one group-version, ready to serialize. */
export function groupVersionDocument(options: GroupVersionDocumentOptions): Record<string, unknown> {
  const builder = new DocumentBuilder(options);
  for (const info of options.kinds) builder.addKind(info);
  const components = Object.fromEntries(
    closureOf(options.schemas, builder.referenced).map((name) => [name, options.schemas[name]]),
  );
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths: builder.paths,
    components: { schemas: components },
  };
}
