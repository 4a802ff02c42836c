package org.bootaudit.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IMA's measurement list as a Debian 12 VM booted with ima_policy=tcb saved it (samples/vm/ima). */
class ImaLogTest {

  static final Path LIST = Path.of("../samples/vm/ima/ima-measurements.txt");

  @TempDir
  Path tmp;

  @Test
  void readsTheRecordedTextList() throws IOException {
    List<ImaLog.Measurement> list = ImaLog.read(LIST);
    assertThat(list)
        .hasSize((int) Files.lines(LIST).filter(l -> !l.isBlank()).count())
        .hasSizeGreaterThan(400);
    assertThat(list.get(0).name()).isEqualTo("boot_aggregate");
    assertThat(list.get(0).isFile()).isFalse();
    ImaLog.Measurement init = list.get(1);
    assertThat(init.name()).isEqualTo("/init");
    assertThat(init.template()).isEqualTo("ima-sig");
    assertThat(init.pcr()).isEqualTo(10);
    assertThat(init.hash())
        .isEqualTo("sha256:060ff11d8b8a2bbceddcc4a8034b11d1b55ae163e6255cc7e98e8e71c5dbabad");
    assertThat(init.signature()).isEmpty();
  }

  @Test
  void theBinaryListGivesWhatTheTextListGives() throws IOException {
    // the binary form of the same entries, laid out as the kernel writes
    // binary_runtime_measurements
    List<ImaLog.Measurement> text = ImaLog.read(LIST);
    ByteArrayOutputStream bin = new ByteArrayOutputStream();
    for (ImaLog.Measurement m : text) {
      byte[] digest = HexFormat.of().parseHex(m.digest());
      byte[] algo = (m.algorithm() + ":\0").getBytes(StandardCharsets.US_ASCII);
      byte[] name = (m.name() + "\0").getBytes(StandardCharsets.UTF_8);
      ByteBuffer data = ByteBuffer.allocate(12 + algo.length + digest.length + name.length)
          .order(ByteOrder.nativeOrder());
      data.putInt(algo.length + digest.length)
          .put(algo)
          .put(digest)
          .putInt(name.length)
          .put(name)
          .putInt(0);
      byte[] template = m.template().getBytes(StandardCharsets.US_ASCII);
      ByteBuffer e = ByteBuffer.allocate(4 + 20 + 4 + template.length + 4 + data.capacity())
          .order(ByteOrder.nativeOrder());
      e.putInt(m.pcr())
          .put(new byte[20])
          .putInt(template.length)
          .put(template)
          .putInt(data.capacity())
          .put(data.array());
      bin.write(e.array());
    }
    Path file = Files.write(tmp.resolve("binary_runtime_measurements"), bin.toByteArray());
    assertThat(ImaLog.read(file)).isEqualTo(text);
    // cut inside the last entry: located by its byte offset
    byte[] cut = java.util.Arrays.copyOf(bin.toByteArray(), bin.size() - 7);
    InvalidFileException e = catchThrowableOfType(
        InvalidFileException.class, () -> ImaLog.read(Files.write(tmp.resolve("cut"), cut)));
    assertThat(e.location().byteOffset()).isPositive();
    assertThat(e.problem())
        .startsWith("entry " + (text.size() - 1) + " at byte 0x")
        .contains("expected a binary IMA measurement");
  }

  @Test
  void aBadLineIsLocated() throws IOException {
    Path file = Files.writeString(
        tmp.resolve("list"),
        Files.readAllLines(LIST).get(0) + "\n10 abc ima-ng md5-not-hex /etc/x\n");
    InvalidFileException e =
        catchThrowableOfType(InvalidFileException.class, () -> ImaLog.read(file));
    assertThat(e.getMessage())
        .isEqualTo(file + ":2:15: expected ALGORITHM:HEX for template ima-ng, found 'md5-not-hex'");
  }
}
