#!/usr/bin/env node
import { runDaemon } from './daemon-script.js';

runDaemon();
