package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Issue 17, items 2 and 3: what a hostile log cannot do: hide loss, fill the heap, run for ever. */
class HostileInputTest {

  @Test
  void eventsWhoseRecordsInterleavePastTheWindowAreReportedAsLossWithTheirSerials()
      throws IOException {
    int n = 6000;
    StringBuilder log = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      log.append(header("SYSCALL", i))
          .append(
              " arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=1 a2=241 "
                  + "a3=1b6 items=1 ppid=1 pid=5 auid=0 uid=0 comm=\"touch\" exe=\"/usr/bin/touch\" key=(null)\n");
    }
    for (int i = 1; i <= n; i++) {
      log.append(header("PATH", i))
          .append(" item=0 name=\"/tmp/f")
          .append(i)
          .append("\" inode=5 dev=fe:00 mode=0100644 nametype=CREATE\n");
    }
    for (int i = 1; i <= n; i++) {
      log.append(header("PROCTITLE", i)).append(" proctitle=78\n");
    }
    try (EventStream s = open(log.toString(), ErrorMode.STRICT)) {
      s.forEachRemaining(e -> {});
      LogSummary summary = s.summary();
      assertThat(summary.boots()).as("no phantom boot").hasSize(1);
      BootSummary.Loss loss = summary.boots().get(0).loss();
      assertThat(loss.none()).isFalse();
      assertThat(loss.incompleteEvents()).isGreaterThan(0);
      assertThat(loss.incomplete()).isNotEmpty();
      assertThat(loss.incomplete().get(0).from()).isEqualTo(1);
    }
  }

  @Test
  void recordsInOrderAreNoLoss() throws IOException {
    StringBuilder log = new StringBuilder();
    for (int i = 1; i <= 10; i++) {
      log.append(header("SYSCALL", i))
          .append(
              " arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=1 a2=241 "
                  + "a3=1b6 items=0 ppid=1 pid=5 auid=0 uid=0 comm=\"touch\" exe=\"/usr/bin/touch\" key=(null)\n");
      log.append(header("PROCTITLE", i)).append(" proctitle=78\n");
    }
    try (EventStream s = open(log.toString(), ErrorMode.STRICT)) {
      s.forEachRemaining(e -> {});
      assertThat(s.summary().boots().get(0).loss().none()).isTrue();
    }
  }

  @Test
  @Timeout(60)
  void hundredMebibytesOfOneSerialFailNamingTheLimit() {
    byte[] line = (header("PATH", 7)
            + " item=0 name=\"/x\" inode=5 dev=fe:00 mode=0100644 nametype=NORMAL\n")
        .getBytes(StandardCharsets.US_ASCII);
    for (ErrorMode mode : ErrorMode.values()) {
      assertThatThrownBy(() -> drain(
              AuditLog.reader().source(repeat(line, 100L << 20), "one-serial").errorMode(mode)))
          .isInstanceOf(AuditParseException.class)
          .hasMessageContaining("the limit is " + (Assembler.MAX_PENDING_BYTES >> 20) + " MiB");
    }
  }

  @Test
  @Timeout(30)
  void anInputWithoutNewlinesFailsAtTheColumnPastTheCap() {
    assertThatThrownBy(() -> drain(AuditLog.reader().source(zeros(), "/dev/zero")))
        .isInstanceOf(AuditParseException.class)
        .hasMessageStartingWith("/dev/zero:1:65537: expected a line of at most 65536 bytes");
  }

  @Test
  @Timeout(60)
  void lenientModeStopsSkippingALineWithoutEnd() {
    assertThatThrownBy(() ->
            drain(AuditLog.reader().source(zeros(), "/dev/zero").errorMode(ErrorMode.LENIENT)))
        .isInstanceOf(AuditParseException.class)
        .hasMessageContaining("found one of more than " + LineReader.MAX_SKIP);
  }

  @Test
  void theLineCapIsBounded() {
    assertThatThrownBy(() -> AuditLog.reader().maxLineLength(Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most " + AuditLog.Reader.MAX_MAX_LINE);
    AuditLog.reader().maxLineLength(AuditLog.Reader.MAX_MAX_LINE);
  }

  private static String header(String type, int serial) {
    return "type=" + type + " msg=audit(1700000000." + String.format("%03d", serial % 1000) + ":"
        + serial + "):";
  }

  private static EventStream open(String log, ErrorMode mode) throws IOException {
    return AuditLog.reader()
        .source(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "log")
        .errorMode(mode)
        .window(BootWindow.all())
        .open();
  }

  private static List<FileEvent> drain(AuditLog.Reader reader) throws IOException {
    List<FileEvent> out = new ArrayList<>();
    try (EventStream s = reader.window(BootWindow.all()).open()) {
      s.forEachRemaining(out::add);
    }
    return out;
  }

  /** {@code line} again and again, {@code total} bytes, generated as read. */
  private static InputStream repeat(byte[] line, long total) {
    return new InputStream() {
      long pos;

      @Override
      public int read() {
        return pos < total ? line[(int) (pos++ % line.length)] : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= total) {
          return -1;
        }
        int n = (int) Math.min(len, total - pos);
        for (int i = 0; i < n; i++) {
          b[off + i] = line[(int) (pos++ % line.length)];
        }
        return n;
      }
    };
  }

  /** As {@code /dev/zero}: zeros without end. */
  private static InputStream zeros() {
    return new InputStream() {
      @Override
      public int read() {
        return 0;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        java.util.Arrays.fill(b, off, off + len, (byte) 0);
        return len;
      }
    };
  }
}
