import { z } from 'zod';

/**
 * What the gateway does with a chat request whose prompt the scanner flags (prompt injection,
 * role/system-token smuggling, credentials): `off` skips scanning; `log` lets the request go on and
 * logs and counts the findings (never the secret); `redact` also replaces credentials in the prompt
 * with `[REDACTED:<kind>]` before it leaves AILB (injection and smuggling are logged and counted, not
 * rewritten); `block` answers 400 `prompt_blocked`. The config's `scanning.policy` is the default; an
 * API key's `scan_policy` overrides it for that key's requests.
 */
export const scanPolicySchema = z.enum(['off', 'log', 'redact', 'block']);
export type ScanPolicy = z.infer<typeof scanPolicySchema>;

/** The three families of findings; the `kind` label of `ailb_prompt_scan_findings_total`. */
export const scanFindingKindSchema = z.enum(['injection', 'smuggling', 'credential']);
export type ScanFindingKind = z.infer<typeof scanFindingKindSchema>;

/**
 * One thing the scanner found, without the text it matched: where it is (the spec prompt's message
 * index and content part index — 0 for a system message's text) and the character span within that
 * part's text. Safe to log and to return.
 */
export interface ScanFinding {
  kind: ScanFindingKind;
  /** Stable rule id, `<kind>.<name>` (`credential.openai_key`, `injection.ignore_instructions`). */
  rule: string;
  message: number;
  part: number;
  /** Character offsets in the part's text: [start, end). */
  start: number;
  end: number;
}
