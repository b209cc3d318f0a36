/**
 * The environment a repo path belongs to: the segment after its last `overlays` folder
 * (`platform/web/overlays/prod/x.yaml` → prod); undefined outside any `overlays/<env>`.
 */
export function overlayEnvironment(repoPath: string): string | undefined {
  const segments = repoPath.split('/');
  const i = segments.lastIndexOf('overlays');
  return i >= 0 ? segments[i + 1] : undefined;
}
