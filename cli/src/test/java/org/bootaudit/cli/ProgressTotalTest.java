package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.bootaudit.core.EventStream;
import org.junit.jupiter.api.Test;

/** Issue 12 item 6: progress counts a gzip log in the units the reader counts (decompressed bytes). */
class ProgressTotalTest {

  static final Path VM = Path.of("../samples/vm/initramfs-tools/audit");

  @Test
  void aGzipLogsTotalIsWhatTheReaderWillHaveReadAtTheEnd() throws IOException {
    Path gz = VM.resolve("audit.log.gz");
    long plain;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      plain = in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    assertThat(plain).isGreaterThan(Files.size(gz) * 3);
    InputOptions dir = new InputOptions();
    dir.logs = List.of(VM.toString());
    InputOptions file = new InputOptions();
    file.logs = List.of(gz.toString());
    assertThat(file.totalBytes()).isEqualTo(plain);
    assertThat(dir.totalBytes()).isEqualTo(plain);
    try (EventStream events = file.open()) {
      events.forEachRemaining(e -> {});
      assertThat(events.bytesRead()).isEqualTo(file.totalBytes());
    }
    InputOptions raw = new InputOptions();
    raw.logs = List.of("../samples/workload/raw/audit.log");
    assertThat(raw.totalBytes())
        .isEqualTo(Files.size(Path.of("../samples/workload/raw/audit.log")));
  }
}
