package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a bad line is: line and column for people, the byte offset in the (decompressed) input for tools. */
class ErrorLocationTest {

  @TempDir
  Path tmp;

  @Test
  void aBadLineInAGzipLogIsLocatedByLineColumnAndByteOffset() throws IOException {
    // real lines of the workload sample, then a PATH record whose header is cut
    String good = Files.readAllLines(
            Path.of("../samples/workload/raw/audit.log"), StandardCharsets.ISO_8859_1)
        .subList(0, 2)
        .stream()
        .map(l -> l + "\n")
        .reduce("", String::concat);
    String bad =
        "type=PATH msg=audit(1700000000.100:9x9): item=0 name=\"/etc/hostname\" nametype=NORMAL\n";
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write((good + bad).getBytes(StandardCharsets.ISO_8859_1));
    }
    Path log = Files.write(tmp.resolve("audit.log.gz"), gz.toByteArray());
    AuditParseException e = catchThrowableOfType(AuditParseException.class, () -> {
      try (EventStream s =
          AuditLog.reader().source(log).window(BootWindow.all()).open()) {
        s.forEachRemaining(x -> {});
      }
    });
    int column = e.location().column();
    assertThat(e.location().line()).isEqualTo(3);
    assertThat(column).as("the serial's first byte").isEqualTo(bad.indexOf(":9x9") + 2);
    assertThat(e.location().byteOffset()).isEqualTo(good.length() + column - 1);
    assertThat(e.getMessage()).startsWith(log + ":3:" + column + ": ");
    assertThat(e).isInstanceOf(InvalidInputException.class);
  }
}
