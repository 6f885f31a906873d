import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { readBody } from './read-body.js';

function request(headers: Record<string, string> = {}): PassThrough & { headers: Record<string, string> } {
  return Object.assign(new PassThrough(), { headers });
}

void describe('readBody', () => {
  void it('joins the chunks of a body', async () => {
    const req = request();
    const body = readBody(req as unknown as IncomingMessage, 100);
    req.write('{"a":');
    req.end('1}');
    assert.equal((await body).toString(), '{"a":1}');
  });

  void it('reads an empty body', async () => {
    const req = request();
    const body = readBody(req as unknown as IncomingMessage, 100);
    req.end();
    assert.equal((await body).length, 0);
  });

  void it('rejects a declared length over the limit without reading', async () => {
    const req = request({ 'content-length': '101' });
    await assert.rejects(readBody(req as unknown as IncomingMessage, 100), { name: 'EntityTooLargeError' });
  });

  void it('rejects a streamed body once it passes the limit', async () => {
    const req = request();
    const body = readBody(req as unknown as IncomingMessage, 10);
    req.write('12345678');
    req.write('90123');
    await assert.rejects(body, { name: 'EntityTooLargeError' });
  });

  void it('rejects when the stream fails', async () => {
    const req = request();
    const body = readBody(req as unknown as IncomingMessage, 10);
    req.destroy(new Error('boom'));
    await assert.rejects(body, /boom/);
  });
});
