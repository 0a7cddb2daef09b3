import { z } from 'zod';

/**
 * Something an adapter could not do as asked, told rather than hidden: a setting its provider has no
 * equivalent for (and was not sent), or another compromise.
 */
export const callWarningSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('unsupported-setting'), setting: z.string(), details: z.string().optional() }),
  z.object({ type: z.literal('other'), message: z.string() }),
]);
export type CallWarning = z.infer<typeof callWarningSchema>;
