// The overview's live stream, read with fetch: EventSource cannot send the staff key as a header, and a key in the
// address would end up in logs and the browser's history.

const QUIET_LIMIT = 45000;

/**
 * Follows a Server-Sent Events stream that needs a header, and keeps following it: after the server ends a stream
 * (its regular end) it opens a new one at once; after a failure it waits longer each time. onState gets "live" or
 * "reconnecting" (only when a new stream has not opened within a moment); onUnauthorized ends it.
 */
export function followWithKey(url, key, { onMessage, onState, onUnauthorized }) {
  let stopped = false;
  let controller = null;
  let notice = null;

  const reconnecting = () => {
    if (notice === null) notice = setTimeout(() => onState("reconnecting"), 2500);
  };
  const live = () => {
    clearTimeout(notice);
    notice = null;
    onState("live");
  };

  const read = async () => {
    controller = new AbortController();
    // A connection that went silent (heartbeats stopped) is given up, not waited on for ever.
    let quiet = setTimeout(() => controller.abort(), QUIET_LIMIT);
    const heard = () => {
      clearTimeout(quiet);
      quiet = setTimeout(() => controller.abort(), QUIET_LIMIT);
    };
    try {
      const response = await fetch(url, { headers: { "x-functions-key": key, Accept: "text/event-stream" }, cache: "no-store", signal: controller.signal });
      if (response.status === 401) return "unauthorized";
      if (!response.ok || !response.body) return "failed";
      live();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return "ended";
        heard();
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split("\n").filter(line => line.startsWith("data:")).map(line => line.slice(5).replace(/^ /, "")).join("\n");
          if (data) onMessage(JSON.parse(data));
        }
      }
    } catch {
      return "failed";
    } finally {
      clearTimeout(quiet);
    }
  };

  (async () => {
    let delay = 1000;
    while (!stopped) {
      const outcome = await read();
      if (stopped) return;
      if (outcome === "unauthorized") {
        onUnauthorized();
        return;
      }
      reconnecting();
      if (outcome === "ended") {
        delay = 1000;
        continue;
      }
      await new Promise(resolve => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 15000);
    }
  })();

  return {
    close() {
      stopped = true;
      clearTimeout(notice);
      controller?.abort();
    },
  };
}
