// `GET /openapi/v2`: a Swagger 2.0 document with no paths and no definitions.
//
// Why serve one at all: kubectl validates with OpenAPI v3 and reads v2 only for a kind the v3
// documents lack. On a real cluster that kind is missing from v2 too, kubectl skips validating it,
// and the apply fails where a user expects: `no matches for kind "StatefulSet" in version
// "apps/v1"`. With v2 answered 404, kubectl instead stopped at `failed to download openapi: the
// server could not find the requested resource`, which points at the wrong problem. Every kind we
// serve is in v3 (with real schemas), so an empty v2 changes nothing for them (kubectl-wire §2.1).
//
// kubectl asks for gnostic's protobuf form (openapi.v2.Document) and rejects JSON; other clients
// get the JSON form. Field numbers from gnostic's OpenAPIv2.proto: Document.swagger 1, info 2,
// paths 8, definitions 9; Info.title 1, version 2. The protobuf answer's Content-Type spells the
// version with a dot, as upstream does: Go's media-type parser (kubectl) rejects the `@` of the
// older name that kubectl still sends in Accept.

export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** Whether the request's Accept header asks for the protobuf form (either spelling). */
export function wantsOpenApiV2Protobuf(accept: string | undefined): boolean {
  return accept !== undefined && /application\/com\.github\.proto-openapi\.spec\.v2[@.]v1\.0\+protobuf/.test(accept);
}

export function openApiV2Json(version: string): string {
  return JSON.stringify({ swagger: '2.0', info: { title: 'Kubernetes', version }, paths: {}, definitions: {} });
}

export function openApiV2Protobuf(version: string): Buffer {
  const info = Buffer.concat([stringField(1, 'Kubernetes'), stringField(2, version)]);
  return Buffer.concat([stringField(1, '2.0'), bytesField(2, info), bytesField(8, Buffer.alloc(0)), bytesField(9, Buffer.alloc(0))]);
}

function stringField(field: number, value: string): Buffer {
  return bytesField(field, Buffer.from(value, 'utf8'));
}

/** A length-delimited field (wire type 2); lengths here stay far below 128, one varint byte. */
function bytesField(field: number, payload: Buffer): Buffer {
  if (payload.length > 127) throw new Error('openapi-v2-stub: payload too long for a one-byte length');
  return Buffer.concat([Buffer.from([(field << 3) | 2, payload.length]), payload]);
}
