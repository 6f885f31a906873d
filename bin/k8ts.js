#!/usr/bin/env node
// The published entry point: runs the compiled CLI (built by `npm run build`, also run by `npm install`).
import '../dist/cmd/main.js';
