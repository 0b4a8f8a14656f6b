#!/usr/bin/env node
// Entry point. `@oclif/core/execute` is the lightest oclif entry (the index pulls in help and ux).
import {execute} from '@oclif/core/execute'

await execute({dir: import.meta.url})
