import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the run's counts as node:test does (`# pass N`, `# fail N`) after Vitest's own
 * report: `.ci/run` sums those lines into its summary, so the stories count with the rest.
 */
export default class CountsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let pass = 0;
    let fail = 0;
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests()) {
        const { state } = test.result();
        if (state === 'passed') pass += 1;
        else if (state === 'failed') fail += 1;
      }
    }
    console.log(`# pass ${pass}\n# fail ${fail}`);
  }
}
