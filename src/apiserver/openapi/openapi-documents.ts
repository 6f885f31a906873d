// Serves the OpenAPI v3 discovery root (`GET /openapi/v3`) and the per-group-version documents
// (`GET /openapi/v3/apis/apps/v1`) for the kinds k8ts serves. Documents are serialized once:
// kubectl caches them on disk by URL including `?hash=`, so the hash must change exactly when
// the body does, which a hash of the serialized body guarantees.
import { createHash } from 'node:crypto';
import type { KindInfo } from '../../api/kind-info.js';
import { BUILTIN_SCHEMAS, indexByGroupVersionKind, type ComponentSchemas } from './component-schemas.js';
import { groupVersionDocument, groupVersionPrefix } from './group-version-document.js';

export interface OpenApiDocumentsOptions {
  readonly kinds: readonly KindInfo[];
  /** Component schemas; defaults to the ones generated from kubernetes-types. Extra kinds add theirs here. */
  readonly schemas?: ComponentSchemas;
}

export interface SerializedDocument {
  readonly body: string;
  /** Upper-case hex SHA-256 of `body`, as upstream uses in `?hash=`. */
  readonly hash: string;
}

export class OpenApiDocuments {
  readonly #kindsByPath = new Map<string, { group: string; version: string; kinds: KindInfo[] }>();
  readonly #schemas: ComponentSchemas;
  readonly #schemaFor: ReturnType<typeof indexByGroupVersionKind>;
  readonly #serialized = new Map<string, SerializedDocument>();

  constructor(options: OpenApiDocumentsOptions) {
    this.#schemas = options.schemas ?? BUILTIN_SCHEMAS;
    this.#schemaFor = indexByGroupVersionKind(this.#schemas);
    for (const kind of options.kinds) {
      // `api/v1` or `apis/apps/v1`: the key in the root document and the URL suffix.
      const path = groupVersionPrefix(kind.group, kind.version).slice(1);
      let entry = this.#kindsByPath.get(path);
      if (!entry) {
        entry = { group: kind.group, version: kind.version, kinds: [] };
        this.#kindsByPath.set(path, entry);
      }
      entry.kinds.push(kind);
    }
  }

  /** The `/openapi/v3` body: every served group-version with its hashed URL. */
  root(): { paths: Record<string, { serverRelativeURL: string }> } {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const path of [...this.#kindsByPath.keys()].sort()) {
      const doc = this.groupVersion(path);
      if (doc) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${doc.hash}` };
    }
    return { paths };
  }

  /** The document for `api/v1` or `apis/<group>/<version>`; undefined when nothing is served there. */
  groupVersion(path: string): SerializedDocument | undefined {
    const cached = this.#serialized.get(path);
    if (cached) return cached;
    const entry = this.#kindsByPath.get(path);
    if (!entry) return undefined;
    const body = JSON.stringify(groupVersionDocument({
      group: entry.group,
      version: entry.version,
      kinds: entry.kinds,
      schemas: this.#schemas,
      schemaFor: this.#schemaFor,
    }));
    const doc = { body, hash: createHash('sha256').update(body).digest('hex').toUpperCase() };
    this.#serialized.set(path, doc);
    return doc;
  }
}
