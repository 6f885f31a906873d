// SPDY/3.1 framing (SPDY draft 3 §2.2-2.6 plus the 3.1 session window): the frame types, their
// binary layout, and an incremental parser. Header blocks stay compressed here; header-block.ts
// (de)compresses them in wire order, which the session guarantees.
//
// Every frame has an 8-byte header. Control: 1 bit set, 15-bit version (3), 16-bit type, 8-bit
// flags, 24-bit length. Data: 1 bit clear, 31-bit stream id, 8-bit flags, 24-bit length.

export const SPDY_VERSION = 3;

/** Flags of DATA, SYN_STREAM, SYN_REPLY and HEADERS: the sender's last frame on the stream. */
export const FLAG_FIN = 0x01;
/** SYN_STREAM only: the receiver must not send on this stream. */
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes (draft 3 §2.4.2). */
export const RST_PROTOCOL_ERROR = 1;
export const RST_INVALID_STREAM = 2;
export const RST_REFUSED_STREAM = 3;
export const RST_CANCEL = 5;
export const RST_INTERNAL_ERROR = 6;
export const RST_FLOW_CONTROL_ERROR = 7;

/** GOAWAY status codes. */
export const GOAWAY_OK = 0;
export const GOAWAY_PROTOCOL_ERROR = 1;

/** SETTINGS id for the initial per-stream window (the only setting this implementation acts on). */
export const SETTINGS_INITIAL_WINDOW_SIZE = 7;

/** Both windows start here (draft 3 §2.6.8; 3.1 adds the session window with the same start). */
export const DEFAULT_WINDOW = 64 * 1024;
/** Largest payload a frame's 24-bit length can carry. */
export const MAX_FRAME_PAYLOAD = 0xffffff;

const TYPE_SYN_STREAM = 1;
const TYPE_SYN_REPLY = 2;
const TYPE_RST_STREAM = 3;
const TYPE_SETTINGS = 4;
const TYPE_PING = 6;
const TYPE_GOAWAY = 7;
const TYPE_HEADERS = 8;
const TYPE_WINDOW_UPDATE = 9;

export interface SettingEntry {
  readonly id: number;
  readonly flags: number;
  readonly value: number;
}

export type SpdyFrame =
  | { readonly type: 'data'; readonly streamId: number; readonly fin: boolean; readonly data: Buffer }
  | {
      readonly type: 'syn_stream';
      readonly streamId: number;
      readonly associatedId: number;
      readonly priority: number;
      readonly fin: boolean;
      readonly unidirectional: boolean;
      /** Compressed header block. */
      readonly headerBlock: Buffer;
    }
  | { readonly type: 'syn_reply'; readonly streamId: number; readonly fin: boolean; readonly headerBlock: Buffer }
  | { readonly type: 'headers'; readonly streamId: number; readonly fin: boolean; readonly headerBlock: Buffer }
  | { readonly type: 'rst_stream'; readonly streamId: number; readonly status: number }
  | { readonly type: 'settings'; readonly clear: boolean; readonly entries: readonly SettingEntry[] }
  | { readonly type: 'ping'; readonly id: number }
  | { readonly type: 'goaway'; readonly lastGoodStreamId: number; readonly status: number }
  | { readonly type: 'window_update'; readonly streamId: number; readonly delta: number }
  /** A control frame type this implementation does not know; the spec says ignore it. */
  | { readonly type: 'unknown'; readonly controlType: number };

/** The peer broke the framing rules; the session answers with GOAWAY and closes. */
export class SpdyProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpdyProtocolError';
  }
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new RangeError(`SPDY frame payload too large: ${payload.length}`);
  const header = Buffer.alloc(8);
  header.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  header.writeUInt16BE(type, 2);
  header.writeUInt32BE(((flags & 0xff) << 24 | payload.length) >>> 0, 4);
  return Buffer.concat([header, payload]);
}

function words(...values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((value, i) => buffer.writeUInt32BE(value >>> 0, i * 4));
  return buffer;
}

/** Serializes a frame; header blocks must already be compressed. */
export function encodeFrame(frame: SpdyFrame): Buffer {
  switch (frame.type) {
    case 'data': {
      if (frame.data.length > MAX_FRAME_PAYLOAD) throw new RangeError(`SPDY frame payload too large: ${frame.data.length}`);
      const header = Buffer.alloc(8);
      header.writeUInt32BE(frame.streamId & 0x7fffffff, 0);
      header.writeUInt32BE(((frame.fin ? FLAG_FIN : 0) << 24 | frame.data.length) >>> 0, 4);
      return Buffer.concat([header, frame.data]);
    }
    case 'syn_stream': {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(frame.streamId & 0x7fffffff, 0);
      fixed.writeUInt32BE(frame.associatedId & 0x7fffffff, 4);
      fixed.writeUInt8((frame.priority & 0x07) << 5, 8);
      const flags = (frame.fin ? FLAG_FIN : 0) | (frame.unidirectional ? FLAG_UNIDIRECTIONAL : 0);
      return controlFrame(TYPE_SYN_STREAM, flags, Buffer.concat([fixed, frame.headerBlock]));
    }
    case 'syn_reply':
      return controlFrame(TYPE_SYN_REPLY, frame.fin ? FLAG_FIN : 0, Buffer.concat([words(frame.streamId & 0x7fffffff), frame.headerBlock]));
    case 'headers':
      return controlFrame(TYPE_HEADERS, frame.fin ? FLAG_FIN : 0, Buffer.concat([words(frame.streamId & 0x7fffffff), frame.headerBlock]));
    case 'rst_stream':
      return controlFrame(TYPE_RST_STREAM, 0, words(frame.streamId & 0x7fffffff, frame.status));
    case 'settings': {
      const payload = Buffer.alloc(4 + frame.entries.length * 8);
      payload.writeUInt32BE(frame.entries.length, 0);
      frame.entries.forEach((entry, i) => {
        payload.writeUInt32BE(((entry.flags & 0xff) << 24 | (entry.id & 0xffffff)) >>> 0, 4 + i * 8);
        payload.writeUInt32BE(entry.value >>> 0, 8 + i * 8);
      });
      return controlFrame(TYPE_SETTINGS, frame.clear ? 0x01 : 0, payload);
    }
    case 'ping':
      return controlFrame(TYPE_PING, 0, words(frame.id));
    case 'goaway':
      return controlFrame(TYPE_GOAWAY, 0, words(frame.lastGoodStreamId & 0x7fffffff, frame.status));
    case 'window_update':
      return controlFrame(TYPE_WINDOW_UPDATE, 0, words(frame.streamId & 0x7fffffff, frame.delta & 0x7fffffff));
    case 'unknown':
      throw new RangeError(`cannot encode unknown SPDY control frame type ${frame.controlType}`);
  }
}

