#!/usr/bin/env node
// Development entry: runs the compiled commands after `npm run build` (no transpiler at run time),
// through the same entry as bin/run.js, with oclif's debug output on.
import {settings} from '@oclif/core/settings'

process.env.NODE_ENV = 'development'
settings.debug = true
await import('./run.js')
