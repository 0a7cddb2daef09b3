import { GatewayError, type ChatCall, type ScanFinding, type ScanFindingKind, type ScanPolicy } from '@ailb/shared';
import type { FastifyBaseLogger } from 'fastify';
import { redactPrompt, scanPrompt } from '../scanning/prompt-scanner.js';
import type { ScanObserver } from '../scanning/scan-metrics.js';

/** What the scan stage needs of a request. */
export interface ScanSubject {
  call: ChatCall;
  /** The API key's policy; null or absent: the configured default. */
  scanPolicy?: ScanPolicy | null | undefined;
  log: FastifyBaseLogger;
  setHeaders(headers: Record<string, string>): void;
}

/** Blocked requests name at most this many findings; the log line has them all. */
const NAMED_IN_ERROR = 5;

/** The spec location of a finding as a param the wire codec translates (`messages[1].content`). */
function findingParam(call: ChatCall, finding: ScanFinding): string {
  const message = call.prompt[finding.message];
  if (message?.role === 'tool') return `prompt[${finding.message}].content[${finding.part}].output`;
  if (message?.role === 'system') return `prompt[${finding.message}]`;
  return `prompt[${finding.message}].content[${finding.part}]`;
}

/**
 * Prompt scanning between decoding and context/planning, on the spec prompt the client sent (memory
 * and RAG text added later is AILB's own and is not scanned). With findings: `log` lets the request go
 * on, `redact` replaces credentials with `[REDACTED:<name>]` in the call that is dispatched (injection
 * and smuggling findings are logged and counted under `redact` but not rewritten), `block` answers
 * 400 `prompt_blocked`. Every finding is logged (kind, rule, location, span — never the text) and
 * counted, and the answer says `x-ailb-scan: <n> findings (<action>)`. Without findings nothing is
 * logged or added; `off` does not scan.
 */
export class ScanStage {
  constructor(
    private readonly defaultPolicy: ScanPolicy,
    private readonly observer?: ScanObserver,
  ) {}

  /** The call to dispatch: the request's own, or one with credentials redacted. Throws `prompt_blocked` under `block`. */
  inspect(subject: ScanSubject): ChatCall {
    const policy = subject.scanPolicy ?? this.defaultPolicy;
    if (policy === 'off') return subject.call;
    const findings = scanPrompt(subject.call.prompt);
    if (findings.length === 0) return subject.call;

    const counts = new Map<ScanFindingKind, number>();
    for (const finding of findings) counts.set(finding.kind, (counts.get(finding.kind) ?? 0) + 1);
    for (const [kind, count] of counts) this.observer?.recordFindings(kind, policy, count);
    subject.log.warn({ scan: { policy, findings } }, 'prompt scanner findings');
    subject.setHeaders({ 'x-ailb-scan': `${findings.length} finding${findings.length === 1 ? '' : 's'} (${policy})` });

    if (policy === 'block') {
      const named = findings.slice(0, NAMED_IN_ERROR).map((finding) => `${finding.kind} (${finding.rule}) in message ${finding.message}`);
      const more = findings.length > NAMED_IN_ERROR ? ` and ${findings.length - NAMED_IN_ERROR} more` : '';
      throw new GatewayError('prompt_blocked', `The prompt was blocked by AILB's prompt scanner: ${named.join('; ')}${more}.`, { param: findingParam(subject.call, findings[0]!) });
    }
    if (policy === 'redact') return { ...subject.call, prompt: redactPrompt(subject.call.prompt, findings) };
    return subject.call;
  }
}
