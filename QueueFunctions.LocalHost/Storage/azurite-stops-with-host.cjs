// Loaded into Azurite's node process (node --require) by the local host, which holds the other end of its stdin.
// The host runs Azurite in a session of its own, so that a terminal's Ctrl+C reaches the app and not its storage;
// nothing then ends Azurite along with the terminal. Whenever the host's process ends, even by kill -9, the kernel
// closes that pipe: Azurite is then stopped as by Ctrl+C (its data saved) instead of running on unowned.
'use strict';

let stopping = false;
function stop() {
  if (stopping) {
    return;
  }

  stopping = true;
  process.kill(process.pid, 'SIGTERM');

  // Azurite closes its servers within a fraction of a second, then may linger for a minute on its own timers.
  setTimeout(() => process.exit(0), 5000).unref();
}

process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.on('data', () => {});
