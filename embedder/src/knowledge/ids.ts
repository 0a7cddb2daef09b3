import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 24 random characters from [A-Za-z0-9] (~143 bits), the shape of OpenAI's object ids. */
function randomSuffix(length = 24): string {
  const bytes = randomBytes(length * 2);
  let suffix = '';
  // Rejection sampling keeps every character equally likely (248 = 4 × 62).
  for (const byte of bytes) {
    if (byte < 248) suffix += ALPHABET[byte % 62];
    if (suffix.length === length) return suffix;
  }
  return suffix + randomSuffix(length - suffix.length);
}

export const newFileId = () => `file-${randomSuffix()}`;
export const newVectorStoreId = () => `vs_${randomSuffix()}`;
export const newBatchId = () => `vsfb_${randomSuffix()}`;
export const newRevision = () => randomSuffix(16);
