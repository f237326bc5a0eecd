/**
 * SQL (a CTE body) for the AI's score of each reviewed session per skill: the mean of the
 * session's insights on each rubric version, keyed like the reviews by rubric id, version and
 * skill key as text. `$sessions` is the set to read.
 */
export const aiSessionScoresSql = (sessions: string) => `
  SELECT i.session_id, i.rubric_id, i.rubric_version, s.key AS skill, avg(s.value::numeric) AS score
    FROM conversation_insights i
    CROSS JOIN LATERAL jsonb_each_text(i.scores) s(key, value)
   WHERE i.session_id IN (${sessions})
   GROUP BY i.session_id, i.rubric_id, i.rubric_version, s.key`;
