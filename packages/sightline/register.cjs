// `node -r sightline/register` (require) lands here; `--import` gets the ES module entry.
// Telemetry has to be fully set up (an asynchronous start) before the app's first
// import, which a require hook cannot wait for, so this entry says what to do instead
// and, like every telemetry problem, does not stop the app, unless
// SIGHTLINE_STRICT_CONFIG=true asks for start-up problems to be fatal.
'use strict';

const message =
  'sightline: `-r sightline/register` cannot start telemetry: the register entry must finish its asynchronous start ' +
  'before the app loads, which only --import allows. Start the app with `node --import sightline/register app.js` ' +
  '(CommonJS apps included). The app runs without telemetry.';

if (String(process.env.SIGHTLINE_STRICT_CONFIG).trim().toLowerCase() === 'true') throw new Error(message);
process.stderr.write(`${message}\n`);
