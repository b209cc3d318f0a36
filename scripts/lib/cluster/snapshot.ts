import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';
import type { KubeObject } from '../repo/resource.ts';
import { parseYamlStream } from '../repo/yaml-stream.ts';

/** `kubectl get … -o yaml` output (a List, or a multi-document stream) standing in for a cluster. */
export function loadSnapshot(file: string): KubeObject[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(
      'cannot read the snapshot file',
      file,
      undefined,
      'write one with `kubectl get <kinds> -A -o yaml > FILE`',
    );
  }
  const out: KubeObject[] = [];
  for (const doc of parseYamlStream(text, file)) {
    const v = doc.value as KubeObject & { items?: KubeObject[] };
    if (Array.isArray(v.items) && /List$/.test(v.kind ?? '')) out.push(...v.items);
    else out.push(v);
  }
  return out;
}
