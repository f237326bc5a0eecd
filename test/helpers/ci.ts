/**
 * Whether this run is a strict CI run: `CI` set to any non-empty value other than `false`
 * (GitHub Actions, GitLab and most runners set `CI=true`, some `CI=1`). A strict run turns every
 * "skipped: missing prerequisite" into a failure.
 */
export const ciStrict = (env: NodeJS.ProcessEnv = process.env): boolean => {
  const value = env.CI?.trim();
  return value !== undefined && value !== '' && value.toLowerCase() !== 'false';
};
