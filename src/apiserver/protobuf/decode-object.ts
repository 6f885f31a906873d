// Decodes the protobuf bodies `kubectl create <generator>` sends (Content-Type
// application/vnd.kubernetes.protobuf): the 4-byte magic "k8s\0", then a
// k8s.io.apimachinery.pkg.runtime.Unknown {typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2,
// contentEncoding = 3, contentType = 4} whose raw is the object's own message.
import type { KubeObject } from '../../api/object.js';
import { descriptorForKind } from './descriptors/kind-descriptors.js';
import { decodeMessage } from './decode-message.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import { WireReader } from './wire-reader.js';

const MAGIC = [0x6b, 0x38, 0x73, 0x00] as const;

/** True when the body starts with the Kubernetes protobuf envelope magic "k8s\0". */
export function isKubernetesProtobuf(body: Uint8Array): boolean {
  return body.length >= MAGIC.length && MAGIC.every((b, i) => body[i] === b);
}

interface RuntimeUnknown {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
}

/**
 * The object in a Kubernetes protobuf body, in the JSON form the apiserver stores
 * (`{apiVersion, kind, metadata, spec, ...}`).
 * @throws ProtobufDecodeError (a BadRequestError) for a malformed body or a kind we cannot decode.
 */
export function decodeKubernetesProtobuf(body: Uint8Array): KubeObject {
  if (!isKubernetesProtobuf(body)) {
    throw new ProtobufDecodeError('missing the "k8s\\0" magic prefix');
  }
  const unknown = decodeUnknown(new WireReader({ bytes: body, start: MAGIC.length }));
  if (unknown.apiVersion === '' || unknown.kind === '') {
    throw new ProtobufDecodeError('the envelope does not name an apiVersion and kind');
  }
  if (unknown.contentEncoding !== '') {
    throw new ProtobufDecodeError(`unsupported content encoding "${unknown.contentEncoding}"`);
  }
  const descriptor = descriptorForKind(unknown.apiVersion, unknown.kind);
  if (descriptor === undefined) {
    throw new ProtobufDecodeError(`unsupported kind ${unknown.apiVersion} ${unknown.kind}; send JSON instead`);
  }
  const object = decodeMessage(new WireReader({ bytes: unknown.raw }), descriptor);
  return { apiVersion: unknown.apiVersion, kind: unknown.kind, ...object };
}

function decodeUnknown(reader: WireReader): RuntimeUnknown {
  const result: RuntimeUnknown = { apiVersion: '', kind: '', raw: new Uint8Array(), contentEncoding: '' };
  while (!reader.done) {
    const { fieldNumber, wireType } = reader.readTag();
    if (wireType !== 'bytes' || fieldNumber > 4) {
      reader.skip(wireType);
      continue;
    }
    switch (fieldNumber) {
      case 1:
        decodeTypeMeta(reader.readMessage(), result);
        break;
      case 2:
        result.raw = reader.readBytes();
        break;
      case 3:
        result.contentEncoding = reader.readString();
        break;
      default:
        // contentType (4): the raw bytes are protobuf whatever it says; kubectl leaves it empty.
        reader.skip(wireType);
    }
  }
  return result;
}

function decodeTypeMeta(reader: WireReader, into: RuntimeUnknown): void {
  while (!reader.done) {
    const { fieldNumber, wireType } = reader.readTag();
    if (fieldNumber === 1 && wireType === 'bytes') into.apiVersion = reader.readString();
    else if (fieldNumber === 2 && wireType === 'bytes') into.kind = reader.readString();
    else reader.skip(wireType);
  }
}
