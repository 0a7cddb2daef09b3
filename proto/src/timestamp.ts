import type { Timestamp, Timestamp__Output } from './generated/index.js';

/** `google.protobuf.Timestamp` of a JavaScript date (millisecond precision). */
export function timestampFromDate(date: Date): Timestamp {
  const milliseconds = date.getTime();
  const seconds = Math.floor(milliseconds / 1000);
  return { seconds: String(seconds), nanos: (milliseconds - seconds * 1000) * 1_000_000 };
}

/** JavaScript date of a decoded `google.protobuf.Timestamp`; `null` when the field was absent. */
export function dateFromTimestamp(timestamp: Timestamp__Output | null | undefined): Date | null {
  if (!timestamp) return null;
  return new Date(Number(timestamp.seconds) * 1000 + Math.floor(timestamp.nanos / 1_000_000));
}
