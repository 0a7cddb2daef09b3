import { GatewayError, isOutputPart, type AttemptRecord, type ChatCall, type JobContext, type StreamPart } from '@ailb/shared';
import { StreamReplier } from './stream-replier.js';
import type { UpstreamAttempt } from './upstream-attempt.js';

/**
 * How a continuation attempt picks up a broken stream: `prefill` sends the text already sent as the
 * start of the assistant's answer and relays what the target adds; `restart` asks anew and relays only
 * what follows the text already sent, provided the new answer begins with exactly that text.
 */
export type ContinuationMode = 'prefill' | 'restart';

/**
 * One streamed answer as the client receives it, across every attempt that contributes to it: opens
 * the reply with the first output, relays each attempt's parts, and — when a stream broke after output
 * — turns the next attempt's parts into a seamless continuation (one text block, nothing repeated, the
 * continuation's own preamble and reasoning left out). Tracks what a continuation needs: the text sent,
 * whether a tool call or reasoning was under way (those are never continued).
 */
export class StreamSession {
  private replier: StreamReplier | undefined;
  private text = '';
  private openTextId: string | undefined;
  private reasoningOpen = false;
  private toolStarted = false;
  /** The failure that first broke the stream: what it ends with when no continuation rescues it. */
  broken: GatewayError | undefined;
  /** A message of the stream could not be sent to the gateway: nothing more can reach the client. */
  replyFailed = false;
  // The current continuation: its mode, and what of the text already sent it must still match or skip.
  private mode: ContinuationMode | undefined;
  private prefix = '';
  private matched = '';
  private whitespace = '';
  private readonly ids = new Map<string, string>();

  constructor(
    private readonly context: JobContext<'chat'>,
    private readonly attempts: AttemptRecord[],
    private readonly workerVersion: string | undefined,
  ) {}

  /** Output reached the client. */
  get started(): boolean {
    return this.replier !== undefined;
  }

  /** A stream broken now may be continued: no tool call and no reasoning was under way (neither can be prefilled). */
  continuable(): boolean {
    return !this.toolStarted && !this.reasoningOpen && !this.replyFailed;
  }

  /**
   * The call a continuation attempt makes. `prefill` appends the text sent so far as an assistant
   * message, trailing whitespace trimmed (providers reject a prefill ending in whitespace; the
   * continuation's leading whitespace is then matched against it, not repeated).
   */
  continuationCall(call: ChatCall, mode: ContinuationMode): ChatCall {
    this.mode = mode;
    this.ids.clear();
    this.matched = '';
    const prefill = this.text.trimEnd();
    if (mode === 'restart' || prefill === '') {
      this.mode = 'restart';
      this.prefix = this.text;
      this.whitespace = '';
      return call;
    }
    this.prefix = '';
    this.whitespace = this.text.slice(prefill.length);
    return { ...call, prompt: [...call.prompt, { role: 'assistant', content: [{ type: 'text', text: prefill }] }] };
  }

  /**
   * Relays an opened stream attempt to its end: its `finish` closes the answer (`alongside` records the
   * success in the same round trip). Throws the attempt's failure when it breaks.
   */
  async relay(attempt: UpstreamAttempt, opening: StreamPart[]): Promise<void> {
    const held: StreamPart[] = [];
    let finish: Extract<StreamPart, { type: 'finish' }> | undefined;
    const accept = (part: StreamPart) => {
      if (part.type === 'finish') {
        finish = part;
        return;
      }
      const parts = this.mode ? this.continued(part, attempt) : [part];
      for (const relayed of parts) {
        this.track(relayed);
        if (!attempt.emitted && isOutputPart(relayed)) this.open(attempt, held, relayed);
        else if (this.replier) this.push(relayed);
        else held.push(relayed);
      }
    };
    try {
      for (const part of opening) accept(part);
      while (!finish) accept(await attempt.next());
    } catch (thrown) {
      // A restart that diverged, or a reply that could not be sent: this attempt's failure.
      throw await attempt.fail(thrown);
    }
    if (!attempt.emitted) {
      // A restart that ended before it caught up with the text already sent did not continue anything.
      if (this.mode === 'restart' && this.prefix !== '') throw await attempt.fail(this.diverged(attempt));
      if (!this.replier) {
        // An answer with no output at all (an empty completion): started and finished in one message.
        attempt.commit('success', finish.usage);
        const start = this.startOf(attempt, held);
        await Promise.all([this.context.reply({ kind: 'stream', start, parts: [...held, finish], end: true }), attempt.succeed(finish.usage)]);
        return;
      }
      this.open(attempt, held, undefined);
    }
    attempt.record!.usage = finish.usage;
    try {
      await this.replier!.end([finish], () => attempt.succeed(finish!.usage), this.broken ? copy(this.attempts) : undefined);
    } catch (error) {
      this.replyFailed = true;
      throw await attempt.fail(error);
    }
  }

