// `node -r sightline/register app.js` (require) lands here; `--import` goes straight to the
// ES module entry. That entry starts telemetry asynchronously, and telemetry has to run
// before the app's first `require`, which a require hook cannot wait for. So this file
// starts it and holds back the main module until it has started: Node runs the main
// module through `Module.runMain`, which preloaded modules may wrap (as ts-node and
// other loaders do). Everything the ES module entry promises holds here too: a bad
// setting is one line on stderr and the app runs; with SIGHTLINE_STRICT_CONFIG=true the
// start-up error stops the process before the app runs. Without a main module
// (`node -r sightline/register -e ...`, the REPL) telemetry starts as soon as it can.
'use strict';

const Module = require('node:module');
const { isInternalThread } = require('node:worker_threads');

// Node also preloads `-r` modules into the thread that runs module loader hooks; telemetry
// starts in the app's threads only.
if (!isInternalThread) {
  const started = import('sightline/register');
  const runMain = Module.runMain;
  Module.runMain = function runMainOnceTelemetryStarted(...args) {
    Module.runMain = runMain;
    // The app runs outside the promise chain, so its own errors stay uncaught exceptions.
    started.then(() => process.nextTick(() => runMain.apply(this, args)));
  };
}
