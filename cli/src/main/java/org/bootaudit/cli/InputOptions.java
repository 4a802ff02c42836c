package org.bootaudit.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.bootaudit.analysis.AtimeConfig;
import org.bootaudit.analysis.TimeSyntax;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.BootWindow;
import org.bootaudit.core.ErrorMode;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.InputFormat;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Options shared by the commands that read logs. */
final class InputOptions {

  @Parameters(
      arity = "1..*",
      paramLabel = "LOG",
      description =
          "audit.log files (plain or .gz), directories holding an audit.log set, kernel logs, or - for stdin.")
  List<String> logs = new ArrayList<>();

  @Option(
      names = "--lenient",
      description =
          "Skip bad lines, counting and locating them in the summary (default: stop at the first).")
  boolean lenient;

  @Option(
      names = "--until",
      paramLabel = "WHEN",
      defaultValue = "login",
      description =
          "End of each boot's window: login (first getty/display manager start or login; default), all, serial:N, or a TIME.")
  String until = "login";

  @Option(
      names = "--tz",
      paramLabel = "ZONE",
      description =
          "Zone of times given without one, such as Europe/Berlin or UTC (default: this host's); for logs of a host in another zone.")
  String tz;

  @Option(
      names = "--max-line-length",
      paramLabel = "BYTES",
      defaultValue = "65536",
      description = "Longest line accepted (default ${DEFAULT-VALUE}).")
  int maxLine = 65536;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @Option(
      names = "--input-format",
      paramLabel = "FORM",
      defaultValue = "auto",
      description =
          "auto (default: from each input's first line), audit-log, kernel-log or bootprobe (the systemtap script's log).")
  String inputFormat = "auto";

  EventStream open() throws IOException {
    AuditLog.Reader reader = AuditLog.reader()
        .errorMode(lenient ? ErrorMode.LENIENT : ErrorMode.STRICT)
        .window(window())
        .format(format());
    try {
      reader.maxLineLength(maxLine);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this), "--max-line-length: " + e.getMessage());
    }
    for (String log : logs) {
      if (log.equals("-")) {
        reader.source(System.in, "<stdin>");
      } else {
        reader.source(Path.of(log));
      }
    }
    return reader.open();
  }

  /**
   * Total size of the named inputs as the reader counts them (decompressed bytes), for progress;
   * 0 when unknown. A gzip file counts its trailer's size (modulo 4 GiB, as gzip keeps it); a
   * directory, the files of its audit.log set.
   */
  long totalBytes() {
    long total = 0;
    for (String log : logs) {
      Path p = Path.of(log);
      if (java.nio.file.Files.isDirectory(p)) {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(p)) {
          total += files
              .filter(f -> f.getFileName().toString().startsWith("audit.log"))
              .mapToLong(InputOptions::readSize)
              .sum();
        } catch (IOException e) {
          return 0;
        }
      } else if (!log.equals("-")) {
        total += readSize(p);
      }
    }
    return total;
  }

  /** The bytes a reader gets from {@code file}: its size, or for gzip the size its trailer records. */
  static long readSize(Path file) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      return 0; // a FIFO or <(...) has no size, and reading its head would take bytes from the
      // parser
    }
    try (java.nio.channels.SeekableByteChannel ch = java.nio.file.Files.newByteChannel(file)) {
      long size = ch.size();
      java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(2);
      ch.read(head);
      if (size < 18 || head.get(0) != (byte) 0x1f || head.get(1) != (byte) 0x8b) {
        return size;
      }
      java.nio.ByteBuffer isize =
          java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      ch.position(size - 4);
      ch.read(isize);
      return Integer.toUnsignedLong(isize.getInt(0));
    } catch (IOException e) {
      return 0;
    }
  }

  InputFormat format() {
    try {
      return InputFormat.valueOf(inputFormat.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this),
          "--input-format expects auto, audit-log, kernel-log or bootprobe, found '" + inputFormat
              + "'");
    }
  }

  BootWindow window() {
    if (until.equals("login")) {
      return BootWindow.untilLogin();
    }
    if (until.equals("all")) {
      return BootWindow.all();
    }
    if (until.startsWith("serial:")) {
      try {
        return BootWindow.untilSerial(Long.parseLong(until.substring(7)));
      } catch (NumberFormatException e) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this),
            "--until serial:N needs a number, found '" + until.substring(7) + "'");
      }
    }
    try {
      // the window's last instant: an end time is exclusive
      return BootWindow.untilTime(times().parse(until, TimeSyntax.Bound.END).minusNanos(1));
    } catch (IllegalArgumentException e) {
      throw FilterOptions.usage("--until: expected login, all, serial:N, "
          + e.getMessage().substring("expected ".length()));
    }
  }

  /** The time syntax in the zone of --tz; {@code boot} is this host's boot, as for ausearch. */
  TimeSyntax times() {
    ZoneId zone;
    try {
      zone = tz == null ? ZoneId.systemDefault() : ZoneId.of(tz);
    } catch (java.time.DateTimeException e) {
      throw FilterOptions.usage(
          "--tz expects a zone such as UTC, +01:00 or Europe/Berlin, found '" + tz + "'");
    }
    return TimeSyntax.of(zone, Clock.system(zone), () -> {
      try {
        return AtimeConfig.bootTime(Path.of("/proc/stat"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }
}
