package org.bootaudit.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The entry point: reads Linux audit logs into ordered {@link FileEvent}s.
 *
 * <pre>{@code
 * try (EventStream events = AuditLog.reader().source(Path.of("/var/log/audit")).open()) {
 *   events.forEachRemaining(e -> System.out.println(e.op() + " " + e.path()));
 *   System.out.println(events.summary().boots().get(0).loss());
 * }
 * }</pre>
 *
 * <p>Inputs may be auditd's audit.log in RAW or ENRICHED format, plain or gzip-compressed, whole
 * rotated sets (read oldest first), or kernel logs (dmesg, journal) holding {@code audit: type=}
 * lines.
 */
public final class AuditLog {

  private AuditLog() {}

  /** A new reader configuration with defaults: strict, until the first login, 64 KiB lines. */
  public static Reader reader() {
    return new Reader();
  }

  /** Configures and opens a read. Not thread-safe; each {@link #open()} starts a fresh read. */
  public static final class Reader {

    /** auditd's records are at most ~9 KiB; ENRICHED ones somewhat more. */
    public static final int DEFAULT_MAX_LINE = 64 * 1024;

    private final List<Path> paths = new ArrayList<>();
    private final List<LogInput> streams = new ArrayList<>();
    private ErrorMode mode = ErrorMode.STRICT;
    private InputFormat format = InputFormat.AUTO;
    private BootWindow window = BootWindow.untilLogin();
    private int maxLine = DEFAULT_MAX_LINE;
    private int threads = Runtime.getRuntime().availableProcessors();
    private int batchBytes = ParallelLines.DEFAULT_BATCH_BYTES;

    private Reader() {}

    /**
     * Adds a file (plain or gzip) or a directory (its audit.log set). Members of a rotated set
     * given together are read oldest first whatever their order here.
     */
    public Reader source(Path path) {
      paths.add(Objects.requireNonNull(path));
      return this;
    }

    /** Adds several files or directories, as {@link #source(Path)}. */
    public Reader sources(List<Path> more) {
      more.forEach(this::source);
      return this;
    }

    /** Adds a stream, read after the paths; {@code name} is used in messages. */
    public Reader source(InputStream in, String name) {
      Objects.requireNonNull(in);
      streams.add(new LogInput(name, () -> in));
      return this;
    }

    /** The inputs' form; default {@link InputFormat#AUTO}, decided per input from its first line. */
    public Reader format(InputFormat inputFormat) {
      this.format = Objects.requireNonNull(inputFormat);
      return this;
    }

    /** What to do with bad lines; default {@link ErrorMode#STRICT}. */
    public Reader errorMode(ErrorMode errorMode) {
      this.mode = Objects.requireNonNull(errorMode);
      return this;
    }

    /** Which part of each boot to return; default {@link BootWindow#untilLogin()}. */
    public Reader window(BootWindow bootWindow) {
      this.window = Objects.requireNonNull(bootWindow);
      return this;
    }

    /** The highest {@link #maxLineLength(int)}: the line buffer is at most twice it. */
    public static final int MAX_MAX_LINE = 16 << 20;

    /** Longest line accepted, in bytes, from 256 to {@link #MAX_MAX_LINE}; longer lines are bad input. */
    public Reader maxLineLength(int bytes) {
      if (bytes < 256 || bytes > MAX_MAX_LINE) {
        throw new IllegalArgumentException(
            "maxLineLength must be at least 256 and at most " + MAX_MAX_LINE + ", was " + bytes);
      }
      this.maxLine = bytes;
      return this;
    }

    /**
     * How many threads may read, the caller's included; default the number of processors. With
     * two or more, one thread reads ahead (and undoes gzip) and parses the records, with more,
     * further threads parse; the caller's thread assembles and classifies. The events, summary
     * and errors are the same whatever the number: {@code 1} reads on the caller's thread only.
     * The threads end with the input or when the stream is closed: close a stream that is left
     * before its end.
     */
    public Reader threads(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("threads must be at least 1, was " + count);
      }
      this.threads = count;
      return this;
    }

    /** Bytes of lines handed to a parsing thread at a time; tests vary it. */
    Reader batchBytes(int bytes) {
      this.batchBytes = bytes;
      return this;
    }

    /**
     * Opens the inputs and returns their events.
     *
     * @throws IOException when a path cannot be read or a directory holds no audit.log
     */
    public EventStream open() throws IOException {
      List<LogInput> inputs = new ArrayList<>();
      for (Path p : LogInput.order(paths)) {
        inputs.add(LogInput.of(p));
      }
      inputs.addAll(streams);
      if (inputs.isEmpty()) {
        throw new IllegalStateException("no source given");
      }
      return new EventStream(inputs, format, mode, window, maxLine, threads, batchBytes);
    }
  }
}
