package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading real-tool fixtures: every compression, exact segment ends, entry fields. */
class ReaderTest {

  static List<String> names(Segment s) {
    return s.entries().stream().map(Entry::name).collect(Collectors.toList());
  }

  @ParameterizedTest
  @CsvSource({
    "plain.cpio, NONE",
    "crc.cpio, NONE",
    "plain.cpio.gz, GZIP",
    "plain.cpio.zst, ZSTD",
    "plain.cpio.xz, XZ",
    "plain.cpio.lzma, LZMA",
    "plain.cpio.bz2, BZIP2",
    "plain.cpio.lz4, LZ4_LEGACY"
  })
  void everyCompressionGivesTheSameEntries(String fixture, Compression compression)
      throws IOException {
    Image plain = Initramfs.reader().read(Fixtures.get("plain.cpio"));
    Image image = Initramfs.reader().read(Fixtures.get(fixture));
    assertThat(image.segments()).hasSize(1);
    Segment s = image.segments().get(0);
    assertThat(s.compression()).isEqualTo(compression);
    assertThat(names(s)).isEqualTo(names(plain.segments().get(0)));
    if (compression != Compression.NONE) {
      assertThat(s.length()).as("exact end").isEqualTo(Files.size(Fixtures.get(fixture)));
      assertThat(s.expandedSize()).isEqualTo(Files.size(Fixtures.get("plain.cpio")));
    }
  }

  @Test
  void entriesCarryEveryField() throws IOException {
    Image image = Initramfs.reader().read(Fixtures.get("plain.cpio"));
    Entry console = image.findEntry("dev/console").orElseThrow();
    assertThat(console.kind()).isEqualTo(Entry.Kind.CHAR_DEVICE);
    assertThat(console.rdevMajor()).isEqualTo(5);
    assertThat(console.rdevMinor()).isEqualTo(1);
    assertThat(image.findEntry("dev/fifo").orElseThrow().kind()).isEqualTo(Entry.Kind.FIFO);
    Entry sh = image.findEntry("/bin/sh").orElseThrow();
    assertThat(sh.kind()).isEqualTo(Entry.Kind.SYMLINK);
    assertThat(sh.linkTarget()).isEqualTo("busybox");
    assertThat(image.findEntry("bin/ls").orElseThrow().linkTarget()).isEqualTo("/bin/busybox");
    Entry hard = image.findEntry("bin/sh-hard").orElseThrow();
    Entry busybox = image.findEntry("bin/busybox").orElseThrow();
    assertThat(hard.nlink()).isEqualTo(2);
    assertThat(hard.ino()).isEqualTo(busybox.ino());
    assertThat(busybox.mtime()).isEqualTo(1700000000L);
    assertThat(busybox.modeString()).isEqualTo("-rwxr-xr-x");
    Entry latin = image.findEntry("etc/caf\u00e9").orElseThrow();
    assertThat(latin.nameBytes()).endsWith((byte) 0xe9);
    assertThat(latin.size()).isEqualTo(7);
    Entry init = image.findEntry("init").orElseThrow();
    assertThat(init.dataOffset() - init.headerOffset()).isEqualTo(116);
  }

  @Test
  void findsEverySegmentAfterEachCompression() throws IOException {
    Image image = Initramfs.reader().read(Fixtures.get("multi.img"));
    assertThat(image.segments())
        .extracting(Segment::compression)
        .containsExactly(
            Compression.NONE,
            Compression.GZIP,
            Compression.XZ,
            Compression.LZMA,
            Compression.BZIP2,
            Compression.ZSTD,
            Compression.GZIP,
            Compression.NONE);
    for (int i = 1; i < image.segments().size(); i++) {
      Segment prev = image.segments().get(i - 1);
      Segment s = image.segments().get(i);
      assertThat(s.offset())
          .as("segment %d starts after %d", s.number(), prev.number())
          .isGreaterThanOrEqualTo(prev.end());
      assertThat(s.offset() - prev.end()).as("only zero padding between").isLessThan(1024);
    }
    byte[] all = Files.readAllBytes(image.path());
    for (long i = image.segments().get(7).end(); i < image.size(); i++) {
      assertThat(all[(int) i]).as("tail byte %d", i).isZero();
    }
  }

  @Test
  void laterEntriesWin() throws IOException {
    Image image = Initramfs.reader().read(Fixtures.get("multi.img"));
    Entry passwd = image.findEntry("etc/passwd").orElseThrow();
    assertThat(image.findSegment(passwd).orElseThrow().number()).isEqualTo(8);
    assertThat(Initramfs.reader().readData(image, passwd, 100)).asString().isEqualTo("second\n");
    assertThat(image.effectiveEntries().stream().filter(e -> e.path().equals("etc/passwd")))
        .hasSize(1);
    assertThat(image.allEntries().stream().filter(e -> e.path().equals("etc/passwd")))
        .hasSize(7);
  }

  @Test
  void earlyMicrocodeThenZstdAsDebianBuildsIt() throws IOException {
    Image image = Initramfs.reader().read(Fixtures.get("early-zstd.img"));
    assertThat(image.segments())
        .extracting(Segment::compression)
        .containsExactly(Compression.NONE, Compression.ZSTD);
    assertThat(names(image.segments().get(0))).contains("kernel/x86/microcode/GenuineIntel.bin");
    assertThat(image.segments().get(1).offset() % 4).isZero();
  }

  @Test
  void lz4LegacyEndsAtTheFileEnd() throws IOException {
    Image image = Initramfs.reader().read(Fixtures.get("lz4-last.img"));
    assertThat(image.segments())
        .extracting(Segment::compression)
        .containsExactly(Compression.NONE, Compression.LZ4_LEGACY);
    assertThat(image.segments().get(1).end()).isEqualTo(image.size());
  }

  @Test
  void aSecondLz4LegacyFrameIsTheNextSegment() throws Exception {
    Path file = Fixtures.get("lz4-two-frames.img");
    Image image = Initramfs.reader().read(file);
    long half = Files.size(file) / 2;
    assertThat(image.segments())
        .extracting(Segment::compression)
        .containsExactly(Compression.LZ4_LEGACY, Compression.LZ4_LEGACY);
    assertThat(image.segments()).extracting(Segment::offset).containsExactly(0L, half);
    assertThat(image.segments().get(0).entries())
        .isEqualTo(image.segments().get(1).entries());
    if (Fixtures.hasTool("lz4")) {
      assertThat(Fixtures.run(file, "lz4", "-t"))
          .as("lz4 reads both frames as one stream")
          .isPresent();
    }
  }

  @Test
  void namesMatchGnuCpio() throws Exception {
    assumeTrue(Fixtures.hasTool("cpio"), "GNU cpio not installed");
    String listed =
        Fixtures.run(Fixtures.get("plain.cpio"), "cpio", "-it", "--quiet").orElseThrow();
    Image image = Initramfs.reader().read(Fixtures.get("plain.cpio"));
    assertThat(names(image.segments().get(0))).isEqualTo(List.of(listed.split("\n")));
  }

  @Test
  void capStopsDecompressionBombs() {
    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Initramfs.reader()
            .maxExpandedSize(1 << 20)
            .read(Fixtures.get("hostile/bomb-stream.zst"))))
        .isInstanceOf(InitramfsFormatException.class)
        .hasMessageContaining("segment 1 (zstd) at byte 0x0")
        .hasMessageContaining("expands past the cap of 1 MiB");
  }
}
