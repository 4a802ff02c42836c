package org.bootaudit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
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
      description = "audit.log files (plain or .gz), directories holding an audit.log set, kernel logs, or - for stdin.")
  List<String> logs = new ArrayList<>();

  @Option(
      names = "--lenient",
      description = "Skip bad lines, counting and locating them in the summary (default: stop at the first).")
  boolean lenient;

  @Option(
      names = "--until",
      paramLabel = "WHEN",
      defaultValue = "login",
      description = "End of each boot's window: login (first getty/display manager start or login; default), all, serial:N, or an ISO time such as 2026-11-26T10:00:00Z.")
  String until = "login";

  @Option(names = "--max-line-length", paramLabel = "BYTES", defaultValue = "65536", description = "Longest line accepted (default ${DEFAULT-VALUE}).")
  int maxLine = 65536;

  @Option(names = "--verbose", description = "Print stack traces of errors.")
  boolean verbose;

  @Option(
      names = "--input-format",
      paramLabel = "FORM",
      defaultValue = "auto",
      description = "auto (default: from each input's first line), audit-log, kernel-log or bootprobe (the systemtap script's log).")
  String inputFormat = "auto";

  EventStream open() throws IOException {
    AuditLog.Reader reader =
        AuditLog.reader()
            .errorMode(lenient ? ErrorMode.LENIENT : ErrorMode.STRICT)
            .window(window())
            .format(format());
    try {
      reader.maxLineLength(maxLine);
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--max-line-length: " + e.getMessage());
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

  /** Total size of the named files, for progress; 0 when unknown. */
  long totalBytes() {
    long total = 0;
    for (String log : logs) {
      java.io.File f = new java.io.File(log);
      total += f.isFile() ? f.length() : 0;
    }
    return total;
  }

  InputFormat format() {
    try {
      return InputFormat.valueOf(inputFormat.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this),
          "--input-format expects auto, audit-log, kernel-log or bootprobe, found '" + inputFormat + "'");
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
            new picocli.CommandLine(this), "--until serial:N needs a number, found '" + until.substring(7) + "'");
      }
    }
    try {
      return BootWindow.untilTime(Instant.parse(until));
    } catch (DateTimeParseException e) {
      throw new picocli.CommandLine.ParameterException(
          new picocli.CommandLine(this),
          "--until expects login, all, serial:N or an ISO time, found '" + until + "'");
    }
  }
}