function need(payload: Buffer, size: number, what: string): void {
  if (payload.length < size) throw new SpdyProtocolError(`${what} frame too short (${payload.length} bytes)`);
}

function decodeControl(type: number, flags: number, payload: Buffer): SpdyFrame {
  const fin = (flags & FLAG_FIN) !== 0;
  switch (type) {
    case TYPE_SYN_STREAM:
      need(payload, 10, 'SYN_STREAM');
      return {
        type: 'syn_stream',
        streamId: payload.readUInt32BE(0) & 0x7fffffff,
        associatedId: payload.readUInt32BE(4) & 0x7fffffff,
        priority: payload.readUInt8(8) >> 5,
        fin,
        unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0,
        headerBlock: payload.subarray(10),
      };
    case TYPE_SYN_REPLY:
    case TYPE_HEADERS:
      need(payload, 4, type === TYPE_SYN_REPLY ? 'SYN_REPLY' : 'HEADERS');
      return { type: type === TYPE_SYN_REPLY ? 'syn_reply' : 'headers', streamId: payload.readUInt32BE(0) & 0x7fffffff, fin, headerBlock: payload.subarray(4) };
    case TYPE_RST_STREAM:
      need(payload, 8, 'RST_STREAM');
      return { type: 'rst_stream', streamId: payload.readUInt32BE(0) & 0x7fffffff, status: payload.readUInt32BE(4) };
    case TYPE_SETTINGS: {
      need(payload, 4, 'SETTINGS');
      const count = payload.readUInt32BE(0);
      need(payload, 4 + count * 8, 'SETTINGS');
      const entries: SettingEntry[] = [];
      for (let i = 0; i < count; i++) {
        const idWord = payload.readUInt32BE(4 + i * 8);
        entries.push({ flags: idWord >>> 24, id: idWord & 0xffffff, value: payload.readUInt32BE(8 + i * 8) });
      }
      return { type: 'settings', clear: (flags & 0x01) !== 0, entries };
    }
    case TYPE_PING:
      need(payload, 4, 'PING');
      return { type: 'ping', id: payload.readUInt32BE(0) };
    case TYPE_GOAWAY:
      need(payload, 4, 'GOAWAY');
      // SPDY/2 peers send no status; treat as OK.
      return { type: 'goaway', lastGoodStreamId: payload.readUInt32BE(0) & 0x7fffffff, status: payload.length >= 8 ? payload.readUInt32BE(4) : GOAWAY_OK };
    case TYPE_WINDOW_UPDATE:
      need(payload, 8, 'WINDOW_UPDATE');
      return { type: 'window_update', streamId: payload.readUInt32BE(0) & 0x7fffffff, delta: payload.readUInt32BE(4) & 0x7fffffff };
    default:
      return { type: 'unknown', controlType: type };
  }
}

/** Cuts a byte stream (arbitrarily fragmented) into frames. */
export class SpdyFrameParser {
  #buffered: Buffer[] = [];
  #length = 0;

  /** Adds bytes; returns every frame now complete, in order. Throws SpdyProtocolError. */
  push(chunk: Buffer): SpdyFrame[] {
    this.#buffered.push(chunk);
    this.#length += chunk.length;
    const frames: SpdyFrame[] = [];
    while (this.#length >= 8) {
      const head = this.#peek(8);
      const payloadLength = head.readUInt32BE(4) & 0xffffff;
      if (this.#length < 8 + payloadLength) break;
      const whole = this.#take(8 + payloadLength);
      const flags = whole.readUInt8(4);
      const payload = whole.subarray(8);
      if ((whole.readUInt8(0) & 0x80) !== 0) {
        const version = whole.readUInt16BE(0) & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        frames.push(decodeControl(whole.readUInt16BE(2), flags, payload));
      } else {
        frames.push({ type: 'data', streamId: whole.readUInt32BE(0) & 0x7fffffff, fin: (flags & FLAG_FIN) !== 0, data: payload });
      }
    }
    return frames;
  }

  #peek(size: number): Buffer {
    const first = this.#buffered[0];
    if (first && first.length >= size) return first.subarray(0, size);
    const joined = Buffer.concat(this.#buffered);
    this.#buffered = [joined];
    return joined.subarray(0, size);
  }

  #take(size: number): Buffer {
    const joined = this.#buffered.length === 1 ? (this.#buffered[0] ?? Buffer.alloc(0)) : Buffer.concat(this.#buffered);
    const taken = joined.subarray(0, size);
    const rest = joined.subarray(size);
    this.#buffered = rest.length > 0 ? [rest] : [];
    this.#length -= size;
    return taken;
  }
}
