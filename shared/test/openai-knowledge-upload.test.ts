import { describe, expect, it } from 'vitest';
import { GatewayError } from '../src/index.js';
import { decodeFileUpload, mediaTypeOf, type FileUploadForm } from '../src/codecs/openai-knowledge/index.js';

const form = (file: Partial<NonNullable<FileUploadForm['file']>> | undefined, fields: Record<string, string> = { purpose: 'assistants' }): FileUploadForm => ({
  fields: new Map(Object.entries(fields)),
  file: file && { fieldname: 'file', filename: 'a.md', mimetype: 'application/octet-stream', content: Buffer.from('# A'), ...file },
});

function refusal(upload: FileUploadForm): { code: string; param: string | null } {
  try {
    decodeFileUpload(upload);
  } catch (error) {
    if (error instanceof GatewayError) return { code: error.code, param: error.param };
    throw error;
  }
  throw new Error('the upload was accepted');
}

describe('decodeFileUpload', () => {
  it('turns an accepted upload into file.create with the bytes in base64', () => {
    expect(decodeFileUpload(form({ filename: ' notes.markdown ', content: Buffer.from('héllo') }, { purpose: 'user_data' }))).toEqual({
      op: 'file.create',
      filename: 'notes.markdown',
      purpose: 'user_data',
      mediaType: 'text/markdown',
      contentBase64: Buffer.from('héllo').toString('base64'),
    });
  });

  it('reads the media type from the extension first, then a text content type', () => {
    expect(mediaTypeOf('a.TXT', 'application/octet-stream')).toBe('text/plain');
    expect(mediaTypeOf('index.htm', '')).toBe('text/html');
    expect(mediaTypeOf('data.json', 'text/plain')).toBe('application/json');
    expect(mediaTypeOf('README', 'text/x-markdown; charset=utf-8')).toBe('text/markdown');
    expect(mediaTypeOf('main.py', 'text/x-python')).toBe('text/plain');
    expect(mediaTypeOf('report.pdf', 'application/pdf')).toBeUndefined();
    expect(mediaTypeOf('blob', 'application/octet-stream')).toBeUndefined();
  });

  it('refuses bytes that are not UTF-8 text, and types it cannot read', () => {
    expect(refusal(form({ content: Buffer.from([0xc3, 0x28]) }))).toEqual({ code: 'unsupported_file', param: 'file' });
    expect(refusal(form({ filename: 'a.txt', content: Buffer.from('a\u0000b') }))).toEqual({ code: 'unsupported_file', param: 'file' });
    expect(refusal(form({ filename: 'photo.png', mimetype: 'image/png' }))).toEqual({ code: 'unsupported_file', param: 'file' });
    expect(refusal(form({ content: Buffer.alloc(0) }))).toEqual({ code: 'invalid_value', param: 'file' });
    expect(refusal(form({ filename: '  ' }))).toEqual({ code: 'invalid_value', param: 'file' });
  });

  it('keeps files for assistants and user_data only', () => {
    expect(refusal(form({}, { purpose: 'batch' }))).toEqual({ code: 'unsupported_value', param: 'purpose' });
    expect(refusal(form({}, { purpose: 'Assistants' }))).toEqual({ code: 'invalid_value', param: 'purpose' });
    expect(refusal(form({}, {}))).toEqual({ code: 'missing_required_parameter', param: 'purpose' });
  });

  it('names fields that do not belong in the form', () => {
    expect(refusal(form(undefined))).toEqual({ code: 'missing_required_parameter', param: 'file' });
    expect(refusal(form({ fieldname: 'document' }))).toEqual({ code: 'unknown_parameter', param: 'document' });
    expect(refusal(form({}, { purpose: 'assistants', 'expires_after[seconds]': '3600', 'expires_after[anchor]': 'created_at' }))).toEqual({ code: 'unsupported_value', param: 'expires_after' });
    expect(refusal(form({}, { purpose: 'assistants', model: 'x' }))).toEqual({ code: 'unknown_parameter', param: 'model' });
  });
});
