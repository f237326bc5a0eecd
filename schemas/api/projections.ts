import { z } from 'zod';

export const ProjectionStatus = z.object({
  name: z.string(),
  version: z.number().int(),
  /** This process' runner: running, standby (another process owns it), rebuilding, failed, stopped; `unknown` when no runner here. */
  runner: z.enum(['starting', 'standby', 'running', 'rebuilding', 'stopped', 'failed', 'unknown']),
  generation: z.number().int().nullable(),
  position: z.string().nullable(),
  eventsProcessed: z.number().int(),
  lagEvents: z.number().int().nullable(),
  /** How long the oldest unprocessed event has waited. */
  lagSeconds: z.number().nullable(),
  lastEventAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
  deadLetters: z.number().int(),
  lastError: z.string().nullable(),
  rebuild: z
    .object({
      generation: z.number().int(),
      eventsProcessed: z.number().int(),
      totalEvents: z.number().int().nullable(),
      startedAt: z.string(),
    })
    .nullable(),
});
export type ProjectionStatus = z.infer<typeof ProjectionStatus>;

export const ProjectionList = z.object({ projections: z.array(ProjectionStatus) });

export const RebuildAccepted = z.object({
  name: z.string(),
  requestId: z.number().int(),
  status: z.literal('requested'),
});
