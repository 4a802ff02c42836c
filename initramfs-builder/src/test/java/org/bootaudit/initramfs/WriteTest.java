package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading then writing with no change gives the same bytes. */
class WriteTest {
  @TempDir
  Path tmp;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plain.cpio",
        "crc.cpio",
        "plain.cpio.gz",
        "plain.cpio.zst",
        "plain.cpio.xz",
        "plain.cpio.lzma",
        "plain.cpio.bz2",
        "plain.cpio.lz4",
        "early-zstd.img",
        "multi.img",
        "lz4-last.img",
        "lz4-two-frames.img"
      })
  void roundTripIsByteIdentical(String fixture) throws IOException {
    Image image = Initramfs.reader().read(Fixtures.get(fixture));
    Path out = tmp.resolve("copy");
    Initramfs.write(image, out);
    assertThat(Files.mismatch(out, Fixtures.get(fixture))).isEqualTo(-1L);
    try (var left = Files.list(tmp)) {
      assertThat(left).containsExactly(out);
    }
  }

  @org.junit.jupiter.api.Test
  void theCopyKeepsTheInputsPermissions() throws IOException {
    Path input = tmp.resolve("input.img");
    Files.copy(Fixtures.get("early-zstd.img"), input);
    Files.setPosixFilePermissions(
        input, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Path out = tmp.resolve("copy.img");
    Initramfs.write(Initramfs.reader().read(input), out);
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-r--r--");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain.cpio"})
  void refusesToOverwriteTheInput(String fixture) throws IOException {
    Path copy = tmp.resolve("in.img");
    Files.copy(Fixtures.get(fixture), copy);
    Image image = Initramfs.reader().read(copy);
    assertThatThrownBy(() -> Initramfs.write(image, copy))
        .hasMessageContaining("is the input image");
    assertThat(Files.mismatch(copy, Fixtures.get(fixture))).isEqualTo(-1L);
  }
}
