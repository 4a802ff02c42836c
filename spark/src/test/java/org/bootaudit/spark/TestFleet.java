package org.bootaudit.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A fleet made from the real recorded logs in {@code samples/}: hosts of one or two boots, each
 * boot a copy of the recorded workload (a small log) or, on every twentieth host, of the busybox early
 * boot, with its times moved to a boot of its own (an hour after the one before, every {@code
 * audit(SECONDS.} moved). Some boots are changed so that what the fleet job must find is known:
 * one exec made an {@link #IMPLANT}, one created file renamed {@link #DROPPED}, ten serials taken
 * out. Hosts are written as a plain {@code audit.log}, a gzip {@code audit.log.gz}, or a rotated
 * set split in the middle of the boot ({@code audit.log.1.gz} + {@code audit.log}).
 */
final class TestFleet {

  static final String IMPLANT = "/usr/local/sbin/implant";
  static final String DROPPED = "/etc/cron.d/implant";
  static final int LOST = 10;

  /** What was done to a boot. */
  enum Change {
    NONE,
    EXEC,
    FILE,
    LOSS
  }

  /** One boot of the fleet, as written. */
  record Boot(String host, int boot, boolean busybox, Change change, Instant start) {}

  static final Path WORKLOAD = Path.of("../samples/workload/raw/audit.log");
  static final Path BUSYBOX = Path.of("../samples/boot/audit.log.gz");

  private static final Pattern TIME = Pattern.compile("audit\\((\\d{10})\\.");
  private static final Pattern SERIAL = Pattern.compile("audit\\(\\d+\\.\\d+:(\\d+)\\)");
  private static final long BASE = 1_800_000_000L;
  private static final long HOUR = 3600;

  final Path root;
  final List<Boot> boots = new ArrayList<>();
  long bytes;

  private TestFleet(Path root) {
    this.root = root;
  }

  /** Writes {@code hosts} hosts under {@code root}. */
  static TestFleet write(Path root, int hosts) throws IOException {
    List<String> workload = lines(WORKLOAD);
    List<String> busybox = lines(BUSYBOX);
    TestFleet f = new TestFleet(root);
    int g = 0;
    for (int i = 0; i < hosts; i++) {
      String host = String.format("host-%04d", i);
      boolean bb = i % 20 == 0;
      StringBuilder log = new StringBuilder();
      for (int b = 1; b <= (i % 3 == 0 ? 2 : 1); b++, g++) {
        Change c = g % 37 == 5
            ? Change.EXEC
            : g % 41 == 7 ? Change.FILE : g % 43 == 11 ? Change.LOSS : Change.NONE;
        List<String> lines = changed(bb ? busybox : workload, c);
        long start = BASE + g * HOUR;
        long by = start - first(lines);
        lines.forEach(l -> log.append(shifted(l, by)).append('\n'));
        f.boots.add(new Boot(host, b, bb, c, Instant.ofEpochSecond(start)));
      }
      f.bytes += f.writeHost(root.resolve(host), log.toString(), i % 4);
    }
    return f;
  }

  private long writeHost(Path dir, String log, int layout) throws IOException {
    Files.createDirectories(dir);
    byte[] all = log.getBytes(StandardCharsets.ISO_8859_1);
    switch (layout) {
      case 0 -> gzip(dir.resolve("audit.log.gz"), all, 0, all.length);
      case 2 -> {
        int cut = log.indexOf('\n', all.length / 2) + 1;
        gzip(dir.resolve("audit.log.1.gz"), all, 0, cut);
        Files.write(dir.resolve("audit.log"), java.util.Arrays.copyOfRange(all, cut, all.length));
      }
      default -> Files.write(dir.resolve("audit.log"), all);
    }
    return all.length;
  }

  private static void gzip(Path file, byte[] b, int from, int to) throws IOException {
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
      o.write(b, from, to - from);
    }
  }

  private static List<String> lines(Path p) throws IOException {
    try (InputStream raw = Files.newInputStream(p);
        InputStream in = p.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).lines().toList();
    }
  }

  /** The boot's lines with its change made; each change is checked to have found its target. */
  static List<String> changed(List<String> lines, Change c) {
    List<String> out = new ArrayList<>(lines);
    int mid = lines.size() / 2;
    switch (c) {
      case NONE -> {
        return out;
      }
      case EXEC -> {
        long s = serialOf(out.get(
            find(out, mid, l -> l.contains(" syscall=59 ") && l.contains(" success=yes "))));
        int p = find(
            out,
            0,
            l -> l.startsWith("type=PATH") && serialOf(l) == s && l.contains(" item=0 name=\"/"));
        out.set(p, out.get(p).replaceFirst("name=\"[^\"]*\"", "name=\"" + IMPLANT + "\""));
      }
      case FILE -> {
        // a file opened with O_CREAT (open or openat), not a directory made or a rename's target
        java.util.Set<Long> opens = new java.util.HashSet<>();
        out.stream()
            .filter(l -> l.startsWith("type=SYSCALL")
                && (l.contains(" syscall=257 ") || l.contains(" syscall=2 "))
                && l.contains(" success=yes "))
            .forEach(l -> opens.add(serialOf(l)));
        int p = find(
            out,
            mid,
            l -> l.startsWith("type=PATH")
                && l.contains("nametype=CREATE")
                && l.contains(" name=\"")
                && opens.contains(serialOf(l)));
        out.set(p, out.get(p).replaceFirst("name=\"[^\"]*\"", "name=\"" + DROPPED + "\""));
      }
      case LOSS -> {
        long s = serialOf(out.get(find(out, mid, l -> l.startsWith("type=SYSCALL"))));
        out.removeIf(l -> serialOf(l) >= s && serialOf(l) < s + LOST);
      }
    }
    return out;
  }

  private static int find(List<String> lines, int from, java.util.function.Predicate<String> p) {
    for (int i = 0; i < lines.size(); i++) {
      int j = (from + i) % lines.size();
      if (p.test(lines.get(j))) {
        return j;
      }
    }
    throw new IllegalStateException("no line to change in the sample");
  }

  static long serialOf(String line) {
    Matcher m = SERIAL.matcher(line);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static long first(List<String> lines) {
    long min = Long.MAX_VALUE;
    for (String l : lines) {
      Matcher m = TIME.matcher(l);
      if (m.find()) {
        min = Math.min(min, Long.parseLong(m.group(1)));
      }
    }
    return min;
  }

  private static String shifted(String line, long by) {
    Matcher m = TIME.matcher(line);
    StringBuilder s = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(s, "audit(" + (Long.parseLong(m.group(1)) + by) + ".");
    }
    return m.appendTail(s).toString();
  }

  static void delete(Path dir) {
    try (var w = Files.walk(dir)) {
      w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
