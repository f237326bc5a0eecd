/**
 * Where to go after signing in: only a dashboard path of this site (an open redirect to
 * `//evil.example` or `/dashboard/../api` must not come out of it), and never the sign-in page.
 */
export const safeNextPath = (value: unknown): string => {
  if (typeof value !== 'string' || value.length > 500) return '/dashboard';
  if (!/^\/dashboard(?:[/?][^\s\\]*)?$/.test(value)) return '/dashboard';
  // Dot segments, also percent-encoded ones (URL parsers resolve `%2e%2e` as `..`).
  if (/(^|\/)(\.|%2e){1,2}(\/|\?|$)/i.test(value.split('?')[0]!)) return '/dashboard';
  if (value.startsWith('/dashboard/sign-')) return '/dashboard';
  return value;
};
