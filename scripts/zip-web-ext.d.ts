/** The part of web-ext's programmatic API scripts/zip.ts uses (web-ext ships no types). */
declare module 'web-ext' {
  interface LintMessage {
    code: string;
    message: string;
    file?: string;
  }
  interface LintResult {
    errors: LintMessage[];
    warnings: LintMessage[];
    notices: LintMessage[];
  }
  const webExt: {
    cmd: {
      lint(
        params: {
          sourceDir: string;
          output: 'json' | 'text' | 'none';
          warningsAsErrors: boolean;
          selfHosted: boolean;
        },
        options: { shouldExitProgram: boolean },
      ): Promise<LintResult>;
    };
  };
  export default webExt;
}
