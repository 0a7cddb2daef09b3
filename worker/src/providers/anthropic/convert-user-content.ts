import { GatewayError, type UserContentPart } from '@ailb/shared';
import type { ContentBlockParam, ImageBlockParam } from '@anthropic-ai/sdk/resources/messages';

/** The image types Anthropic accepts inline (its `Base64ImageSource.media_type`). */
const SUPPORTED_IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
type SupportedImageMediaType = (typeof SUPPORTED_IMAGE_MEDIA_TYPES)[number];

/** `data:<media type>[;parameters];base64,<data>`; the media type is kept as written for the error. */
const DATA_URL_PATTERN = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;

/**
 * Converts a user message's content (a string or OpenAI content parts) to Anthropic content blocks.
 * Audio and file parts have no Anthropic equivalent through this adapter and are refused by name.
 */
export function convertUserContent(content: string | readonly UserContentPart[], messageIndex: number): ContentBlockParam[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, partIndex): ContentBlockParam => {
    switch (part.type) {
      case 'text':
        return { type: 'text', text: part.text };
      case 'image_url':
        return convertImageUrl(part.image_url.url, `messages[${messageIndex}].content[${partIndex}].image_url.url`);
      case 'input_audio':
      case 'file':
        throw new GatewayError('unsupported_value', `Content parts of type '${part.type}' are not supported by Anthropic deployments.`, {
          param: `messages[${messageIndex}].content[${partIndex}].type`,
        });
    }
  });
}

/**
 * Converts an OpenAI `image_url` to an Anthropic image block: a base64 data URL becomes an inline
 * source, an http(s) URL a URL source that Anthropic fetches itself.
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
