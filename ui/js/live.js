// The live stream (SSE /api/v1/live). EventSource retries by itself after a dropped connection;
// when the server refuses (503 too many streams, 401) it gives up, so we reopen with a backoff.

const MAX_BACKOFF_MS = 30000;

export class LiveStream {
  constructor(url, { onSample, onState }) {
    this.url = url;
    this.onSample = onSample;
    this.onState = onState || (() => {});
    this.backoff = 1000;
    this.timer = null;
    this.es = null;
    this.closed = false;
  }

  open() {
    if (this.closed) return;
    this.onState('connecting');
    const es = new EventSource(this.url);
    this.es = es;
    es.onopen = () => { this.backoff = 1000; this.onState('open'); };
    es.addEventListener('sample', (ev) => {
      try { this.onSample(JSON.parse(ev.data)); } catch { /* a malformed event is skipped */ }
    });
    es.onerror = () => {
      if (this.closed) return;
      this.onState('reconnecting');
      if (es.readyState === EventSource.CLOSED) {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.open(), this.backoff);
        this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
      }
    };
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    this.es?.close();
  }
}

/** A sensor reports every few seconds: after a minute with no frame it is silent. */
export const SILENT_AFTER_MS = 60000;

/**
 * Since when a sensor is silent, or 0 when it is not: its last frame, or its pairing when it
 * never sent one (a sensor paired and never heard is silent from then on).
 */
export function silentSince(lastMs, createdMs, nowMs, afterMs = SILENT_AFTER_MS) {
  const since = lastMs > 0 ? lastMs : createdMs > 0 ? createdMs : 0;
  return since > 0 && nowMs - since > afterMs ? since : 0;
}
