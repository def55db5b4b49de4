#!/usr/bin/env node
// Outside dist/ so that installing the workspace can link the bin before the first build.
import '../dist/main.js';
