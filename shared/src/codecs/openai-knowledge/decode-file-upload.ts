import { extname } from 'node:path';
import { GatewayError } from '../../contracts/errors/gateway-error.js';
import type { KnowledgeOperationOf } from './decode-knowledge-request.js';

/*
 * `POST /v1/files`, once its multipart form has been read: which purposes and file types AILB keeps,
 * and the checks that make a stored file one every embedder replica can chunk as text.
 */

/** One uploaded form part that carried a file. */
export interface UploadedFile {
  /** The form field it came in (OpenAI's is `file`). */
  fieldname: string;
  filename: string;
  /** The content type the client declared for the part (often `application/octet-stream`). */
  mimetype: string;
  content: Buffer;
}

/** A `POST /v1/files` form: its plain fields by name and the file part, if any. */
export interface FileUploadForm {
  fields: ReadonlyMap<string, string>;
  file: UploadedFile | undefined;
}

/**
 * Purposes AILB keeps files for: `assistants` (OpenAI's purpose for file search) and `user_data`
 * (OpenAI's "flexible file type for any purpose"). Batch, fine-tune, vision and evals files are
 * inputs of APIs AILB does not run.
 */
export const ACCEPTED_PURPOSES: readonly string[] = ['assistants', 'user_data'];
const OPENAI_PURPOSES: readonly string[] = ['assistants', 'batch', 'fine-tune', 'vision', 'user_data', 'evals'];

/** The media types AILB stores, by file extension (the SDKs rarely send a useful content type). */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.txt': 'text/plain',
  '.text': 'text/plain',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.json': 'application/json',
};
const BY_CONTENT_TYPE: Readonly<Record<string, string>> = {
  'text/plain': 'text/plain',
  'text/markdown': 'text/markdown',
  'text/x-markdown': 'text/markdown',
  'text/html': 'text/html',
  'application/json': 'application/json',
};

/** What a client is told it may upload. */
export const ACCEPTED_FILE_TYPES = 'plain text, Markdown, HTML or JSON (.txt, .md, .markdown, .html, .htm, .json, or any text/* content type), UTF-8 encoded';

/**
 * The media type AILB reads a file as: from its extension, else from its declared content type (any
 * other `text/*` is read as plain text); undefined when it is neither.
 */
export function mediaTypeOf(filename: string, mimetype: string): string | undefined {
  const byExtension = BY_EXTENSION[extname(filename).toLowerCase()];
  if (byExtension) return byExtension;
  const declared = mimetype.split(';')[0]!.trim().toLowerCase();
  return BY_CONTENT_TYPE[declared] ?? (declared.startsWith('text/') ? 'text/plain' : undefined);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Whether the bytes are text: valid UTF-8 without NUL bytes (which no text format above contains). */
function isUtf8Text(content: Buffer): boolean {
  if (content.includes(0)) return false;
  try {
    utf8.decode(content);
    return true;
  } catch {
    return false;
  }
}

function purposeOf(fields: ReadonlyMap<string, string>): string {
  const purpose = fields.get('purpose');
  if (purpose === undefined) throw new GatewayError('missing_required_parameter', "Missing required parameter: 'purpose'.", { param: 'purpose' });
  if (ACCEPTED_PURPOSES.includes(purpose)) return purpose;
  if (OPENAI_PURPOSES.includes(purpose)) {
    throw new GatewayError('unsupported_value', `Unsupported value for 'purpose': AILB keeps files for ${ACCEPTED_PURPOSES.join(' and ')}, not ${purpose}.`, { param: 'purpose' });
  }
  throw new GatewayError('invalid_value', `Invalid value for 'purpose': expected one of ${OPENAI_PURPOSES.join(', ')}, got ${JSON.stringify(purpose)}.`, { param: 'purpose' });
}

/** Every form field other than the file: `purpose`, or OpenAI's `expires_after[...]` (not supported). */
function checkFields(fields: ReadonlyMap<string, string>): void {
  for (const name of fields.keys()) {
    if (name === 'purpose') continue;
    if (name === 'file') throw new GatewayError('invalid_type', "Invalid type for 'file': expected a file upload (a form part with a filename), but got a text field.", { param: 'file' });
    if (name === 'expires_after' || name.startsWith('expires_after[')) {
      throw new GatewayError('unsupported_value', "Unsupported parameter 'expires_after': AILB keeps a file until it is deleted.", { param: 'expires_after' });
    }
    throw new GatewayError('unknown_parameter', `Unrecognized request argument supplied: ${name}`, { param: name });
  }
}

/**
 * Validates an uploaded form and turns it into the neutral `file.create` operation: `purpose`
 * `assistants` or `user_data`, one `file` that is non-empty UTF-8 text of an accepted type. Size
 * limits are the route's: it reads the form.
 */
export function decodeFileUpload(form: FileUploadForm): KnowledgeOperationOf<'file.create'> {
  checkFields(form.fields);
  const { file } = form;
  if (file === undefined) throw new GatewayError('missing_required_parameter', "Missing required parameter: 'file'.", { param: 'file' });
  if (file.fieldname !== 'file') throw new GatewayError('unknown_parameter', `Unrecognized request argument supplied: ${file.fieldname}`, { param: file.fieldname });
  const purpose = purposeOf(form.fields);
  const filename = file.filename.trim();
  if (filename === '') throw new GatewayError('invalid_value', "Invalid value for 'file': the upload has no filename.", { param: 'file' });
  const mediaType = mediaTypeOf(filename, file.mimetype);
  if (mediaType === undefined) {
    throw new GatewayError('unsupported_file', `Unsupported file ${JSON.stringify(filename)} (${file.mimetype || 'no content type'}): AILB accepts ${ACCEPTED_FILE_TYPES}.`, { param: 'file' });
  }
  if (file.content.length === 0) throw new GatewayError('invalid_value', `Invalid value for 'file': ${JSON.stringify(filename)} is empty.`, { param: 'file' });
  if (!isUtf8Text(file.content)) {
    throw new GatewayError('unsupported_file', `Unsupported file ${JSON.stringify(filename)}: its content is not UTF-8 text. AILB accepts ${ACCEPTED_FILE_TYPES}.`, { param: 'file' });
  }
  return { op: 'file.create', filename, purpose, mediaType, contentBase64: file.content.toString('base64') };
}
