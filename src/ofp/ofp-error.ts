import { errorCodeCode, errorTypeCode } from './error-codes.js';

export interface OfpErrorPair {
  type: number;
  code: number;
}

/**
 * The one error class the codec throws. `code` is stable for programs; `ofpError`, when present, is
 * the OpenFlow error (numeric type/code) the peer should be told about, so a connection layer can
 * answer a bad message without knowing which check failed.
 *
 * The OpenFlow error may be given as numbers, or as names of `version` (default 1.3):
 * `new OfpError('BAD_VERSION', text, 'BAD_REQUEST', 'BAD_VERSION', negotiatedVersion)`.
 */
export class OfpError extends Error {
  override readonly name = 'OfpError';
  readonly code: string;
  readonly ofpError?: OfpErrorPair;
  /** The bytes that failed (a copy), when the thrower had them: the data of the ERROR reply. */
  offending?: Buffer;

  constructor(code: string, message: string, ofpError?: OfpErrorPair | string | number, codeName?: string | number,
    version = 4) {
    super(message);
    this.code = code;
    const pair = typeof ofpError === 'object' ? ofpError : ofpError === undefined ? undefined : resolve(version, ofpError, codeName);
    if (pair) this.ofpError = pair;
  }
}

function resolve(version: number, typeName: string | number, codeName: string | number | undefined): OfpErrorPair | undefined {
  const v = version >= 1 && version <= 6 ? version : 4;
  const type = errorTypeCode(v, typeName);
  const code = type === undefined || codeName === undefined ? undefined : errorCodeCode(v, type, codeName);
  return type === undefined || code === undefined ? undefined : { type, code };
}

// BAD_REQUEST and its first codes have the same numbers in every version 1.0-1.5.
const BAD_REQUEST = 1;

export function badLength(message: string): OfpError {
  return new OfpError('BAD_LENGTH', message, { type: BAD_REQUEST, code: 6 /* BAD_LEN */ });
}

export function badVersion(message: string): OfpError {
  return new OfpError('BAD_VERSION', message, { type: BAD_REQUEST, code: 0 /* BAD_VERSION */ });
}

export function badType(message: string): OfpError {
  return new OfpError('BAD_TYPE', message, { type: BAD_REQUEST, code: 1 /* BAD_TYPE */ });
}
