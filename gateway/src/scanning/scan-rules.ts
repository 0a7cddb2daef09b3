import type { ScanFindingKind } from '@ailb/shared';

/*
 * The prompt scanner's rules. Each is one precompiled global regex (sticky state is reset per use),
 * written so that one clear instance is enough and ordinary text does not trip it: injection phrases
 * need the verb *and* the object ("ignore … previous instructions", never "ignore the noise"), fake
 * turns need a role at the start of a line followed by an instruction, and credentials need a
 * provider's prefix and shape — or, for `password:`-style pairs and JWTs, a name that says so and a
 * value that does not look like a placeholder or a variable.
 */

/** One detection rule. */
export interface ScanRule {
  kind: ScanFindingKind;
  /** `<kind>.<name>`; the name is also the label of a redaction (`[REDACTED:<name>]`). */
  id: string;
  pattern: RegExp;
  /**
   * A cheaper test (non-global) for something the pattern cannot match without; false skips the rule.
   * Set only where measured to pay: a rare literal in front of a costly case-insensitive pattern.
   */
  trigger?: RegExp;
  /** The capture group that is the finding's span (the secret itself, not its name). @defaultValue 0 */
  group?: number;
  /** A second look at the matched span; false drops the match. */
  accept?: (span: string) => boolean;
}

