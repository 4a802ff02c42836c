package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reading on several threads gives what reading on one gives: the same events in the same order,
 * the same summary, the same error at the same place; on every sample and on damaged lines, with
 * batch sizes from one line per batch up.
 */
class ParallelReadTest {

  private static final int[] BATCHES = {1, 97, 4096, 65536, ParallelLines.DEFAULT_BATCH_BYTES};

  static Stream<String> samples() {
    return Stream.of(
        "boot/audit.log.gz",
        "boot/console.log",
        "dialects/audit.log",
        "stap/bootprobe.log",
        "vm/initramfs-tools/audit",
        "vm/initramfs-tools/console.log",
        "vm/dracut/audit",
        "vm/stock/audit",
        "vm/ima/audit",
        "workload/enriched/audit.log",
        "workload/kernel/dmesg.log",
        "workload/raw/audit.log",
        "workload/rotated",
        "audit-off/audit.log");
  }

  @ParameterizedTest
  @MethodSource("samples")
  void everySampleReadsTheSameOnAnyNumberOfThreads(String sample) {
    Path path = Path.of("../samples", sample);
    for (BootWindow window : List.of(BootWindow.untilLogin(), BootWindow.all())) {
      for (ErrorMode mode : ErrorMode.values()) {
        Outcome one =
            read(AuditLog.reader().source(path).window(window).errorMode(mode).threads(1));
        // three of the thread and batch-size pairs each time, seeded: all are met across samples
        Random random =
            new Random(sample.hashCode() * 31L + window.toString().hashCode() + mode.ordinal());
        for (int k = 0; k < 3; k++) {
          int threads = 2 + random.nextInt(3);
          int batch = BATCHES[random.nextInt(BATCHES.length)];
          Outcome many = read(AuditLog.reader()
              .source(path)
              .window(window)
              .errorMode(mode)
              .threads(threads)
              .batchBytes(batch));
          assertThat(many)
              .as(
                  "%s, %s, %s, %d threads, batches of %d bytes",
                  sample, window, mode, threads, batch)
              .isEqualTo(one);
        }
      }
    }
  }

  @Test
  void damagedLinesFailAtTheSamePlaceOnAnyNumberOfThreads() throws IOException {
    byte[] raw = Files.readAllBytes(Path.of("../samples/workload/raw/audit.log"));
    byte[] enriched = Files.readAllBytes(Path.of("../samples/workload/enriched/audit.log"));
    Random random = new Random(20261202);
    int withEvents = 0;
    for (int round = 0; round < 300; round++) {
      byte[] base = round % 2 == 0 ? raw : enriched;
      byte[] doc = base.clone();
      for (int k = 0; k < 1 + random.nextInt(3); k++) {
        doc[random.nextInt(doc.length)] = (byte) " =\"\n\u001d:x".charAt(random.nextInt(7));
      }
      if (random.nextInt(4) == 0) {
        doc = Arrays.copyOf(doc, random.nextInt(doc.length)); // cut short: a truncated last line
      }
      for (ErrorMode mode : ErrorMode.values()) {
        Outcome one = read(stream(doc).errorMode(mode).threads(1));
        int batch = BATCHES[random.nextInt(BATCHES.length)];
        Outcome many =
            read(stream(doc).errorMode(mode).threads(2 + random.nextInt(3)).batchBytes(batch));
        assertThat(many).as("round %d, %s, batches of %d", round, mode, batch).isEqualTo(one);
        withEvents += one.events().isEmpty() ? 0 : 1;
      }
    }
    // the damage leaves most reads with events to compare, not two empty outcomes
    assertThat(withEvents).isGreaterThan(300);
  }

  @Test
  void aCorruptGzipFailsAfterTheLinesBeforeTheDamage() throws IOException {
    byte[] gz = Files.readAllBytes(Path.of("../samples/boot/audit.log.gz"));
    byte[] cut = Arrays.copyOf(gz, gz.length / 2);
    Outcome one = read(stream(cut).threads(1));
    assertThat(one.error).contains("gzip");
    assertThat(one.events).isNotEmpty();
    for (int batch : BATCHES) {
      assertThat(read(stream(cut).threads(2).batchBytes(batch))).isEqualTo(one);
    }
  }

  @Test
  void closingEarlyStopsTheReaderThread() throws IOException, InterruptedException {
    Path path = Path.of("../samples/boot/audit.log.gz");
    for (int i = 0; i < 20; i++) {
      try (EventStream events =
          AuditLog.reader().source(path).threads(3).batchBytes(97).open()) {
        assertThat(events.hasNext()).isTrue();
        events.next();
      }
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (readerThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(readerThreads()).isZero();
  }

  private static long readerThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("bootaudit-"))
        .count();
  }

  private static AuditLog.Reader stream(byte[] doc) {
    return AuditLog.reader().source(new ByteArrayInputStream(doc), "doc").window(BootWindow.all());
  }

  /** The events, bytes read and summary of a read, or the error it ended with and where. */
  record Outcome(List<FileEvent> events, long bytesRead, LogSummary summary, String error) {}

  private static Outcome read(AuditLog.Reader reader) {
    List<FileEvent> events = new ArrayList<>();
    try (EventStream s = reader.open()) {
      try {
        s.forEachRemaining(events::add);
      } catch (AuditParseException | UncheckedIOException e) {
        return new Outcome(
            events, s.bytesRead(), null, e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      return new Outcome(events, s.bytesRead(), s.summary(), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
