import type { Prompt, PromptMessage, ScanFinding } from '@ailb/shared';
import { ALL_RULES, CREDENTIAL_RULES, type ScanRule } from './scan-rules.js';

/*
 * The prompt scanner: pure functions over the provider-neutral spec prompt (never a wire body), so
 * every wire format and every provider gets the same verdict. Only text is read — user text parts and
 * tool results against every rule, system and assistant text against the credential rules — images,
 * files and tool-call arguments are skipped. Findings carry locations and spans, never the matched text.
 */

/** One piece of text of the prompt and where it is. */
interface TextSlot {
  message: number;
  part: number;
  text: string;
  rules: readonly ScanRule[];
}

function* textSlots(prompt: Prompt): Generator<TextSlot> {
  for (let message = 0; message < prompt.length; message++) {
    const entry = prompt[message]!;
    switch (entry.role) {
      case 'system':
        yield { message, part: 0, text: entry.content, rules: CREDENTIAL_RULES };
        break;
      case 'user':
        for (let part = 0; part < entry.content.length; part++) {
          const content = entry.content[part]!;
          if (content.type === 'text') yield { message, part, text: content.text, rules: ALL_RULES };
        }
        break;
      case 'assistant':
        for (let part = 0; part < entry.content.length; part++) {
          const content = entry.content[part]!;
          if (content.type === 'text') yield { message, part, text: content.text, rules: CREDENTIAL_RULES };
        }
        break;
      case 'tool':
        for (let part = 0; part < entry.content.length; part++) yield { message, part, text: entry.content[part]!.output, rules: ALL_RULES };
        break;
    }
  }
}

/** Findings of one text against some rules, in order of position; a span claimed by one rule is not reported again. */
export function scanText(text: string, rules: readonly ScanRule[], location: { message: number; part: number } = { message: 0, part: 0 }): ScanFinding[] {
  const findings: ScanFinding[] = [];
  if (text.length === 0) return findings;
  for (const rule of rules) {
    if (rule.trigger && !rule.trigger.test(text)) continue;
    const { pattern } = rule;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      if (match[0].length === 0) pattern.lastIndex++;
      const value = match[rule.group ?? 0];
      if (value === undefined || (rule.accept && !rule.accept(value))) continue;
      const start = match.index + (rule.group ? match[0].lastIndexOf(value) : 0);
      const end = start + value.length;
      if (rule.kind === 'credential' && findings.some((other) => other.kind === 'credential' && start < other.end && other.start < end)) continue;
      findings.push({ kind: rule.kind, rule: rule.id, message: location.message, part: location.part, start, end });
    }
  }
  return findings.sort((a, b) => a.start - b.start);
}

/** Every finding in a prompt, message by message. */
export function scanPrompt(prompt: Prompt): ScanFinding[] {
  const findings: ScanFinding[] = [];
  for (const slot of textSlots(prompt)) {
    const found = scanText(slot.text, slot.rules, slot);
    for (const finding of found) findings.push(finding);
  }
  return findings;
}

/** The label of a credential in its redaction: the rule's name (`credential.openai_key` → `openai_key`). */
export const redactionLabel = (rule: string) => `[REDACTED:${rule.slice(rule.indexOf('.') + 1)}]`;

function redactText(text: string, findings: readonly ScanFinding[]): string {
  let result = '';
  let at = 0;
  for (const finding of findings) {
    if (finding.start < at) continue;
    result += text.slice(at, finding.start) + redactionLabel(finding.rule);
    at = finding.end;
  }
  return result + text.slice(at);
}

/**
 * The prompt with every credential finding replaced by `[REDACTED:<name>]`; other findings are left as
 * they are (rewriting an instruction would change what the user asked). Messages without credentials
 * are shared with the input, not copied.
 */
export function redactPrompt(prompt: Prompt, findings: readonly ScanFinding[]): Prompt {
  const byPart = new Map<string, ScanFinding[]>();
  for (const finding of findings) {
    if (finding.kind !== 'credential') continue;
    const key = `${finding.message}:${finding.part}`;
    const list = byPart.get(key);
    if (list) list.push(finding);
    else byPart.set(key, [finding]);
  }
  if (byPart.size === 0) return prompt;
  const redact = (message: number, part: number, text: string) => {
    const list = byPart.get(`${message}:${part}`);
    return list ? redactText(text, list.sort((a, b) => a.start - b.start)) : text;
  };
  const touched = new Set([...byPart.keys()].map((key) => Number(key.slice(0, key.indexOf(':')))));
  return prompt.map((entry, message): PromptMessage => {
    if (!touched.has(message)) return entry;
    switch (entry.role) {
      case 'system':
        return { ...entry, content: redact(message, 0, entry.content) };
      case 'user':
        return { ...entry, content: entry.content.map((part, index) => (part.type === 'text' ? { ...part, text: redact(message, index, part.text) } : part)) };
      case 'assistant':
        return { ...entry, content: entry.content.map((part, index) => (part.type === 'text' ? { ...part, text: redact(message, index, part.text) } : part)) };
      case 'tool':
        return { ...entry, content: entry.content.map((part, index) => ({ ...part, output: redact(message, index, part.output) })) };
    }
  }) as Prompt;
}
