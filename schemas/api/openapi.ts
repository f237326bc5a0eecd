import { z } from 'zod';

/** The outline of `GET /api/v1/openapi.json`; the document itself is assembled in read-api/openapi. */
export const OpenApiDocument = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.record(z.string(), z.unknown()).optional(),
});
export type OpenApiDocument = z.infer<typeof OpenApiDocument>;
