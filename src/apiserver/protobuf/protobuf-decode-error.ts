import { BadRequestError } from '../../lib/errors.js';

/**
 * A protobuf request body could not be decoded (truncated, malformed, or of a kind we have no
 * descriptor for). It is a BadRequestError so the HTTP edge answers 400 without special casing.
 */
export class ProtobufDecodeError extends BadRequestError {
  constructor(problem: string, options?: { cause?: unknown }) {
    super(`unable to decode protobuf body: ${problem}`, options);
  }
}
