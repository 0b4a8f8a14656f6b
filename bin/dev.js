#!/usr/bin/env node
// Development entry: runs the compiled commands after `npm run build` (no transpiler at run time),
// through the same entry as bin/run.js, with oclif's debug output on. CommonJS, as bin/run.js.
'use strict'
process.env.NODE_ENV = 'development'
import('@oclif/core/settings').then(({settings}) => {
  settings.debug = true
  require('./run.js')
})
