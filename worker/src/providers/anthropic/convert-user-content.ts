import { GatewayError, type UserContentPart } from '@ailb/shared';
import type { ContentBlockParam, ImageBlockParam } from '@anthropic-ai/sdk/resources/messages';

/** The image types Anthropic accepts inline (its `Base64ImageSource.media_type`). */
const SUPPORTED_IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
type SupportedImageMediaType = (typeof SUPPORTED_IMAGE_MEDIA_TYPES)[number];

/** `data:<media type>[;parameters];base64,<data>`; the media type is kept as written for the error. */
const DATA_URL_PATTERN = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;

/**
 * Converts a user message's content parts to Anthropic content blocks. File parts (audio included)
 * have no Anthropic equivalent through this adapter and are refused by their spec location, so the
 * client learns which part it was rather than getting an answer that silently ignored it.
 *
 * @param messageIndex - The message's index in `call.prompt`, for error params.
 */
export function convertUserContent(content: readonly UserContentPart[], messageIndex: number): ContentBlockParam[] {
  return content.map((part, partIndex): ContentBlockParam => {
    const location = `prompt[${messageIndex}].content[${partIndex}]`;
    switch (part.type) {
      case 'text':
        return { type: 'text', text: part.text };
      case 'image':
        return convertImageUrl(part.url, `${location}.url`);
      case 'file': {
        const kind = part.mediaType?.startsWith('audio/') === true ? 'Audio' : 'File';
        throw new GatewayError('unsupported_value', `${kind} content parts are not supported by Anthropic deployments.`, {
          param: `${location}.type`,
        });
      }
    }
  });
}

/**
 * Converts an image URL to an Anthropic image block: a base64 data URL becomes an inline source, an
 * http(s) URL a URL source that Anthropic fetches itself. Anything else is refused, named by `param`.
 */
export function convertImageUrl(url: string, param: string): ImageBlockParam {
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };

  const dataUrl = DATA_URL_PATTERN.exec(url);
  if (dataUrl === null) {
    throw new GatewayError('invalid_value', 'Image URLs must be http(s) URLs or base64 data URLs.', { param });
  }
  const mediaType = (dataUrl[1] ?? '').toLowerCase();
  const parameters = (dataUrl[2] ?? '').toLowerCase().split(';');
  if (!parameters.includes('base64')) {
    throw new GatewayError('invalid_value', 'Image data URLs must be base64-encoded.', { param });
  }
  if (!isSupportedImageMediaType(mediaType)) {
    throw new GatewayError(
      'unsupported_value',
      `Image type '${mediaType}' is not supported by Anthropic deployments; use ${SUPPORTED_IMAGE_MEDIA_TYPES.join(', ')}.`,
      { param },
    );
  }
  return { type: 'image', source: { type: 'base64', media_type: mediaType, data: dataUrl[3] ?? '' } };
}

function isSupportedImageMediaType(value: string): value is SupportedImageMediaType {
  return (SUPPORTED_IMAGE_MEDIA_TYPES as readonly string[]).includes(value);
}
