import { GatewayError } from '@ailb/shared';
import { convert } from 'html-to-text';

const HEADINGS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } }));

/**
 * The text of a stored file, as chunking and search see it: UTF-8 text as is (Markdown keeps its
 * headings, which the chunker uses), HTML without its markup (html-to-text: tables, lists and entities
 * handled, scripts and styles dropped), JSON pretty-printed so keys and values read as words.
 * @throws GatewayError `unsupported_file` for bytes that are not UTF-8 text.
 */
export function documentText(bytes: Buffer, mediaType: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new GatewayError('unsupported_file', 'The file is not UTF-8 text; AILB reads plain text, Markdown, HTML and JSON files.', { param: 'file' });
  }
  text = text.replace(/^\uFEFF/, '');
  if (mediaType === 'text/html') return convert(text, { wordwrap: false, selectors: [...HEADINGS, { selector: 'a', options: { ignoreHref: true } }, { selector: 'img', format: 'skip' }] });
  if (mediaType === 'application/json') {
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      throw new GatewayError('unsupported_file', 'The file is not valid JSON.', { param: 'file' });
    }
  }
  return text;
}
