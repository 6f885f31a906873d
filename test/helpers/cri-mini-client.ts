// The few CRI (runtime.v1) calls the containerd test harness needs for itself — readiness, listing
// and removing every sandbox on teardown, pre-pulling images — with the protobuf messages encoded
// by hand, so the harness does not depend on the runtime under test (src/agent/runtime/cri).
// Field numbers are those of the upstream runtime.v1 api.proto:
//   PodSandbox{id=1, metadata=2{name=1, uid=2, namespace=3}, state=3}; ListPodSandboxResponse{items=1}
//   Stop/RemovePodSandboxRequest{pod_sandbox_id=1}; PullImageRequest{image=1{image=1}} -> {image_ref=1}
//   StatusResponse{status=1{conditions=1{type=1, status=2}}}; VersionResponse{version=1, runtime_name=2, runtime_version=3}
import { credentials, Client, Metadata, type ServiceError } from '@grpc/grpc-js';

const RUNTIME = '/runtime.v1.RuntimeService';
const IMAGE = '/runtime.v1.ImageService';

export interface MiniSandbox {
  readonly id: string;
  readonly name: string;
  readonly uid: string;
  readonly namespace: string;
  /** 0 = SANDBOX_READY, 1 = SANDBOX_NOTREADY */
  readonly state: number;
}

type Field = { readonly number: number; readonly varint?: number; readonly bytes?: Buffer };

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** A length-delimited field (string or embedded message). */
function lengthField(number: number, data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([varint((number << 3) | 2), varint(bytes.length), bytes]);
}

function decode(buffer: Buffer): Field[] {
  const fields: Field[] = [];
  let offset = 0;
  const readVarint = (): number => {
    let result = 0;
    let factor = 1;
    for (;;) {
      const byte = buffer[offset++];
      if (byte === undefined) throw new Error('truncated protobuf varint');
      result += (byte & 0x7f) * factor;
      if ((byte & 0x80) === 0) return result;
      factor *= 128;
    }
  };
  while (offset < buffer.length) {
    const key = readVarint();
    const number = Math.floor(key / 8);
    const wireType = key & 7;
    if (wireType === 0) fields.push({ number, varint: readVarint() });
    else if (wireType === 2) {
      const length = readVarint();
      fields.push({ number, bytes: buffer.subarray(offset, offset + length) });
      offset += length;
    } else if (wireType === 1) offset += 8;
    else if (wireType === 5) offset += 4;
    else throw new Error(`unsupported protobuf wire type ${wireType}`);
  }
  return fields;
}

const text = (fields: Field[], number: number): string => fields.find((f) => f.number === number)?.bytes?.toString() ?? '';
const embedded = (fields: Field[], number: number): Field[] => decode(fields.find((f) => f.number === number)?.bytes ?? Buffer.alloc(0));

export class CriMiniClient {
  readonly #client: Client;

  constructor(socket: string) {
    this.#client = new Client(`unix://${socket}`, credentials.createInsecure());
  }

  #call(path: string, request: Buffer, timeoutMs: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.#client.makeUnaryRequest<Buffer, Buffer>(
        path,
        (message) => message,
        (bytes) => bytes,
        request,
        new Metadata(),
        { deadline: Date.now() + timeoutMs },
        (error: ServiceError | null, response?: Buffer) => (error ? reject(error) : resolve(response ?? Buffer.alloc(0))),
      );
    });
  }

  async version(timeoutMs = 2000): Promise<{ runtimeName: string; runtimeVersion: string }> {
    const fields = decode(await this.#call(`${RUNTIME}/Version`, lengthField(1, 'v1'), timeoutMs));
    return { runtimeName: text(fields, 2), runtimeVersion: text(fields, 3) };
  }

  /** The runtime conditions (RuntimeReady, NetworkReady) as type -> status. */
  async conditions(timeoutMs = 2000): Promise<Record<string, boolean>> {
    const status = embedded(decode(await this.#call(`${RUNTIME}/Status`, Buffer.alloc(0), timeoutMs)), 1);
    const result: Record<string, boolean> = {};
    for (const condition of status.filter((f) => f.number === 1)) {
      const inner = decode(condition.bytes ?? Buffer.alloc(0));
      result[text(inner, 1)] = (inner.find((f) => f.number === 2)?.varint ?? 0) === 1;
    }
    return result;
  }

  async listPodSandboxes(timeoutMs = 10_000): Promise<MiniSandbox[]> {
    const fields = decode(await this.#call(`${RUNTIME}/ListPodSandbox`, Buffer.alloc(0), timeoutMs));
    return fields
      .filter((f) => f.number === 1)
      .map((item) => {
        const sandbox = decode(item.bytes ?? Buffer.alloc(0));
        const metadata = embedded(sandbox, 2);
        return {
          id: text(sandbox, 1),
          name: text(metadata, 1),
          uid: text(metadata, 2),
          namespace: text(metadata, 3),
          state: sandbox.find((f) => f.number === 3)?.varint ?? 0,
        };
      });
  }

  async stopPodSandbox(id: string, timeoutMs = 60_000): Promise<void> {
    await this.#call(`${RUNTIME}/StopPodSandbox`, lengthField(1, id), timeoutMs);
  }

  async removePodSandbox(id: string, timeoutMs = 60_000): Promise<void> {
    await this.#call(`${RUNTIME}/RemovePodSandbox`, lengthField(1, id), timeoutMs);
  }

  /** PullImage without auth; returns the image ref (an image id such as sha256:...). */
  async pullImage(image: string, timeoutMs = 120_000): Promise<string> {
    const fields = decode(await this.#call(`${IMAGE}/PullImage`, lengthField(1, lengthField(1, image)), timeoutMs));
    return text(fields, 1);
  }

  close(): void {
    this.#client.close();
  }
}
