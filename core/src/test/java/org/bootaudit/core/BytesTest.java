package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BytesTest {

  @Test
  void validUtf8StaysAsIs() {
    byte[] b = "/tmp/résumé-файл.txt".getBytes(StandardCharsets.UTF_8);
    assertThat(Bytes.escape(b)).isEqualTo("/tmp/résumé-файл.txt");
  }

  @Test
  void invalidBytesAndBackslashesAreEscapedAndComeBack() {
    byte[] b = {'/', 'a', (byte) 0xff, '\\', (byte) 0xc3, 'x', 0x01, (byte) 0xe2, (byte) 0x82};
    String text = Bytes.escape(b);
    assertThat(text).isEqualTo("/a\\xFF\\\\\\xC3x\\x01\\xE2\\x82");
    assertThat(Bytes.unescape(text)).isEqualTo(b);
  }

  @Test
  void overlongAndSurrogateEncodingsAreNotUtf8() {
    byte[] overlong = {(byte) 0xc0, (byte) 0xaf};
    byte[] surrogate = {(byte) 0xed, (byte) 0xa0, (byte) 0x80};
    assertThat(Bytes.escape(overlong)).isEqualTo("\\xC0\\xAF");
    assertThat(Bytes.escape(surrogate)).isEqualTo("\\xED\\xA0\\x80");
  }

  @Test
  void quoteCutsAtFortyCharactersAndShowsControlBytes() {
    byte[] b = ("\u0001" + "a".repeat(60)).getBytes(StandardCharsets.US_ASCII);
    assertThat(Bytes.quote(b, 0, b.length)).isEqualTo("\\x01" + "a".repeat(39) + "...");
  }

  @Test
  void aRecordedNonUtf8NameGivesItsBytesBackThroughThePublicApi() throws java.io.IOException {
    // the workload created bad<0xFF>.bin; the kernel logged the name in hex
    try (EventStream s = AuditLog.reader()
        .source(java.nio.file.Path.of("../samples/workload/raw/audit.log"))
        .window(BootWindow.all())
        .open()) {
      FileEvent e = s.stream()
          .filter(x -> x.path().startsWith("/tmp/bootaudit-wl/dir/bad"))
          .findFirst()
          .orElseThrow();
      assertThat(e.path()).isEqualTo("/tmp/bootaudit-wl/dir/bad\\xFF.bin");
      byte[] name = FileEvent.nameBytes(e.path());
      assertThat(name).endsWith('b', 'a', 'd', (byte) 0xff, '.', 'b', 'i', 'n');
      assertThat(Bytes.escape(name)).isEqualTo(e.path());
    }
  }
}
