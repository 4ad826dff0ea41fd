import { z } from 'zod';
import { nonEmpty, nonNegInt } from '../../http/validation.js';

export const executeInput = z.object({
  statement: nonEmpty(),
  warehouse_id: nonEmpty(),
  catalog: z.string().optional(),
  schema: z.string().optional(),
  parameters: z
    .array(
      z.object({
        name: nonEmpty(),
        value: z.string().nullable().optional(),
        type: z.string().optional(),
      }),
    )
    .optional(),
  wait_timeout: z.string().optional(),
  on_wait_timeout: z.enum(['CONTINUE', 'CANCEL']).optional(),
  disposition: z.enum(['INLINE', 'EXTERNAL_LINKS']).optional(),
  format: z.enum(['JSON_ARRAY', 'ARROW_STREAM', 'CSV']).optional(),
  row_limit: nonNegInt().optional(),
  byte_limit: nonNegInt().optional(),
});
export type ExecuteInput = z.output<typeof executeInput>;

export const noInput = z.object({});
