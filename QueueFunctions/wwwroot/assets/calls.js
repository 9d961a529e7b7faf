// Which board updates are calls, and the line of calls waiting to be announced. No page or sound here.

/**
 * Tells the calls among a stream's QUEUE_UPDATEs. A call is a clinic's `current` moving to a new non-zero number.
 * Within one numbering (a service day, or the part of it since a reset) `current` only goes up, so a number already
 * seen is a call already made: a reconnect, which sends the state again, or a repeated state calls nobody. A new
 * numbering shows as `length` (the numbers issued so far) going down, so the same number reached again after a reset
 * or on a new day is a new call. The first state a clinic shows after the page opens is what it found, not a call.
 * A board that was offline across a new numbering that reached the number it last saw, with as many numbers issued,
 * cannot tell it apart from no change; it says nothing then.
 */
export function createCallDetector() {
  const seen = new Map();
  return function detect({ clinic, current, length }) {
    const before = seen.get(clinic);
    seen.set(clinic, { current, length });
    if (!before || current === 0) return null;
    if (current === before.current && length >= before.length) return null;
    return { clinic, number: current };
  };
}

/**
 * Announces calls one at a time, in the order they were made. At most one call per clinic waits: a clinic that calls
 * again before its earlier call was announced has moved on, so only its latest number is said, and one that stops
 * serving the waiting number loses it. The line is never longer than the board's clinics, however fast they call.
 * announce(call) returns a promise; the next call starts when it settles.
 */
export function createCallQueue(announce) {
  const waiting = new Map();
  let running = false;

  async function run() {
    if (running) return;
    running = true;
    try {
      while (waiting.size > 0) {
        const [clinic, call] = waiting.entries().next().value;
        waiting.delete(clinic);
        try {
          await announce(call);
        } catch (error) {
          // One failed announcement must not silence the board for the rest of the day.
          console.error("announcement failed", error);
        }
      }
    } finally {
      running = false;
    }
  }

  return {
    /** Adds a call behind the others, in place of its clinic's earlier call that is still waiting. */
    add(call) {
      waiting.delete(call.clinic);
      waiting.set(call.clinic, call);
      run();
    },
    /** The clinic now serves `current`: a waiting call for another of its numbers is out of date. */
    settle(clinic, current) {
      if (waiting.get(clinic)?.number !== current) waiting.delete(clinic);
    },
    get size() {
      return waiting.size;
    },
  };
}
