package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain, gzip, rotated sets, directories, stdin-like streams and hostile lines. */
class LogSourcesTest {

  static final Path RAW = Path.of("../samples/workload/raw/audit.log");

  @TempDir
  Path tmp;

  @Test
  void gzipReadsTheSameAsPlain() throws IOException {
    Path gz = tmp.resolve("audit.log.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(RAW, out);
    }
    assertThat(events(List.of(gz))).isEqualTo(events(List.of(RAW))).isNotEmpty();
  }

  @Test
  void rotatedSetIsReadOldestFirstAndJoinsAnEventSplitAcrossFiles() throws IOException {
    List<String> lines = Files.readAllLines(RAW, StandardCharsets.ISO_8859_1);
    int cut = splitInsideAnEvent(lines);
    Path dir = Files.createDirectory(tmp.resolve("audit"));
    write(dir.resolve("audit.log.2"), lines.subList(0, cut / 2));
    write(dir.resolve("audit.log.1"), lines.subList(cut / 2, cut));
    write(dir.resolve("audit.log"), lines.subList(cut, lines.size()));
    List<String> expected = events(List.of(RAW));
    assertThat(events(List.of(
            dir.resolve("audit.log"), dir.resolve("audit.log.1"), dir.resolve("audit.log.2"))))
        .isEqualTo(expected);
    assertThat(events(List.of(dir))).isEqualTo(expected);
  }

  @Test
  void directoryWithoutAuditLogsIsAnError() throws IOException {
    Path empty = Files.createDirectory(tmp.resolve("empty"));
    assertThatThrownBy(() -> AuditLog.reader().source(empty).open())
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("no audit.log");
  }

  @Test
  void tenMegabyteLineIsSkippedInLenientModeWithBoundedBuffer() throws IOException {
    byte[] good = Files.readAllBytes(RAW);
    byte[] huge = new byte[10 * 1024 * 1024];
    Arrays.fill(huge, (byte) 'x');
    byte[] input = concat(
        "type=SYSCALL msg=audit(1.000:1): a=".getBytes(StandardCharsets.US_ASCII),
        huge,
        new byte[] {'\n'},
        good);
    try (EventStream s = AuditLog.reader()
        .source(new ByteArrayInputStream(input), "big")
        .errorMode(ErrorMode.LENIENT)
        .window(BootWindow.all())
        .open()) {
      List<String> got = new ArrayList<>();
      s.forEachRemaining(e -> got.add(e.serial() + " " + e.op() + " " + e.path()));
      assertThat(got).isEqualTo(events(List.of(RAW)));
      assertThat(s.summary().skipped()).isEqualTo(1);
      assertThat(s.summary().skippedExamples().get(0))
          .startsWith("big:1:65537: expected a line of at most 65536 bytes");
    }
  }

  @Test
  void tenMegabyteLineStopsStrictMode() {
    byte[] huge = new byte[10 * 1024 * 1024];
    Arrays.fill(huge, (byte) 'y');
    assertThatThrownBy(() -> {
          try (EventStream s =
              AuditLog.reader().source(new ByteArrayInputStream(huge), "big").open()) {
            s.forEachRemaining(e -> {});
          }
        })
        .isInstanceOf(AuditParseException.class)
        .hasMessageStartingWith("big:1:65537: ");
  }

  private static int splitInsideAnEvent(List<String> lines) {
    for (int i = lines.size() / 2; i < lines.size(); i++) {
      if (lines.get(i).startsWith("type=SYSCALL") && lines.get(i + 1).startsWith("type=CWD")) {
        return i + 1;
      }
    }
    throw new AssertionError("no SYSCALL followed by CWD in the sample");
  }

  static List<String> events(List<Path> paths) throws IOException {
    List<String> out = new ArrayList<>();
    try (EventStream s =
        AuditLog.reader().sources(paths).window(BootWindow.all()).open()) {
      s.forEachRemaining(e -> out.add(e.serial() + " " + e.op() + " " + e.path()));
    }
    return out;
  }

  private static void write(Path p, List<String> lines) throws IOException {
    Files.write(p, lines, StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
