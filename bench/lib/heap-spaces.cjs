// Preloaded into an app by bench/memory.mjs: every second, V8's heap spaces and the process's memory
// usage to $BENCH_HEAP_FILE, so the bench can say where the app's private memory sits after load.
'use strict';
const { writeFileSync } = require('node:fs');
const v8 = require('node:v8');

const file = process.env.BENCH_HEAP_FILE;
if (file) {
  setInterval(() => {
    const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.physical_space_size]));
    const { external, arrayBuffers } = process.memoryUsage();
    writeFileSync(`${file}.${process.pid}`, JSON.stringify({ spaces, external, arrayBuffers }));
  }, 1000).unref();
}