const hasDigit = /\d/;
const hasLower = /[a-z]/;
const hasUpper = /[A-Z]/;
/** Placeholders and expressions, never secrets: `<your-password>`, `${DB_PASS}`, `getPassword()`, `****`. */
const NOT_A_LITERAL = /[<>{}()[\]$%]|^\*+$|^x+$/i;
/** A password-like value: a digit or a symbol in it, at least one letter or digit, not a placeholder. */
const secretValue = (value: string) => !NOT_A_LITERAL.test(value) && /[A-Za-z0-9]/.test(value) && /[\d!@#^&*+=~?/.-]/.test(value) && !/^(.)\1+$/.test(value);
/** A token of mixed case and digits (what random keys are; prose and identifiers rarely are). */
const randomLooking = (value: string) => hasDigit.test(value) && hasLower.test(value) && hasUpper.test(value);

// Not `message` or `context`: "ignore my previous message" is how people correct a typo.
const INSTRUCTION_NOUNS = '(?:instructions?|prompts?|directives?|rules|guidelines|commands?|constraints|programming|guardrails)';

/** Injection phrases, case-insensitive. */
const INJECTION: ScanRule[] = [
  {
    kind: 'injection',
    id: 'injection.ignore_instructions',
    pattern: new RegExp(
      `\\b(?:ignore|disregard|forget|override|bypass|skip|drop|abandon)\\s+(?:(?:all|any|every|each|of|the|your|my|these|those|this|that)\\s+)*(?:previous|prior|above|earlier|preceding|former|original|initial|system|developer|existing|old)\\s+(?:\\w+\\s+)?${INSTRUCTION_NOUNS}\\b`,
      'gi',
    ),
  },
  {
    kind: 'injection',
    id: 'injection.reveal_system_prompt',
    pattern: /\b(?:(?:reveal|leak|dump|print|repeat|output|disclose|expose|recite)\s+(?:to\s+me\s+|me\s+)?(?:your|the)|(?:show|tell|give|send)\s+(?:me|us)\s+(?:your|the)|what\s+(?:is|are|was|were)\s+your)\s+(?:(?:full|entire|exact|complete|original|hidden|secret|initial|verbatim|real)\s+)*(?:system\s+(?:prompt|message|instructions?)|(?:initial|hidden|original|secret)\s+(?:prompt|instructions))\b/gi,
  },
  {
    kind: 'injection',
    id: 'injection.jailbreak_persona',
    pattern:
      /\byou\s+are\s+(?:now\s+)?(?:DAN|in\s+(?:developer|god|jailbreak|jailbroken|unrestricted|DAN)\s+mode)\b|\b(?:act\s+as|pretend\s+to\s+be|you\s+are\s+now)\s+(?:DAN|an?\s+(?:unrestricted|unfiltered|uncensored|jailbroken)\s+(?:AI|model|assistant|chatbot|version))\b|\b(?:enable|enter|activate|switch\s+to)\s+(?:developer|DAN|jailbreak|god)\s+mode\b|\bdo\s+anything\s+now\b|\b(?:pretend|imagine|act\s+as\s+if)\s+(?:that\s+)?you\s+(?:have|had)\s+no\s+(?:restrictions|rules|guidelines|filters|limitations|content\s+polic(?:y|ies))\b/gi,
    // `DAN` is the persona only in capitals ("you are now Dan" is a name) — checked on the span.
    accept: (span) => !/\bdan\b/i.test(span) || /\bDAN\b/.test(span),
  },
  {
    kind: 'injection',
    id: 'injection.new_instructions',
    pattern: /\b(?:your\s+new\s+(?:instructions|rules|directives)\s+(?:are|is)|from\s+now\s+on,?\s+you\s+(?:will|must|shall)\s+(?:ignore|disregard|no\s+longer\s+follow))\b/gi,
  },
];

/** Role and special tokens of chat templates, and fake turns inside a message. */
const SMUGGLING: ScanRule[] = [
  {
    kind: 'smuggling',
    id: 'smuggling.chat_template_token',
    pattern: /<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|start_header_id|end_header_id|eot_id|begin_of_text|end_of_turn)\|>/gi,
  },
  { kind: 'smuggling', id: 'smuggling.llama_instruction_tag', pattern: /\[\/?INST\]|<<\/?SYS>>|<start_of_turn>/g },
  {
    kind: 'smuggling',
    id: 'smuggling.fake_turn',
    trigger: /system|assistant|developer/i,
    // A role at the start of a line, then an instruction: `system: you are…`, `### System: ignore…`;
    // a key in code or YAML (`system: linux`) has no instruction after it.
    pattern:
      /^[ \t]*(?:#{1,6}[ \t]*|\[)?(?:system|assistant|developer)(?:[ \t]+(?:message|prompt))?\]?[ \t]*:[ \t]*(?=[^\n]*\b(?:you\s+(?:are|must|will|should|shall|may\s+now)|your\s+(?:new|real|only|task|instructions)|ignore|disregard|always|never|new\s+instructions|from\s+now|override|reveal|respond)\b)/gim,
  },
  { kind: 'smuggling', id: 'smuggling.alpaca_header', pattern: /^[ \t]*#{2,6}[ \t]*(?:System|Instruction|Response)[ \t]*:[ \t]*$/gm },
];

/** Credentials. Order matters: the first rule that claims a span wins (Anthropic before OpenAI). */
const CREDENTIALS: ScanRule[] = [
  {
    kind: 'credential',
    id: 'credential.private_key',
    pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----(?:[^-]|-(?!----END ))*(?:-----END [A-Z ]*PRIVATE KEY(?: BLOCK)?-----)?/g,
  },
  { kind: 'credential', id: 'credential.anthropic_key', pattern: /\bsk-ant-(?:api|admin|oat|sid)\d{2}-[A-Za-z0-9_-]{20,}/g },
  {
    kind: 'credential',
    id: 'credential.openai_key',
    pattern: /\bsk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}/g,
    accept: randomLooking,
  },
  { kind: 'credential', id: 'credential.aws_access_key_id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AROA|AIDA)[A-Z0-9]{16}\b/g },
  {
    kind: 'credential',
    id: 'credential.aws_secret_access_key',
    trigger: /aws/i,
    pattern: /\baws[_\s-]?secret(?:[_\s-]?access)?[_\s-]?key(?:[_\s-]?id)?["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    group: 1,
  },
  { kind: 'credential', id: 'credential.github_token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g },
  { kind: 'credential', id: 'credential.slack_token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, accept: (span) => hasDigit.test(span) },
  { kind: 'credential', id: 'credential.google_api_key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  {
    kind: 'credential',
    id: 'credential.jwt',
    trigger: /eyJ/,
    // Only with a name that says it is a credential: a bare `eyJ…` may be any base64 JSON.
    pattern: /\b(?:bearer|token|jwt|authorization|auth|cookie|session|id_token|access_token|refresh_token)\b[^\n]{0,30}?\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/gi,
    group: 1,
  },
  {
    kind: 'credential',
    id: 'credential.password',
    trigger: /pass|pwd/i,
    pattern: /(?<![A-Za-z0-9])(?:password|passwd|pwd|passphrase)\b["']?\s*[:=]\s*["']?([^\s"',;`]{4,})/gi,
    group: 1,
    accept: secretValue,
  },
  {
    kind: 'credential',
    id: 'credential.generic_secret',
    trigger: /key|secret|token/i,
    pattern: /(?<![A-Za-z0-9])(?:api[_-]?key|secret[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token|private[_-]?token)\b["']?\s*[:=]\s*["']?([A-Za-z0-9_\-+/=]{16,})/gi,
    group: 1,
    accept: (value) => hasDigit.test(value) && /[A-Za-z]/.test(value) && !NOT_A_LITERAL.test(value),
  },
];

/** Rules for text a client wrote or relayed: user messages and tool results (indirect injection). */
export const ALL_RULES: readonly ScanRule[] = [...SMUGGLING, ...INJECTION, ...CREDENTIALS];
/** Rules for system and assistant text: only credentials (instructions there are the operator's own). */
export const CREDENTIAL_RULES: readonly ScanRule[] = CREDENTIALS;
