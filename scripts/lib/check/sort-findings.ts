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

/** The same problem found in several environments (a shared base) is reported once, listing the environments. */
export function mergeAcrossEnvironments(findings: Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.rule}\0${f.file}\0${f.line}\0${f.message}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { ...f });
    else if (!seen.env.split(',').includes(f.env)) seen.env = `${seen.env},${f.env}`;
  }
  return [...byKey.values()];
}
