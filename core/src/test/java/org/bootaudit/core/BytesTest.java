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

  @Test
  void searchesEightBytesAtATimeFindTheFirstMatchAsAByteLoopWould() {
    java.util.Random random = new java.util.Random(7);
    byte[] alphabet = {' ', 0x1d, '\n', '"', 'a', '=', (byte) 0x80, (byte) 0x9d, (byte) 0xa0, 0};
    for (int round = 0; round < 20_000; round++) {
      byte[] b = new byte[random.nextInt(40)];
      for (int i = 0; i < b.length; i++) {
        // mostly plain bytes, so that matches sit at every offset of a word, or none at all
        b[i] = random.nextInt(6) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) 'x';
      }
      int from = b.length == 0 ? 0 : random.nextInt(b.length);
      int end = from + random.nextInt(b.length - from + 1);
      for (byte c : new byte[] {'\n', '"', ' '}) {
        int expected = -1;
        for (int i = from; i < end && expected < 0; i++) {
          expected = b[i] == c ? i : -1;
        }
        assertThat(Bytes.indexOf(b, from, end, c)).isEqualTo(expected);
      }
      int expected = end;
      for (int i = end - 1; i >= from; i--) {
        expected = b[i] == ' ' || b[i] == 0x1d ? i : expected;
      }
      assertThat(Bytes.indexOfSpaceOrGs(b, from, end)).isEqualTo(expected);
    }
  }
}
