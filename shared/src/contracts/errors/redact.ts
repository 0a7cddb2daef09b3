/** Patterns of credentials that must never reach a client or a log line, whatever their source. */
const SECRET_PATTERNS: RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(x-api-key|api[_-]?key|authorization)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi,
];

/** Removes known secret values and credential-looking tokens from a text. */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join('[REDACTED]');
  }
  for (const pattern of SECRET_PATTERNS) {
    result = result.replace(pattern, (_match, first: string, second: string) =>
      typeof second === 'string' && /key|authorization/i.test(first) ? `${first}${second}[REDACTED]` : '[REDACTED]',
    );
  }
  return result;
}
