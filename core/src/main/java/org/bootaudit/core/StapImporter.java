package org.bootaudit.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads logs of the systemtap {@code bootprobe} script of the post that started this project:
 * {@code SECONDS INDENT PID (COMM) forks N | execs FILE | reads FILE | writes FILE | exit with
 * user U sys S}, where INDENT is systemtap's {@code indent()} string (or empty).
 *
 * <p>What such a log cannot say, the events say plainly: the probe fires on system call entry,
 * so every event counts as a success ({@code syscall} is {@code open} or {@code execve} and
 * {@code arch} is {@code stap}); O_RDWR opens appear as reads (the probe tests only O_WRONLY);
 * there are no serials, so loss cannot be measured and {@link BootSummary.Loss#measurable()} is
 * false. Serials are line numbers, to keep the order. The probe's wrapper runs as the root's
 * {@code init=} and there is no auditd, so every event is in {@link Phase#ROOT}.
 */
final class StapImporter {

  private static final Pattern LINE = Pattern.compile(
      "(\\d+) (.*?)(\\d+) \\((.*)\\) (?:forks (-?\\d+)|execs (.*?)|reads (.*?)|writes (.*?)|exit with user \\d+ sys \\d+) ?");

  private final Map<Integer, Integer> parents = new HashMap<>();
  private final Map<Integer, String> images = new HashMap<>();

  private static String text(String latin1) {
    return Bytes.escape(latin1.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static boolean tooLong(String digits, int max) {
    return digits != null && digits.length() > max;
  }

  /** True when a line has the bootprobe form. */
  static boolean looksLikeStap(byte[] b, int s, int e) {
    return LINE.matcher(new String(b, s, e - s, StandardCharsets.ISO_8859_1)).matches();
  }

  /**
   * Turns one line into its events.
   *
   * @return false when the line is not of the bootprobe form
   */
  boolean line(byte[] b, int s, int e, long lineNo, BootState boot, Consumer<FileEvent> out) {
    // ISO-8859-1 maps bytes to chars one to one, so names go back to bytes losslessly
    Matcher m = LINE.matcher(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
    if (!m.matches()
        || tooLong(m.group(1), 12)
        || tooLong(m.group(3), 9)
        || tooLong(m.group(5), 9)) {
      return false; // numbers past what they hold are no bootprobe line, not a crash
    }
    Instant time = Instant.ofEpochSecond(Long.parseLong(m.group(1)));
    int pid = Integer.parseInt(m.group(3));
    String comm = text(m.group(4));
    boot.stapLine(lineNo, time);
    ProcessInfo proc = new ProcessInfo(
        pid, parents.getOrDefault(pid, -1), comm, images.getOrDefault(pid, ""), -1, -1);
    boot.processes.seen(proc, lineNo, time);
    if (m.group(5) != null) {
      int child = Integer.parseInt(m.group(5));
      if (child > 0) {
        parents.put(child, pid);
        images.put(child, proc.exe());
        boot.processes.forked(proc, child, lineNo, time);
      }
      return true;
    }
    Op op = m.group(6) != null
        ? Op.EXEC
        : m.group(7) != null ? Op.READ : m.group(8) != null ? Op.WRITE : null;
    if (op == null) {
      return true; // exit
    }
    String path = text(op == Op.EXEC ? m.group(6) : op == Op.READ ? m.group(7) : m.group(8));
    if (op == Op.EXEC) {
      images.put(pid, path);
      boot.processes.executed(pid, List.of(path));
    }
    out.accept(new FileEvent(
        "",
        boot.boot,
        lineNo,
        time,
        Phase.ROOT,
        op,
        path,
        Optional.empty(),
        Optional.empty(),
        path.startsWith("/"),
        true,
        Optional.empty(),
        op == Op.EXEC ? "execve" : "open",
        "stap",
        proc,
        java.util.List.of(),
        OptionalLong.empty(),
        Optional.empty(),
        OptionalInt.empty()));
    return true;
  }
}
