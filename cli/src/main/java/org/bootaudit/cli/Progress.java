package org.bootaudit.cli;

import java.io.PrintStream;
import org.bootaudit.core.EventStream;

/** A one-line progress display on stderr, only when stderr is a terminal. */
final class Progress {

  private final EventStream events;
  private final long total;
  private final PrintStream err;
  private final boolean enabled;
  private long nextAt;
  private int calls;
  private boolean shown;

  Progress(EventStream events, long total) {
    this.events = events;
    this.total = total;
    this.err = System.err;
    this.enabled = System.console() != null && System.getenv("TERM") != null;
    this.nextAt = System.nanoTime() + 1_000_000_000L;
  }

  void tick() {
    if (!enabled || (++calls & 1023) != 0 || System.nanoTime() < nextAt) {
      return;
    }
    nextAt = System.nanoTime() + 500_000_000L;
    long read = events.bytesRead() >> 20;
    err.print(total > 0 ? "\rread " + read + " of " + (total >> 20) + " MiB" : "\rread " + read + " MiB");
    err.flush();
    shown = true;
  }

  void done() {
    if (shown) {
      err.print("\r\033[K");
      err.flush();
    }
  }
}
