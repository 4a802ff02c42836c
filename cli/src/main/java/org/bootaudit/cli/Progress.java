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
    this.enabled = stderrIsTerminal();
    this.nextAt = System.nanoTime() + 1_000_000_000L;
  }

  /** Linux only, like the logs this reads: where does fd 2 point? */
  static boolean stderrIsTerminal() {
    try {
      String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/2"))
          .toString();
      return target.startsWith("/dev/pts/")
          || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    } catch (java.io.IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  void tick() {
    if (!enabled || (++calls & 1023) != 0 || System.nanoTime() < nextAt) {
      return;
    }
    nextAt = System.nanoTime() + 500_000_000L;
    long read = events.bytesRead() >> 20;
    err.print(
        total > 0 ? "\rread " + read + " of " + (total >> 20) + " MiB" : "\rread " + read + " MiB");
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
