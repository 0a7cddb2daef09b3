import multipart from '@fastify/multipart';
import { GatewayError } from '@ailb/shared';
import { decodeFileRequest, decodeFileUpload, decodeListFiles, toFileContent, toFileDeleted, toFileList, toOpenAIFile, type FileUploadForm, type UploadedFile } from '@ailb/shared/openai-knowledge';
import type { FastifyInstance, FastifyRequest } from 'fastify';

type FileParams = { Params: { file_id: string } };

/** Room for the multipart framing and the `purpose` field around the file itself. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

const tooLarge = (maxBytes: number) => new GatewayError('request_too_large', `The file is larger than this server's limit of ${maxBytes} bytes (files.max_bytes).`, { param: 'file' });

/** The multipart plugin's limit errors, in the catalog; anything else is left to the error envelope. */
function fromMultipartError(error: unknown, maxBytes: number): unknown {
  switch ((error as { code?: unknown } | null)?.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(maxBytes);
    case 'FST_FILES_LIMIT':
      return new GatewayError('invalid_value', "Invalid value for 'file': send one file per request.", { param: 'file' });
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new GatewayError('invalid_value', "The form has more fields than 'file' and 'purpose'.");
    default:
      return error;
  }
}

/**
 * Reads the file part, stopping at the first byte over the limit: the upload is refused as soon as it
 * is known to be too large, without waiting for the rest of it.
 */
async function readFilePart(stream: NodeJS.ReadableStream & { truncated: boolean }, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    if (stream.truncated) throw tooLarge(maxBytes);
    chunks.push(chunk as Buffer);
  }
  if (stream.truncated) throw tooLarge(maxBytes);
  return Buffer.concat(chunks);
}

/** The `POST /v1/files` form: its text fields and its one file, at most `maxBytes` of it. */
async function readUploadForm(request: FastifyRequest, maxBytes: number): Promise<FileUploadForm> {
  // A declared length over the limit is refused before a byte of the body is read.
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + FORM_OVERHEAD_BYTES) throw tooLarge(maxBytes);
  if (!request.isMultipart()) throw new GatewayError('unsupported_media_type', "Send the file as multipart/form-data with the fields 'file' and 'purpose'.");
  const fields = new Map<string, string>();
  let file: UploadedFile | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (part.valueTruncated || part.fieldnameTruncated) throw new GatewayError('invalid_value', `Invalid value for '${part.fieldname}': it is too long.`, { param: part.fieldname });
        fields.set(part.fieldname, String(part.value));
        continue;
      }
      const content = await readFilePart(part.file, maxBytes);
      file = { fieldname: part.fieldname, filename: part.filename, mimetype: part.mimetype, content };
    }
  } catch (error) {
    throw fromMultipartError(error, maxBytes);
  }
  return { fields, file };
}

/**
 * The Files API: `POST /v1/files` (multipart, `purpose` `assistants` or `user_data`, text files up to
 * `files.max_bytes`), `GET /v1/files`, `GET /v1/files/{file_id}`, `GET /v1/files/{file_id}/content`
 * and `DELETE /v1/files/{file_id}`. Registered as its own scope so multipart parsing exists for these
 * routes only; the bytes are stored by the embedder, where every replica can read them.
 */
export async function filesRoutes(app: FastifyInstance): Promise<void> {
  const maxBytes = app.knowledgeConfig.files.maxBytes;
  await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 4, parts: 5, fieldSize: 1024, fieldNameSize: 100, headerPairs: 50 } });

  app.post('/v1/files', async (request) => {
    const operation = decodeFileUpload(await readUploadForm(request, maxBytes));
    return toOpenAIFile(await app.knowledge.run(request.tenant, operation));
  });

  app.get('/v1/files', async (request) => toFileList(await app.knowledge.run(request.tenant, decodeListFiles(request.query))));

  app.get<FileParams>('/v1/files/:file_id', async (request) => toOpenAIFile(await app.knowledge.run(request.tenant, decodeFileRequest('file.get', request.params.file_id))));

  app.get<FileParams>('/v1/files/:file_id/content', async (request, reply) => {
    const { contentType, body } = toFileContent(await app.knowledge.run(request.tenant, decodeFileRequest('file.content', request.params.file_id)));
    return reply.type(contentType).send(body);
  });

  app.delete<FileParams>('/v1/files/:file_id', async (request) => toFileDeleted(await app.knowledge.run(request.tenant, decodeFileRequest('file.delete', request.params.file_id))));
}
