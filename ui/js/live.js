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

/** A sensor reports every 10 s: after a minute with no frame it is silent (no frame yet: not). */
export const SILENT_AFTER_MS = 60000;
export function isSilent(lastMs, nowMs, afterMs = SILENT_AFTER_MS) {
  return lastMs > 0 && nowMs - lastMs > afterMs;
}
