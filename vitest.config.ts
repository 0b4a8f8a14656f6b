import {defineConfig} from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    disableConsoleIntercept: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    isolate: false,
    maxWorkers: 3,
    // The build is loaded by Node itself, as bin/run.js loads it: the in-process runner
    // (test/helpers/in-process.ts) and the command files oclif imports share one module instance each.
    server: {deps: {external: [/\/dist\//]}},
  },
})
