#!/usr/bin/env node
// The `webcoos-sim` command. The package's bin is this file rather than ../dist/cli.js so that it exists before the first
// build: pnpm links every bin at install, and warned for each one whose file was not there yet.
import '../dist/cli.js';
