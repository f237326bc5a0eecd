/** Links between pages; ids always go into a URL encoded (they come from events, i.e. from outside). */
export const repPath = (userId: string, asOf?: string) =>
  `/dashboard/reps/${encodeURIComponent(userId)}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`;
/** A page with the rubric version it shows (`?rubric=&rubricVersion=`, as in the read API). */
export const withRubric = (path: string, rubric: { id: string; version: number }) =>
  `${path}${path.includes('?') ? '&' : '?'}rubric=${encodeURIComponent(rubric.id)}&rubricVersion=${rubric.version}`;
export const sessionPath = (sessionId: string) => `/dashboard/sessions/${encodeURIComponent(sessionId)}`;
export const documentPath = (documentId: string) => `/dashboard/knowledge/${encodeURIComponent(documentId)}`;
