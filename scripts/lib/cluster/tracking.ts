import { isApplication } from '../repo/application.ts';
import type { KubeObject } from '../repo/resource.ts';

/** Argo CD's resource tracking: the annotation (default since 3.0) `<app>:<group>/<kind>:<ns>/<name>`. */
export const TRACKING_ID = 'argocd.argoproj.io/tracking-id';
/** …or, with label tracking, the instance label holding the Application's name. */
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';

/**
 * The Application among `apps` that tracks a live object, by its tracking annotation (the app part,
 * `<namespace>_<name>` when apps live outside Argo CD's namespace) or its instance label.
 */
export function trackedBy(o: KubeObject, apps: ReadonlySet<string>): string | undefined {
  const tracking = o.metadata?.annotations?.[TRACKING_ID];
  if (tracking !== undefined) {
    const app = tracking.split(':')[0]!.split('_').at(-1)!;
    return apps.has(app) ? app : undefined;
  }
  const instance = o.metadata?.labels?.[INSTANCE_LABEL];
  return instance !== undefined && apps.has(instance) && !isApplication(o) ? instance : undefined;
}
