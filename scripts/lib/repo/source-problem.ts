/**
 * Something wrong with the sources themselves, found while reading or rendering them: a file that
 * does not parse, a path a kustomization lists that is not there, a build kustomize refuses. The
 * walk turns each into a finding of its environment.
 */
export interface SourceProblem {
  rule: 'yaml/syntax' | 'render/missing-file' | 'render/kustomize';
  message: string;
  /** Repo-relative path. */
  file: string;
  line: number;
  column?: number;
  hint: string;
  /** Problems that only follow from this one (a build that fails because a file does not parse). */
  followers?: SourceProblem[];
}
