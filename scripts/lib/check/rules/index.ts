import type { Rule } from '../rule.ts';

/** Every rule, in the order `--list-rules` prints them. Families live one per file beside this one. */
export const ALL_RULES: readonly Rule[] = [];
