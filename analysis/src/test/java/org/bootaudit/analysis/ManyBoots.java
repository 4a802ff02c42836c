package org.bootaudit.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A long-running host's log made from real boots: the sample boots in turn, {@code copies} of
 * them, each a day after the one before (every {@code audit(SECONDS.} moved), streamed without
 * touching the disk.
 */
final class ManyBoots extends InputStream {

  /** A systemd VM (initramfs-tools), then ten busybox boots, a dracut VM, ten busybox boots. */
  static final List<Path> CYCLE;

  static {
    List<Path> c = new ArrayList<>();
    c.add(Path.of("../samples/vm/initramfs-tools/audit/audit.log.gz"));
    c.addAll(Collections.nCopies(10, Path.of("../samples/boot/audit.log.gz")));
    c.add(Path.of("../samples/vm/dracut/audit/audit.log.gz"));
    c.addAll(Collections.nCopies(10, Path.of("../samples/boot/audit.log.gz")));
    CYCLE = List.copyOf(c);
  }

  private static final long BASE = 1_800_000_000L;
  private static final byte[] MARK = "audit(".getBytes(StandardCharsets.US_ASCII);
  private static final long DAY = 86_400;

  private final List<byte[]> boots;
  private final long[] firstSecond;
  private final int copies;
  private long size;
  private int copy;
  private byte[] current = new byte[0];
  private int pos;

  /** {@code copies} boots, taken in turn from {@code cycle} (gzip logs of one boot each). */
  ManyBoots(List<Path> cycle, int copies) throws IOException {
    Map<Path, byte[]> read = new HashMap<>();
    this.boots = new ArrayList<>();
    for (Path p : cycle) {
      boots.add(read.computeIfAbsent(p, ManyBoots::gunzip));
    }
    this.firstSecond = new long[boots.size()];
    for (int i = 0; i < boots.size(); i++) {
      firstSecond[i] = firstSecond(boots.get(i));
    }
    this.copies = copies;
    for (int i = 0; i < copies; i++) {
      size += boots.get(i % boots.size()).length;
    }
  }

  private static byte[] gunzip(Path p) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bytes the stream gives, without reading it. */
  long size() {
    return size;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    while (pos == current.length) {
      if (copy == copies) {
        return -1;
      }
      int which = copy % boots.size();
      current = shifted(boots.get(which), BASE + copy * DAY - firstSecond[which]);
      copy++;
      pos = 0;
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  /** The earliest time in a log, in seconds. */
  private static long firstSecond(byte[] log) {
    long min = Long.MAX_VALUE;
    for (int i = 0; i + MARK.length + 10 < log.length; i++) {
      if (log[i] == 'a' && matches(log, i)) {
        min = Math.min(
            min, Long.parseLong(new String(log, i + MARK.length, 10, StandardCharsets.US_ASCII)));
      }
    }
    return min;
  }

  /** The boot with its times moved by {@code by} seconds; the seconds keep their width (10 digits). */
  private static byte[] shifted(byte[] boot, long by) {
    byte[] out = boot.clone();
    for (int i = 0; i + MARK.length + 10 < out.length; i++) {
      if (out[i] == 'a' && matches(out, i)) {
        int s = i + MARK.length;
        long sec = Long.parseLong(new String(out, s, 10, StandardCharsets.US_ASCII)) + by;
        byte[] digits = Long.toString(sec).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, out, s, 10);
        i = s + 10;
      }
    }
    return out;
  }

  private static boolean matches(byte[] b, int at) {
    for (int j = 0; j < MARK.length; j++) {
      if (b[at + j] != MARK[j]) {
        return false;
      }
    }
    return b[at + MARK.length + 10] == '.';
  }
}
