/*
 * Where each part of a decoded prompt came from in the client's OpenAI request, so an error an adapter
 * raises about the spec (`prompt[2].content[1].url`) names the field the client actually sent
 * (`messages[2].content[1].image_url.url`).
 */

/** Top-level call options and the request fields they come from. */
const OPTION_FIELDS: Readonly<Record<string, string>> = {
  maxOutputTokens: 'max_tokens',
  topP: 'top_p',
  stopSequences: 'stop',
  presencePenalty: 'presence_penalty',
  frequencyPenalty: 'frequency_penalty',
  responseFormat: 'response_format',
  toolChoice: 'tool_choice',
  parallelToolCalls: 'parallel_tool_calls',
  tools: 'tools',
  prompt: 'messages',
};

/** For one spec content part: its wire path and how its own fields are named on the wire. */
interface PartLocation {
  path: string;
  fields: Readonly<Record<string, string>>;
}

const SPEC_PARAM = /^prompt\[(\d+)\]\.content\[(\d+)\](?:\.(\w+))?(.*)$/;

/** Spec locations → OpenAI request params, recorded while decoding one request. */
export class WireLocations {
  private readonly parts = new Map<string, PartLocation>();
  /** Option fields the client spelled another way than {@link OPTION_FIELDS} (`max_completion_tokens`). */
  private readonly renamed = new Map<string, string>();

  /** Records that spec option `option` came from wire field `field`. */
  setOptionField(option: string, field: string): void {
    this.renamed.set(option, field);
  }

  /** Records that spec part `content[part]` of `prompt[message]` came from `path`. */
  addPart(message: number, part: number, path: string, fields: Readonly<Record<string, string>> = {}): void {
    this.parts.set(`${message}:${part}`, { path, fields });
  }

  /** The client's name for a spec param; params that are not spec locations pass unchanged. */
  translate(param: string | null): string | null {
    if (param === null) return null;
    const match = SPEC_PARAM.exec(param);
    if (match) {
      const [, message, part, field, rest = ''] = match;
      const location = this.parts.get(`${message}:${part}`);
      if (!location) return `messages[${message}]`;
      if (field === undefined) return location.path + rest;
      return `${location.path}.${location.fields[field] ?? field}${rest}`;
    }
    const [head = '', ...tail] = param.split(/(?=[.[])/);
    const wire = this.renamed.get(head) ?? OPTION_FIELDS[head];
    return wire === undefined ? param : wire + tail.join('');
  }
}
