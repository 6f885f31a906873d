// The one error the DNS wire codec throws, in a file of its own so that the name codec
// (dns-name.ts), the record codec (dns-rdata.ts) and the message codec (dns-message.ts) can all
// throw it without importing each other in a circle.

export type DnsFormatErrorCode = 'ShortHeader' | 'Truncated' | 'BadLabel' | 'BadPointer' | 'NameTooLong' | 'BadOpt' | 'BadName' | 'BadRecord';

/** A message that cannot be read (FORMERR), or a record that cannot be written. */
export class DnsFormatError extends Error {
  readonly code: DnsFormatErrorCode;
  constructor(code: DnsFormatErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'DnsFormatError';
  }
}

/**
 * Throws unless `length` bytes are there at `offset`. Every read of a received message goes
 * through it first: a Buffer read past the end would throw a RangeError, not a DnsFormatError.
 */
export function needBytes(buffer: Buffer, offset: number, length: number): void {
  if (offset + length > buffer.length) throw new DnsFormatError('Truncated', `message ends before offset ${offset + length}`);
}
