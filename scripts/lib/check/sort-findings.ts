import type { Finding } from './finding.ts';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      ORDER[a.severity] - ORDER[b.severity] ||
      a.rule.localeCompare(b.rule) ||
      a.env.localeCompare(b.env) ||
      a.message.localeCompare(b.message),
  );
}

const keyOf = (f: Finding) => `${f.rule}\0${f.severity}\0${f.file}\0${f.line}\0${f.message}`;

/**
 * The same problem found in several environments (a shared base) is reported once, listing the
 * environments; what follows from it in each environment is folded under the one report.
 */
export function mergeAcrossEnvironments(findings: Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    const key = keyOf(f);
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...f });
      continue;
    }
    if (!seen.env.split(',').includes(f.env)) seen.env = `${seen.env},${f.env}`;
    if (f.followers?.length)
      seen.followers = mergeAcrossEnvironments([...(seen.followers ?? []), ...f.followers]);
  }
  return [...byKey.values()];
}
