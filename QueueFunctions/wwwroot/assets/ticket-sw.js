// The patient page's service worker, served at /ticket-sw.js so that its scope can be /ticket. It shows the pushes the
// app sends (already written in the page's language) when the page is closed or the phone is locked, and opens the
// ticket when one is tapped.

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", event => event.waitUntil(self.clients.claim()));

function readPush(event) {
  try {
    return event.data ? event.data.json() : {};
  } catch {
    return {};
  }
}

async function show(data) {
  // An open, visible ticket page alerts by itself (sound, vibration, its own banner): no second alert from here.
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  if (windows.some(w => w.visibilityState === "visible" && new URL(w.url).pathname === "/ticket")) return;
  const english = data.lang === "en";
  await self.registration.showNotification(data.title || "دوري — My turn", {
    body: data.body || "",
    lang: english ? "en" : "ar",
    dir: english ? "ltr" : "rtl",
    tag: `queue-${data.clinic}-${data.number}`,
    renotify: true,
    requireInteraction: data.type === "YOUR_TURN",
    vibrate: data.type === "YOUR_TURN" ? [400, 150, 400, 150, 400] : [150],
    data: { url: data.url || "/ticket" },
  });
}

self.addEventListener("push", event => event.waitUntil(show(readPush(event))));

self.addEventListener("notificationclick", event => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || "/ticket", self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const open = windows.find(w => w.url === url.href);
    if (open) await open.focus();
    else await self.clients.openWindow(url.href);
  })());
});
