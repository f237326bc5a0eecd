import type { SessionClaims } from './auth/session-token.ts';
import type { Lang } from './i18n/lang.ts';

/** A signed-in request: who, and the CSRF token its forms carry. */
export type DashboardSession = { claims: SessionClaims; csrf: string };

declare module 'hono' {
  interface ContextVariableMap {
    dashboardLang: Lang;
    dashboardSession: DashboardSession;
  }
}
