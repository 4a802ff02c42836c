package org.bootaudit.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.BootWindow;
import org.bootaudit.core.ErrorMode;
import org.bootaudit.core.EventStream;

/**
 * The benchmarks' input: a real audit log held in memory as one byte[].
 *
 * <p>System properties (set them with {@code -jvmArgs "-Dname=value"} on the JMH command line, or
 * on the host JVM, whose arguments the forks inherit):
 *
 * <ul>
 *   <li>{@code bootaudit.bench.log}: the log file. Default: the repository's {@code
 *       samples/workload/raw/audit.log}, looked up from the working directory and its parents.
 *   <li>{@code bootaudit.bench.minMB}: the file is concatenated with itself until the input holds at
 *       least this many MiB (default 50). Serials are not rewritten: the parser sees each copy's
 *       DAEMON_START/serial reset as a new boot, which does not matter for throughput. A corpus
 *       already larger than this is used as is.
 *   <li>{@code bootaudit.bench.errorMode}: STRICT (default) or LENIENT.
 * </ul>
 */
public final class BenchInput {

  static final String SAMPLE = "samples/workload/raw/audit.log";

  private BenchInput() {}

  /** Loads the configured log into memory (replicated up to the minimum size). */
  public static byte[] load() {
    Path log = logPath();
    long minBytes = Long.getLong("bootaudit.bench.minMB", 50L) * 1024 * 1024;
    try {
      byte[] once = Files.readAllBytes(log);
      if (once.length == 0) {
        throw new IllegalStateException(log + " is empty");
      }
      if (once.length >= minBytes) {
        return once;
      }
      boolean endsWithNewline = once[once.length - 1] == '\n';
      int unit = once.length + (endsWithNewline ? 0 : 1);
      long copies = (minBytes + unit - 1) / unit;
      if (copies * unit > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("bootaudit.bench.minMB too large for one byte[]");
      }
      byte[] all = new byte[(int) (copies * unit)];
      for (int i = 0; i < copies; i++) {
        System.arraycopy(once, 0, all, i * unit, once.length);
        if (!endsWithNewline) {
          all[i * unit + once.length] = '\n';
        }
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }

  /**
   * Opens the full pipeline (read, parse, assemble, classify) over {@code bytes} on {@code
   * threads} threads (1: the caller's only).
   */
  public static EventStream open(byte[] bytes, int threads) throws IOException {
    return AuditLog.reader()
        .source(new ByteArrayInputStream(bytes), "bench")
        .threads(threads)
        .window(BootWindow.all())
        .errorMode(errorMode())
        .open();
  }

  static ErrorMode errorMode() {
    return ErrorMode.valueOf(System.getProperty("bootaudit.bench.errorMode", "STRICT"));
  }

  static Path logPath() {
    String p = System.getProperty("bootaudit.bench.log");
    if (p != null && !p.isEmpty()) {
      Path path = Path.of(p);
      if (!Files.isRegularFile(path)) {
        throw new IllegalStateException("bootaudit.bench.log: no such file: " + p);
      }
      return path;
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(SAMPLE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("set -Dbootaudit.bench.log=FILE (no " + SAMPLE + " above "
        + Path.of("").toAbsolutePath() + ")");
  }

  /** One line for the benchmark log: what is measured. */
  static String describe(byte[] bytes) {
    return String.format(
        "bootaudit bench input: %s, %.1f MiB in memory (%d bytes), errorMode=%s",
        logPath(), bytes.length / (1024.0 * 1024.0), bytes.length, errorMode());
  }
}
