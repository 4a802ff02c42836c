package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crc cpio format (magic 070702, GNU cpio's {@code -H crc}): the kernel sums each regular
 * file's bytes and refuses an image whose sum differs from the header's; so must the reader.
 */
class CrcFormatTest {

  @TempDir
  Path tmp;

  @Test
  void aFileWhoseBytesDoNotSumToItsChecksumIsRefused() throws IOException {
    Path good = Fixtures.get("crc.cpio");
    Image image = Initramfs.reader().read(good);
    Entry file = image.segments().get(0).entries().stream()
        .filter(e -> e.kind() == Entry.Kind.FILE && e.size() > 0)
        .findFirst()
        .orElseThrow();
    byte[] bytes = Files.readAllBytes(good);
    bytes[(int) file.dataOffset()] ^= 0x01; // one bit of the data, the header untouched
    Path bad = Files.write(tmp.resolve("crc-bad.cpio"), bytes);
    InitramfsFormatException e = catchThrowableOfType(
        InitramfsFormatException.class, () -> Initramfs.reader().read(bad));
    assertThat(e).isNotNull();
    assertThat(e.problem())
        .startsWith("entry '" + file.name() + "' has checksum 0x")
        .contains("its data sums to 0x")
        .contains("the kernel refuses such an image");
    assertThat(e.location().segment()).isEqualTo(1);
  }
}
