import { skillKeys } from '../../schemas/skills.ts';

/**
 * SQL (a CTE body) for the AI's score of each reviewed session per skill: the mean of the
 * session's insights, keyed like the reviews by rubric id, version and skill key as text. Today's
 * insights are all on the `core`/1 rubric (the five skills); `$sessions` is the set to read.
 */
export const aiSessionScoresSql = (sessions: string) => `
  SELECT i.session_id, 'core'::text AS rubric_id, 1 AS rubric_version, s.key AS skill,
         avg(s.value::numeric) AS score
    FROM conversation_insights i
    CROSS JOIN LATERAL jsonb_each_text(jsonb_build_object(${skillKeys.map((k) => `'${k}', i.${k}`).join(', ')})) s(key, value)
   WHERE i.session_id IN (${sessions})
   GROUP BY i.session_id, s.key`;
