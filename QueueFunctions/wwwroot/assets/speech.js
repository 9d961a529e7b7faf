// The browser's speech synthesis, one utterance at a time, in a language only where the browser has a voice for it.

/**
 * The longest one utterance may hold the board: some engines never end an utterance (after the device slept, or
 * when the voice is a network one that lost its connection), and every later call would wait behind it. A call is
 * a few words, said in about 3 s.
 */
const UTTERANCE_LIMIT_MS = 12000;

// Chrome drops an utterance that nothing references any more before it ends, and its end event is then never fired.
let speaking = null;

function synthesis() {
  return "speechSynthesis" in window && "SpeechSynthesisUtterance" in window ? window.speechSynthesis : null;
}

// Chrome starts loading its voices on the first request for them and answers with none until they are in: asking
// now means they are there by the first call.
synthesis()?.getVoices();

/**
 * A voice for a language ("ar", "en"), or null. Voices on the device itself come first: a network voice needs the
 * internet, which a clinic's LAN may not give the TV.
 */
export function voiceFor(language) {
  const voices = synthesis()?.getVoices() ?? [];
  const matching = voices.filter(voice => voice.lang.replace("_", "-").toLowerCase().split("-")[0] === language);
  return matching.find(voice => voice.localService) ?? matching[0] ?? null;
}

/**
 * Says text in a language and resolves once it has been said, failed, been silenced, or overrun its time; at once
 * where there is no voice for the language. Resolves to whether it was said in full.
 */
export function speak(text, language) {
  const engine = synthesis();
  const voice = voiceFor(language);
  if (!engine || !voice) return Promise.resolve(false);
  return new Promise(resolve => {
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = language;
    utterance.voice = voice;
    let guard = null;
    const finish = said => {
      clearTimeout(guard);
      if (speaking === utterance) speaking = null;
      resolve(said);
    };
    utterance.addEventListener("end", () => finish(true));
    utterance.addEventListener("error", () => finish(false));
    guard = setTimeout(() => {
      // Clearing the engine's own queue too, or the stuck utterance would still be ahead of the next one.
      engine.cancel();
      finish(false);
    }, UTTERANCE_LIMIT_MS);
    speaking = utterance;
    engine.speak(utterance);
  });
}

/** Stops what is being said now; its speak() resolves. */
export function silence() {
  if (speaking) synthesis()?.cancel();
}
