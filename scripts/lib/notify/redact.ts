/** Slack webhook URLs and tokens: never printed, whatever path a string takes to the terminal. */
const PATTERNS = [/https?:\/\/hooks\.slack(?:-gov)?\.com\/[^\s"')]+/gi, /\bxox[abposr]-[A-Za-z0-9-]+/g];

export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('[redacted]');
  for (const p of PATTERNS) out = out.replace(p, '[redacted]');
  return out;
}
