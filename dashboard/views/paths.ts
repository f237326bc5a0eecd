/** Links between pages; ids always go into a URL encoded (they come from events, i.e. from outside). */
export const repPath = (userId: string, asOf?: string) =>
  `/dashboard/reps/${encodeURIComponent(userId)}${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`;
export const sessionPath = (sessionId: string) => `/dashboard/sessions/${encodeURIComponent(sessionId)}`;
export const documentPath = (documentId: string) => `/dashboard/knowledge/${encodeURIComponent(documentId)}`;
