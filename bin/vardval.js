#!/usr/bin/env node
// The CLI is compiled from src/adapters/cli; `npm install` builds it (the prepare script).
import { main } from '../dist/adapters/cli/main.js';

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 70;
  },
);
