package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every hand-made hostile image in {@code cpio/hostile/} is refused with the segment and byte
 * offset, and extraction never leaves its directory.
 */
class HostileTest {
  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      dotdot.cpio               | read    | segment 1 (none) at byte 0x0: name '../evil' climbs out with '..'
      dotdot-inner.cpio         | read    | segment 1 (none) at byte 0x0: name 'a/../../evil' climbs out
      absolute.cpio             | read    | segment 1 (none) at byte 0x0: absolute name '/etc/passwd'
      symlink-escape.cpio       | extract | segment 1 (none) at byte 0x74: symlink 'lib/link' -> '../../outside' points outside
      symlink-through.cpio      | extract | segment 1 (none) at byte 0x74: 'd/x' passes through the symlink 'd'
      size-past-end.cpio        | read    | segment 1 (none) at byte 0x0: entry 'big' claims 2.0 GiB, only 5 bytes left
      garbage-magic.img         | read    | segment 1 at byte 0x0: Unknown magic 'GARB'
      garbage-after.img         | read    | segment 2 at byte 0x168: Unknown magic 'XYZ '
      bad-hex.cpio              | read    | segment 1 (none) at byte 0x0: header field 6 is not hex: '0000000g'
      bad-magic.cpio            | read    | segment 1 (none) at byte 0x0: Unknown magic '070707'
      name-no-nul.cpio          | read    | segment 1 (none) at byte 0x0: name 'abcd' is not NUL-terminated
      namesize-zero.cpio        | read    | segment 1 (none) at byte 0x0: name size 0 out of range
      namesize-huge.cpio        | read    | segment 1 (none) at byte 0x0: name size 2147483647 out of range
      nul-in-name.cpio          | read    | segment 1 (none) at byte 0x0: name 'a\\x00b' holds a NUL byte
      truncated-header.cpio     | read    | segment 1 (none) at byte 0x32: truncated cpio header
      unaligned.img             | read    | segment 1 at byte 0x2: Unknown magic '0707'
      symlink-huge-target.cpio  | read    | segment 1 (none) at byte 0x0: symlink 'l' has a 5000-byte target
      replace-nonempty-dir.cpio | extract | segment 1 (none) at byte 0xec: 'etc' would replace a non-empty directory
      junk-in-gzip.img          | read    | segment 1 (gzip) at byte 0x0, decompressed byte 0x168: junk within compressed archive
      gzip-bad-crc.img          | read    | segment 1 (gzip) at byte 0x0: truncated or corrupt stream after 360 bytes decompressed: gzip trailer does not match
      bomb.zst                  | cap     | segment 1 (zstd) at byte 0x0, decompressed byte 0x0: entry 'zeros' claims 4 MiB, the cap is 1 MiB
      bomb-stream.zst           | cap     | segment 1 (zstd) at byte 0x0, decompressed byte 0x100000: expands past the cap of 1 MiB
      truncated.gz              | read    | segment 1 (gzip) at byte 0x0: truncated or corrupt stream after
      truncated.zst             | read    | segment 1 (zstd) at byte 0x0: truncated or corrupt stream: truncated zstd frame
      truncated.xz              | read    | segment 1 (xz) at byte 0x0: truncated or corrupt stream after 0 bytes decompressed
      truncated.lzma            | read    | segment 1 (lzma) at byte 0x0: truncated or corrupt stream after
      truncated.bz2             | read    | segment 1 (bzip2) at byte 0x0: truncated or corrupt stream
      truncated.lz4             | read    | segment 1 (lz4-legacy) at byte 0x0: truncated or corrupt stream after 0 bytes decompressed: truncated lz4 block
      zstd-reserved-block.zst   | read    | segment 1 (zstd) at byte 0x0: truncated or corrupt stream: zstd block of reserved type
      """)
  void refusedWithSegmentAndOffset(String fixture, String op, String message) throws IOException {
    Path image = Fixtures.get("hostile/" + fixture);
    Path out = tmp.resolve("out");
    Throwable t = catchThrowable(() -> {
      switch (op) {
        case "read" -> Initramfs.reader().read(image);
        case "cap" -> Initramfs.reader().maxExpandedSize(1 << 20).read(image);
        default -> Initramfs.reader().extract(image, out);
      }
    });
    assertThat(t)
        .isInstanceOf(InitramfsFormatException.class)
        .hasMessage(fixture + ": " + message
            + t.getMessage()
                .substring(
                    Math.min(t.getMessage().length(), fixture.length() + 2 + message.length())));
    ImageLocation at = ((InitramfsFormatException) t).location();
    assertThat(at.segment()).isGreaterThan(0);
    assertThat(t.getMessage()).isEqualTo(at + ": " + ((InitramfsFormatException) t).problem());
    if (op.equals("extract")) {
      assertThat(Initramfs.reader().read(image).segments()).isNotEmpty();
    }
    try (Stream<Path> all = Files.walk(tmp)) {
      assertThat(all.filter(p -> p.getFileName().toString().matches("evil|outside|passwd")))
          .isEmpty();
    }
  }

  @org.junit.jupiter.api.Test
  void theLocationIsAValueWithTheEntryWhenKnown() {
    Throwable t =
        catchThrowable(() -> Initramfs.reader().read(Fixtures.get("hostile/dotdot.cpio")));
    ImageLocation at = ((InitramfsFormatException) t).location();
    assertThat(at)
        .isEqualTo(new ImageLocation(
            "dotdot.cpio",
            1,
            java.util.Optional.of(Compression.NONE),
            0,
            java.util.OptionalLong.of(0),
            java.util.Optional.of("../evil")));
    Throwable bomb = catchThrowable(
        () -> Initramfs.reader().maxExpandedSize(1 << 20).read(Fixtures.get("hostile/bomb.zst")));
    assertThat(((InitramfsFormatException) bomb).location().entry()).contains("zeros");
    assertThat(((InitramfsFormatException) bomb).location().compression())
        .contains(Compression.ZSTD);
  }

  /**
   * Regression (issue 17's table): extract of a truncated compressed image, which does not read
   * first, met the damage while writing an entry and gave exit 74 "EOFException"; it must say
   * what read says.
   */
  @ParameterizedTest
  @CsvSource({
    "truncated.gz",
    "truncated.zst",
    "truncated.xz",
    "truncated.lzma",
    "truncated.bz2",
    "truncated.lz4",
    "gzip-bad-crc.img",
    "zstd-reserved-block.zst"
  })
  void extractOfADamagedStreamIsTheSameLocatedError(String fixture) {
    Path image = Fixtures.get("hostile/" + fixture);
    Throwable read = catchThrowable(() -> Initramfs.reader().read(image));
    Throwable extract = catchThrowable(() -> Initramfs.reader().extract(image, tmp.resolve("x")));
    assertThat(extract).isInstanceOf(InitramfsFormatException.class);
    assertThat(extract.getMessage())
        .isEqualTo(read.getMessage())
        .contains("truncated or corrupt stream")
        .doesNotContain("StreamError");
  }

  @ParameterizedTest
  @CsvSource({"symlink-through.cpio", "symlink-escape.cpio", "dotdot.cpio", "absolute.cpio"})
  void extractionNeverWritesOutside(String fixture) throws IOException {
    Path out = tmp.resolve("deep/out");
    catchThrowable(() -> Initramfs.reader().extract(Fixtures.get("hostile/" + fixture), out));
    try (Stream<Path> all = Files.walk(tmp)) {
      assertThat(all.filter(Files::isRegularFile)).isEmpty();
    }
  }
}
