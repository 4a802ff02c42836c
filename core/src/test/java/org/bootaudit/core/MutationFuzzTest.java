package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Real lines, randomly damaged: a strict read returns or throws {@link AuditParseException} with
 * a location inside the input; a lenient read never throws. Seeded, so a failure reproduces.
 */
class MutationFuzzTest {

  private static final byte[] SPECIAL = {
    '=', '"', '\'', ' ', 0x1d, '\n', '(', ')', ':', '.', 0, (byte) 0xff, '-'
  };

  @Test
  void damagedLogsFailOnlyWithLocatedParseErrors() throws IOException {
    byte[] sample = Files.readAllBytes(Path.of("../samples/workload/raw/audit.log"));
    byte[] kernel = Files.readAllBytes(Path.of("../samples/workload/kernel/dmesg.log"));
    Random random = new Random(Long.getLong("fuzz.seed", 20261126));
    int strictFailures = 0;
    for (int round = 0; round < Integer.getInteger("fuzz.rounds", 3000); round++) {
      byte[] base = round % 5 == 0 ? kernel : sample;
      int from = random.nextInt(base.length / 2);
      byte[] doc =
          mutate(Arrays.copyOfRange(base, from, Math.min(base.length, from + 4000)), random);
      long lines = 1 + count(doc, (byte) '\n');
      try {
        drain(doc, ErrorMode.STRICT);
      } catch (AuditParseException e) {
        strictFailures++;
        assertThat(e.location().line()).isBetween(1L, lines);
        assertThat(e.location().column()).isPositive();
        assertThat(e.getMessage()).startsWith("fuzz:" + e.location().line() + ":");
      } catch (RuntimeException e) {
        fail(
            "seed " + Long.getLong("fuzz.seed", 20261126) + " round " + round
                + ": strict read threw " + e,
            e);
      }
      try {
        drain(doc, ErrorMode.LENIENT);
      } catch (RuntimeException e) {
        fail(
            "seed " + Long.getLong("fuzz.seed", 20261126) + " round " + round
                + ": lenient read threw " + e,
            e);
      }
    }
    assertThat(strictFailures).as("the mutations do break lines").isGreaterThan(300);
  }

  private static void drain(byte[] doc, ErrorMode mode) throws IOException {
    try (EventStream s = AuditLog.reader()
        .source(new ByteArrayInputStream(doc), "fuzz")
        .errorMode(mode)
        .window(BootWindow.untilLogin())
        .open()) {
      s.forEachRemaining(e -> {});
      s.summary();
    }
  }

  private static byte[] mutate(byte[] doc, Random random) {
    int edits = 1 + random.nextInt(6);
    for (int i = 0; i < edits && doc.length > 1; i++) {
      int at = random.nextInt(doc.length);
      switch (random.nextInt(6)) {
        case 0 -> doc[at] = SPECIAL[random.nextInt(SPECIAL.length)];
        case 1 -> doc[at] = (byte) random.nextInt(256);
        case 2 -> doc = Arrays.copyOf(doc, at);
        case 3 -> doc = join(doc, at);
        case 4 -> doc = insert(doc, at, NUMBERS[random.nextInt(NUMBERS.length)]);
        default -> {
          byte[] longer = new byte[doc.length + 1];
          System.arraycopy(doc, 0, longer, 0, at);
          longer[at] = SPECIAL[random.nextInt(SPECIAL.length)];
          System.arraycopy(doc, at, longer, at + 1, doc.length - at);
          doc = longer;
        }
      }
    }
    return doc;
  }

  /** Values past what their fields hold, and signs where none belong. */
  private static final byte[][] NUMBERS = {
    "99999999999999999999".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
    "-1".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
    "ffffffffffffffffff".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
    "2147483648".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
  };

  /** Removes the first newline at or after {@code at}: two records joined, as a torn write leaves them. */
  private static byte[] join(byte[] doc, int at) {
    for (int i = at; i < doc.length; i++) {
      if (doc[i] == '\n') {
        byte[] out = new byte[doc.length - 1];
        System.arraycopy(doc, 0, out, 0, i);
        System.arraycopy(doc, i + 1, out, i, doc.length - i - 1);
        return out;
      }
    }
    return doc;
  }

  private static byte[] insert(byte[] doc, int at, byte[] what) {
    byte[] out = new byte[doc.length + what.length];
    System.arraycopy(doc, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(doc, at, out, at + what.length, doc.length - at);
    return out;
  }

  private static long count(byte[] b, byte c) {
    long n = 0;
    for (byte x : b) {
      n += x == c ? 1 : 0;
    }
    return n;
  }
}