  /** Ends a started stream with an in-band error: the original failure, and every attempt as it ended. */
  async fail(error: GatewayError): Promise<void> {
    await this.replier?.end([{ type: 'error', error: error.toData() }], undefined, copy(this.attempts));
  }

  /** Commits `attempt` as its first output leaves: opens the reply, or (a continuation) joins it. */
  private open(attempt: UpstreamAttempt, held: StreamPart[], first: StreamPart | undefined): void {
    attempt.commit(this.mode ? 'continued' : 'success');
    // A continuation joins the open reply (its parts before this one were pushed as they came).
    if (this.replier) {
      if (first) this.push(first);
      return;
    }
    this.replier = StreamReplier.start(this.context, this.startOf(attempt, held), first ? [...held, first] : held);
  }

  /** Who serves the stream (the model the provider named, if it did) and the attempts so far. */
  private startOf(attempt: UpstreamAttempt, held: readonly StreamPart[]) {
    const modelId = held.find((item) => item.type === 'response-metadata')?.modelId;
    const { provider, model } = attempt.target;
    return { servedBy: { provider, model: modelId || model, upstreamMs: attempt.ttftMs ?? attempt.elapsedMs(), workerVersion: this.workerVersion }, attempts: copy(this.attempts) };
  }

  private push(part: StreamPart): void {
    this.replier!.push(part);
    try {
      this.replier!.check();
    } catch (error) {
      this.replyFailed = true;
      throw error;
    }
  }

  /** What the client sees of a continuation attempt's part: its preamble and reasoning dropped, its text joined to the open block. */
  private continued(part: StreamPart, attempt: UpstreamAttempt): StreamPart[] {
    switch (part.type) {
      case 'stream-start':
      case 'response-metadata':
      case 'reasoning-start':
      case 'reasoning-delta':
      case 'reasoning-end':
        return [];
      case 'text-start':
        if (this.openTextId === undefined) return [part];
        this.ids.set(part.id, this.openTextId);
        return [];
      case 'text-end':
        // A restart whose text ended before it covered the text already sent is another answer.
        if (this.mode === 'restart' && this.prefix !== '') throw this.diverged(attempt);
        return [{ ...part, id: this.ids.get(part.id) ?? part.id }];
      case 'text-delta': {
        const delta = this.mode === 'restart' ? this.afterPrefix(part.delta, attempt) : this.afterWhitespace(part.delta);
        return delta === '' ? [] : [{ ...part, id: this.ids.get(part.id) ?? part.id, delta }];
      }
      default:
        if (this.mode === 'restart' && this.prefix !== '') throw this.diverged(attempt);
        return [part];
    }
  }

  /** A restart's text: held until it covers the text already sent, which it must begin with exactly. */
  private afterPrefix(delta: string, attempt: UpstreamAttempt): string {
    if (this.prefix === '') return delta;
    this.matched += delta;
    if (this.matched.length < this.prefix.length) {
      if (!this.prefix.startsWith(this.matched)) throw this.diverged(attempt);
      return '';
    }
    if (!this.matched.startsWith(this.prefix)) throw this.diverged(attempt);
    const rest = this.matched.slice(this.prefix.length);
    this.prefix = '';
    this.matched = '';
    return rest;
  }

  /** A prefilled continuation's text, without the whitespace the client already has. */
  private afterWhitespace(delta: string): string {
    let rest = delta;
    while (this.whitespace !== '' && rest !== '' && rest[0] === this.whitespace[0]) {
      rest = rest.slice(1);
      this.whitespace = this.whitespace.slice(1);
    }
    if (rest !== '') this.whitespace = '';
    return rest;
  }

  /** Not the provider's fault (it answered; differently): not counted against its health, not retried on it. */
  private diverged(attempt: UpstreamAttempt): GatewayError {
    return new GatewayError('continuation_diverged', `Provider ${attempt.target.provider} restarted the answer differently; it cannot continue the stream`, { provider: attempt.target.provider });
  }

  private track(part: StreamPart): void {
    switch (part.type) {
      case 'text-start':
        this.openTextId = part.id;
        break;
      case 'text-delta':
        this.text += part.delta;
        break;
      case 'text-end':
        if (this.openTextId === part.id) this.openTextId = undefined;
        break;
      case 'reasoning-start':
        this.reasoningOpen = true;
        break;
      case 'reasoning-end':
        this.reasoningOpen = false;
        break;
      case 'tool-input-start':
      case 'tool-input-delta':
      case 'tool-call':
        this.toolStarted = true;
        break;
      default:
    }
  }
}

/** The attempts as they stand (records change when a committed stream breaks; a message must not). */
function copy(attempts: readonly AttemptRecord[]): AttemptRecord[] {
  return attempts.map((attempt) => ({ ...attempt }));
}
