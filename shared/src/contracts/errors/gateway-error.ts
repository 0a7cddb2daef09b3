import { errorCatalog, isErrorCode, type ErrorCode } from './error-catalog.js';

/** Serializable form of a {@link GatewayError}, carried in queue replies. */
export interface GatewayErrorData {
  code: ErrorCode;
  message: string;
  param?: string | null | undefined;
  /** The provider deployment id the error came from, when it came from one. */
  provider?: string | undefined;
  /** How long the client should wait before retrying, when known (from Retry-After). */
  retryAfterMs?: number | undefined;
}

export interface GatewayErrorOptions {
  param?: string | null | undefined;
  provider?: string | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/**
 * The error everything in AILB throws. Status, OpenAI type and retryability come from the catalog,
 * so they cannot drift between throw sites.
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly param: string | null;
  readonly provider: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.param = options.param ?? null;
    this.provider = options.provider;
    this.retryAfterMs = options.retryAfterMs;
  }

  get status(): number {
    return errorCatalog[this.code].status;
  }

  get type(): string {
    return errorCatalog[this.code].type;
  }

  get isRetryable(): boolean {
    return errorCatalog[this.code].retryable;
  }

  toData(): GatewayErrorData {
    const data: GatewayErrorData = { code: this.code, message: this.message, param: this.param };
    if (this.provider !== undefined) data.provider = this.provider;
    if (this.retryAfterMs !== undefined) data.retryAfterMs = this.retryAfterMs;
    return data;
  }

  static fromData(data: GatewayErrorData): GatewayError {
    const code = isErrorCode(data.code) ? data.code : 'internal_error';
    return new GatewayError(code, data.message, {
      param: data.param,
      provider: data.provider,
      retryAfterMs: data.retryAfterMs,
    });
  }
}

/** Wraps anything thrown into a GatewayError without leaking its text (it may hold secrets). */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('internal_error', 'Internal error in AILB; see the server log for details.', {
    cause: error,
  });
}
