// Content negotiation on the Accept header. Responses are always JSON (kubectl-wire §0); what the
// client chooses is the *shape*: the object itself, a meta.k8s.io Table, its PartialObjectMetadata,
// or, on /api and /apis, the aggregated discovery document.

export interface MediaRange {
  readonly type: string;
  readonly params: Readonly<Record<string, string>>;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined || header.trim() === '') return [{ type: '*/*', params: {} }];
  return header.split(',').flatMap((part) => {
    const [type = '', ...rawParams] = part.split(';').map((piece) => piece.trim());
    if (type === '') return [];
    const params: Record<string, string> = {};
    for (const param of rawParams) {
      const eq = param.indexOf('=');
      if (eq > 0) params[param.slice(0, eq).trim().toLowerCase()] = param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
    }
    return [{ type: type.toLowerCase(), params }];
  });
}

export type ResponseShape =
  | { readonly as: 'object' }
  | { readonly as: 'table'; readonly version: 'v1' | 'v1beta1' }
  /** `list`: PartialObjectMetadataList was asked for, else PartialObjectMetadata. */
  | { readonly as: 'metadata'; readonly version: 'v1' | 'v1beta1'; readonly list: boolean };

/** Types we answer with plain JSON. Protobuf is answered with JSON too: every client that asks for
 *  it (kubectl, client-go) also accepts JSON, and reads the Content-Type we send. */
const JSON_COMPATIBLE = new Set(['application/json', 'application/*', '*/*', 'application/vnd.kubernetes.protobuf', 'application/yaml']);

/**
 * The first acceptable range, in the client's order (kubectl lists its preference first).
 * undefined: nothing acceptable (the caller answers 406).
 */
export function negotiateResponseShape(accept: string | undefined): ResponseShape | undefined {
  for (const range of parseAccept(accept)) {
    const as = range.params.as;
    if (as === 'Table' && range.params.g === 'meta.k8s.io' && (range.type === 'application/json' || range.type === 'application/*' || range.type === '*/*')) {
      const version = range.params.v;
      if (version === 'v1' || version === 'v1beta1') return { as: 'table', version };
      continue;
    }
    if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && range.params.g === 'meta.k8s.io') {
      // Upstream allows these in every media type it serves (protobuf too: answered as JSON here).
      const version = range.params.v;
      if ((version === 'v1' || version === 'v1beta1') && JSON_COMPATIBLE.has(range.type)) {
        return { as: 'metadata', version, list: as === 'PartialObjectMetadataList' };
      }
      continue;
    }
    // Any other `as=` form is not served: skip to the next range (none left: 406).
    if (as !== undefined) continue;
    if (JSON_COMPATIBLE.has(range.type)) return { as: 'object' };
  }
  return undefined;
}

export type DiscoveryShape = 'v2' | 'v2beta1' | 'legacy';

/** On /api and /apis: aggregated discovery if asked for (in the client's order), else legacy. */
export function negotiateDiscoveryShape(accept: string | undefined): DiscoveryShape {
  for (const range of parseAccept(accept)) {
    if (range.params.as === 'APIGroupDiscoveryList' && range.params.g === 'apidiscovery.k8s.io') {
      if (range.params.v === 'v2' || range.params.v === 'v2beta1') return range.params.v;
      continue;
    }
    if (range.params.as === undefined && JSON_COMPATIBLE.has(range.type)) return 'legacy';
  }
  return 'legacy';
}

/** The Content-Type an aggregated discovery answer must carry, exactly (kubectl-wire §1.2). */
export function aggregatedDiscoveryContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
