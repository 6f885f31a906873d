// The CRI client without containerd: the proto subset loads, gRPC failures become typed errors, a
// dead socket is Unavailable, and a fake CRI server on a unix socket is spoken to with the wire
// format of the real field numbers.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Metadata, Server, ServerCredentials, status as GrpcStatus, type sendUnaryData, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import { NotFoundError, UnavailableError } from '../../../lib/errors.js';
import { CriClient } from './cri-client.js';
import { CriCallError, criError } from './cri-error.js';
import { StartLimiter } from './start-limiter.js';

function serviceError(code: number, details: string): ServiceError {
  return Object.assign(new Error(`${code} X: ${details}`), { code, details, metadata: new Metadata() });
}

describe('criError', () => {
  it('maps NOT_FOUND, UNAVAILABLE, DEADLINE_EXCEEDED and the rest, keeping the runtime message', () => {
    const notFound = criError('PullImage', serviceError(GrpcStatus.NOT_FOUND, 'image "x" not found'));
    assert.ok(notFound instanceof NotFoundError);
    assert.equal(notFound.message, 'image "x" not found');
    assert.ok(criError('Version', serviceError(GrpcStatus.UNAVAILABLE, 'no connection')) instanceof UnavailableError);
    assert.ok(criError('ExecSync', serviceError(GrpcStatus.DEADLINE_EXCEEDED, 'late')) instanceof UnavailableError);
    const other = criError('StartContainer', serviceError(GrpcStatus.UNKNOWN, 'runc create failed'));
    assert.ok(other instanceof CriCallError);
    assert.equal(other.message, 'runc create failed');
    assert.equal(other.grpcCode, GrpcStatus.UNKNOWN);
    const plain = new Error('plain');
    assert.equal(criError('X', plain), plain);
  });
});

describe('CriClient', () => {
  let dir: string;
  let server: Server;
  let socket: string;
  const seen: unknown[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-cri-client-'));
    socket = join(dir, 'cri.sock');
    server = new Server();
    // A service definition by hand: raw bytes in and out, so the test checks the wire format itself.
    const raw = { serialize: (b: Buffer) => b, deserialize: (b: Buffer) => b };
    const method = (path: string) => ({ path, requestStream: false, responseStream: false, requestSerialize: raw.serialize, requestDeserialize: raw.deserialize, responseSerialize: raw.serialize, responseDeserialize: raw.deserialize });
    server.addService({ Version: method('/runtime.v1.RuntimeService/Version'), ContainerStatus: method('/runtime.v1.RuntimeService/ContainerStatus') }, {
      Version: (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => {
        seen.push(call.request);
        // VersionResponse: 1 version "0.1.0", 2 runtime_name "fake", 4 runtime_api_version "v1".
        callback(null, Buffer.from([0x0a, 5, ...Buffer.from('0.1.0'), 0x12, 4, ...Buffer.from('fake'), 0x22, 2, ...Buffer.from('v1')]));
      },
      ContainerStatus: (_call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => callback({ code: GrpcStatus.NOT_FOUND, details: 'container "c9" not found' }),
    });
    await new Promise<void>((resolve, reject) => server.bindAsync(`unix://${socket}`, ServerCredentials.createInsecure(), (e) => (e ? reject(e) : resolve())));
  });

  after(async () => {
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it('speaks runtime.v1 on the wire: the request carries field 1, the response decodes with proto3 defaults', async () => {
    const client = new CriClient({ socket, timeoutMs: 2000 });
    try {
      assert.deepEqual(await client.version(), { version: '0.1.0', runtimeName: 'fake', runtimeVersion: '', runtimeApiVersion: 'v1' });
      assert.deepEqual(seen.at(-1), Buffer.from([0x0a, 2, ...Buffer.from('v1')]));
      await assert.rejects(client.containerStatus('c9'), (error: unknown) => error instanceof NotFoundError && error.message === 'container "c9" not found');
    } finally {
      client.close();
    }
  });

  it('a socket nobody listens on is Unavailable', async () => {
    const client = new CriClient({ socket: join(dir, 'nobody.sock'), timeoutMs: 1000 });
    try {
      await assert.rejects(client.version(), UnavailableError);
    } finally {
      client.close();
    }
  });
});

describe('StartLimiter', () => {
  it('runs at most `limit` tasks at once, in FIFO order, and frees slots on failure', async () => {
    const limiter = new StartLimiter({ limit: 2 });
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    const gates: (() => void)[] = [];
    const task = (n: number) => limiter.run(async () => {
      active++;
      peak = Math.max(peak, active);
      order.push(n);
      await new Promise<void>((resolve) => gates.push(resolve));
      active--;
      if (n === 1) throw new Error('task 1 fails');
      return n;
    });
    const runs = [1, 2, 3, 4].map(task);
    const settled = Promise.allSettled(runs);
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gates.shift()?.();
    }
    const results = await settled;
    assert.equal(peak, 2);
    assert.deepEqual(order, [1, 2, 3, 4]);
    assert.equal(results[0]?.status, 'rejected');
    assert.deepEqual(results.slice(1).map((r) => (r.status === 'fulfilled' ? r.value : r.reason)), [2, 3, 4]);
    assert.throws(() => new StartLimiter({ limit: 0 }), RangeError);
  });
});
