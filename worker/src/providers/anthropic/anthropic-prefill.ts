/**
 * Whether an Anthropic model continues a trailing assistant message (a prefill). Claude models up to
 * 4.5 do; from Claude 4.6 on, Anthropic answers such a request with a 400 ("This model does not support
 * assistant message prefill"). Names AILB cannot read a version from (aliases of other servers) are
 * taken to accept it, as Anthropic's API long did; `supports_prefill` on a target overrides this.
 */
export function anthropicAcceptsPrefill(model: string): boolean {
  const name = model.toLowerCase();
  // Old names put the version first: claude-3-5-sonnet-20241022, claude-3-opus-20240229.
  if (/^claude-[1-3](?:[-.]\d)?-/.test(name) || /^claude-(?:instant|2)/.test(name)) return true;
  // Current names put it after the family: claude-sonnet-4-5-20250929, claude-opus-4-6, claude-sonnet-5.
  const match = /^claude-[a-z]+-(\d+)(?:[-.](\d)(?!\d))?/.exec(name);
  if (!match) return true;
  const major = Number(match[1]);
  const minor = match[2] === undefined ? 0 : Number(match[2]);
  return major < 4 || (major === 4 && minor < 6);
}
