package org.bootaudit.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.bootaudit.core.FileEvent;

/**
 * Hands events to a writer (or a report's counters) on its own thread, in order, so that that
 * work overlaps reading the log; on one processor it runs on the caller's thread. An error there
 * reaches the caller at its next {@link #add} or at {@link #finish()}, and nothing the sink
 * touches may be read before {@link #finish()} returns.
 */
final class WriteBehind implements AutoCloseable {

  /** What writes one event. */
  interface Sink {
    void write(FileEvent e) throws IOException;
  }

  private static final int BATCH = 512;
  private static final List<FileEvent> END = List.of();

  private final Sink sink;
  private final BlockingQueue<List<FileEvent>> queue;
  private final Thread thread;
  private List<FileEvent> batch = new ArrayList<>(BATCH);
  private volatile Throwable failure;

  WriteBehind(Sink sink) {
    this(sink, Runtime.getRuntime().availableProcessors() > 1);
  }

  WriteBehind(Sink sink, boolean ownThread) {
    this.sink = sink;
    this.queue = ownThread ? new ArrayBlockingQueue<>(8) : null;
    this.thread = ownThread ? new Thread(this::run, "bootaudit-write") : null;
    if (thread != null) {
      thread.setDaemon(true);
      thread.start();
    }
  }

  void add(FileEvent e) throws IOException {
    if (thread == null) {
      sink.write(e);
      return;
    }
    batch.add(e);
    if (batch.size() == BATCH) {
      hand(batch);
      batch = new ArrayList<>(BATCH);
    }
  }

  /** Writes what is left and waits for the writer. */
  void finish() throws IOException {
    if (thread == null) {
      return;
    }
    if (!batch.isEmpty()) {
      hand(batch);
      batch = new ArrayList<>();
    }
    hand(END);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing");
    }
    rethrow();
  }

  private void hand(List<FileEvent> events) throws IOException {
    rethrow();
    try {
      while (!queue.offer(events, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
        rethrow(); // the writer stopped on an error: do not wait for it for ever
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing");
    }
  }

  private void rethrow() throws IOException {
    Throwable t = failure;
    if (t instanceof IOException io) {
      throw io;
    }
    if (t instanceof UncheckedIOException u) {
      throw u.getCause();
    }
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error err) {
      throw err;
    }
  }

  private void run() {
    try {
      while (true) {
        List<FileEvent> events = queue.take();
        if (events == END || Thread.interrupted()) {
          return; // the end, or the caller gave up: a batch at most is still written
        }
        for (FileEvent e : events) {
          sink.write(e);
        }
      }
    } catch (InterruptedException e) {
      // the caller gave up: nothing more to write
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
    }
  }

  /** Stops the writer when the caller ends without {@link #finish()} (an error on its side). */
  @Override
  public void close() {
    if (thread != null && thread.isAlive()) {
      thread.interrupt();
      try {
        thread.join(); // the writer is done with the output before the caller closes it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
