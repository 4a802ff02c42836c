package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real images of {@code cpio/} (every compression, the crc format, multi-segment), randomly
 * damaged, and the same injected when this machine has auditctl: {@link Reader#read}, {@link
 * Reader#extract}, {@link Reader#readData}, {@link Injector#verify} and (every eighth round)
 * {@link Injector#inject} return or throw {@link InitramfsFormatException} (inject also {@link
 * InjectionRefusedException}); nothing else, no
 * OutOfMemoryError, no run longer than {@link #ROUND_TIMEOUT}. Half the rounds damage the file's
 * bytes (reaching the decompressors), half the cpio inside, re-compressed with gzip at times
 * (reaching the parser behind a decompressor), favouring the header's hex fields. Seeded, so a
 * failure names its seed and round and reproduces.
 *
 * <p>A few seconds in every {@code mvn verify}; a long run (see README, "How the tests work"):
 *
 * <pre>
 * mvn -B -pl initramfs-builder -am test -Dtest=ImageFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dfuzz.rounds=100000 -Dfuzz.seed=$RANDOM
 * </pre>
 */
class ImageFuzzTest {
  private static final long SEED = Long.getLong("fuzz.seed", 20261202);
  private static final int ROUNDS = Integer.getInteger("fuzz.rounds", 300);
  private static final Duration ROUND_TIMEOUT = Duration.ofSeconds(20);

  /** Header field values that break sizes and offsets: huge, 200 MiB, zero, odd, not hex. */
  private static final String[] FIELDS = {
    "ffffffff",
    "0c800000",
    "00000000",
    "7fffffff",
    "00000001",
    "00001001",
    "0000000g",
    "-0000001",
    " 0000000",
    "80000000"
  };

  @TempDir
  Path tmp;

  @Test
  void damagedImagesFailOnlyWithLocatedFormatErrors() throws IOException {
    List<byte[]> seeds = seeds();
    // injected images, when this machine has auditctl: verify then reads ELF headers and rules
    boolean auditctl = Files.isRegularFile(InjectTest.AUDITCTL);
    List<byte[]> injected = new ArrayList<>();
    if (auditctl) {
      for (String name : List.of("early-zstd.img", "plain.cpio")) {
        injected.add(Files.readAllBytes(injected(name)));
      }
    }
    Random random = new Random(SEED);
    Reader reader = Initramfs.reader().maxExpandedSize(16 << 20).maxBuffered(1 << 20);
    int refused = 0;
    Injector injector = Initramfs.injector().reader(reader);
    for (int round = 0; round < ROUNDS; round++) {
      List<byte[]> from = injected.isEmpty() || random.nextInt(3) > 0 ? seeds : injected;
      byte[] image = damage(from.get(random.nextInt(from.size())), random);
      Path file = Files.write(tmp.resolve("fuzz.img"), image);
      Path out = tmp.resolve("out");
      int r = round;
      // each operation on its own, as the commands run them: extract does not read first
      List<Operation> ops = new ArrayList<>(List.of(
          () -> reader.read(file),
          () -> {
            Image read = reader.read(file);
            reader.readData(read, read.effectiveEntries(), 4096);
          },
          () -> injector.verify(file),
          () -> reader.extract(file, out)));
      if (auditctl && r % 8 == 0) {
        ops.add(() -> inject(injector, file));
      }
      for (Operation op : ops) {
        try {
          assertTimeoutPreemptively(ROUND_TIMEOUT, op::run);
        } catch (InitramfsFormatException e) {
          refused++;
          assertThat(e.location().source()).isEqualTo("fuzz.img");
          assertThat(e.getMessage()).isEqualTo(e.location() + ": " + e.problem());
        } catch (Throwable t) {
          Files.write(tmp.resolve("failing.img"), image);
          fail(
              "seed " + SEED + " round " + r + " operation " + ops.indexOf(op) + ": threw " + t
                  + " (input: " + image.length + " bytes, kept as " + tmp.resolve("failing.img")
                  + " until the test ends)",
              t);
        } finally {
          delete(out);
        }
      }
    }
    assertThat(refused).as("the mutations do break images").isGreaterThan(ROUNDS / 4);
  }

  /**
   * Regression (found by probing what the harness mutates): verify of an injected image whose
   * auditctl or a library has damaged ELF headers threw an IOException (exit 74, no location);
   * now its check fails with the file and why.
   */
  @Test
  void damagedElfHeadersInAnInjectedImageFailTheirCheck() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isRegularFile(InjectTest.AUDITCTL), "auditctl not installed (package auditd)");
    Path good = injected("plain.cpio");
    Image image = Initramfs.reader().read(good);
    for (String[] c : new String[][] {
      {"bootaudit/auditctl", "1", "auditctl", "/bootaudit/auditctl: not an ELF file: it cannot run"
      },
      {
        "bootaudit/lib/libc.so.6",
        "32",
        "libraries",
        "missing from /bootaudit/lib/: libc.so.6 (/bootaudit/lib/libc.so.6: malformed ELF headers)"
      }
    }) {
      byte[] bytes = Files.readAllBytes(good);
      Entry file = image.findEntry(c[0]).orElseThrow();
      long data = image.findSegment(file).orElseThrow().offset() + file.dataOffset();
      // the magic's 'E', or e_phoff (8 bytes) pointing past the file
      int at = (int) data + Integer.parseInt(c[1]);
      Arrays.fill(bytes, at, at + (c[1].equals("1") ? 1 : 8), (byte) 0x7f);
      Path bad = Files.write(tmp.resolve("bad.img"), bytes);
      Verification v = Initramfs.injector().verify(bad);
      assertThat(v.ok()).isFalse();
      assertThat(v.checks())
          .filteredOn(k -> k.name().equals(c[2]) && !k.ok())
          .singleElement()
          .satisfies(k -> assertThat(k.detail()).startsWith(c[3]));
    }
  }

  private Path injected(String fixture) throws IOException {
    Path out = tmp.resolve("injected-" + fixture);
    Initramfs.injector().inject(Fixtures.get(fixture), out, false);
    return out;
  }

  /** One of the operations on a damaged image. */
  private interface Operation {
    void run() throws IOException;
  }

  /** Injects {@code file}, which may be refused (a checked exception) as well as malformed. */
  private void inject(Injector injector, Path file) throws IOException {
    Path out = tmp.resolve("injected.img");
    try {
      injector.inject(file, out, false);
    } catch (InjectionRefusedException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Every image of cpio/ (not the hostile ones, not recreate.sh), each as a file. */
  private static List<byte[]> seeds() throws IOException {
    List<byte[]> seeds = new ArrayList<>();
    try (Stream<Path> files = Files.list(Fixtures.DIR)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        if (!p.getFileName().toString().endsWith(".sh")) {
          seeds.add(Files.readAllBytes(p));
        }
      }
    }
    assertThat(seeds).hasSizeGreaterThan(10);
    return seeds;
  }

  private static byte[] damage(byte[] image, Random random) throws IOException {
    boolean cpio = image.length > 6 && image[0] == '0' && image[1] == '7';
    if (!cpio || random.nextBoolean()) {
      return mutate(image.clone(), random);
    }
    byte[] damaged = mutateHeaders(image.clone(), random);
    return random.nextInt(3) == 0 ? gzip(damaged) : damaged;
  }

  /** Overwrites a hex field (or the magic) of some entries' headers. */
  private static byte[] mutateHeaders(byte[] cpio, Random random) {
    List<Integer> headers = new ArrayList<>();
    for (int i = 0; i + NewcParser.HEADER <= cpio.length; i += 4) {
      if (cpio[i] == '0' && cpio[i + 1] == '7' && cpio[i + 2] == '0' && cpio[i + 3] == '7') {
        headers.add(i);
      }
    }
    int edits = 1 + random.nextInt(3);
    for (int k = 0; k < edits && !headers.isEmpty(); k++) {
      int at = headers.get(random.nextInt(headers.size()));
      int field = random.nextInt(16);
      if (field >= 14) {
        damageHead(cpio, at, random);
        continue;
      }
      byte[] value = field == 13
          ? "07070x".getBytes(StandardCharsets.US_ASCII)
          : FIELDS[random.nextInt(FIELDS.length)].getBytes(StandardCharsets.US_ASCII);
      int off = field == 13 ? at : at + 6 + field * 8;
      System.arraycopy(value, 0, cpio, off, value.length);
    }
    return random.nextInt(4) == 0 ? mutate(cpio, random) : cpio;
  }

  /** Damages the first bytes of the data of the entry at {@code at}: ELF headers, shebangs. */
  private static void damageHead(byte[] cpio, int at, Random random) {
    int nameSize;
    try {
      nameSize = Integer.parseInt(new String(cpio, at + 94, 8, StandardCharsets.US_ASCII), 16);
    } catch (NumberFormatException e) {
      return;
    }
    int data = (at + NewcParser.HEADER + nameSize + 3) & ~3;
    for (int i = 0; i < 1 + random.nextInt(3) && data < cpio.length; i++) {
      int k = data + random.nextInt(Math.min(64, cpio.length - data));
      cpio[k] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) 0xff;
    }
  }

  private static byte[] mutate(byte[] doc, Random random) {
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits && doc.length > 1; i++) {
      int at = random.nextInt(doc.length);
      switch (random.nextInt(5)) {
        case 0 -> doc[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> doc[at] = (byte) random.nextInt(256);
        case 2 -> doc = Arrays.copyOf(doc, at);
        case 3 -> {
          // a run of one byte value: zero padding, or hex digits where a size is
          byte[] longer = new byte[doc.length + 1 + random.nextInt(16)];
          System.arraycopy(doc, 0, longer, 0, at);
          Arrays.fill(
              longer, at, at + longer.length - doc.length, (byte) "0f\0".charAt(random.nextInt(3)));
          System.arraycopy(doc, at, longer, at + longer.length - doc.length, doc.length - at);
          doc = longer;
        }
        default -> {
          int len = Math.min(doc.length - at, 1 + random.nextInt(64));
          int to = random.nextInt(doc.length - len + 1);
          System.arraycopy(doc, at, doc, to, len);
        }
      }
    }
    return doc;
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(data);
    }
    return out.toByteArray();
  }

  /** Deletes what extraction made, giving directories back the permissions an image took away. */
  private static void delete(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
          throws IOException {
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
        Files.delete(f);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
