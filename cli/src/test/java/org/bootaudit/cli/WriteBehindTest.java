package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.BootWindow;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.FileEvent;
import org.junit.jupiter.api.Test;

class WriteBehindTest {

  private static List<FileEvent> sample() throws IOException {
    List<FileEvent> all = new ArrayList<>();
    try (EventStream s = AuditLog.reader()
        .source(Path.of("../samples/boot/audit.log.gz"))
        .window(BootWindow.all())
        .open()) {
      s.forEachRemaining(all::add);
    }
    return all;
  }

  @Test
  void writesEveryEventInOrderOnItsThreadOrTheCallers() throws IOException {
    List<FileEvent> events = sample();
    assertThat(events).hasSizeGreaterThan(2000);
    for (boolean own : new boolean[] {true, false}) {
      List<FileEvent> written = new ArrayList<>();
      try (WriteBehind w = new WriteBehind(written::add, own)) {
        for (FileEvent e : events) {
          w.add(e);
        }
        w.finish();
      }
      assertThat(written).as("own thread: %s", own).isEqualTo(events);
    }
  }

  @Test
  void aWriteErrorReachesTheCaller() throws IOException {
    List<FileEvent> events = sample();
    int[] count = {0};
    WriteBehind.Sink failing = e -> {
      if (++count[0] == 700) {
        throw new IOException("No space left on device");
      }
    };
    assertThatThrownBy(() -> {
          try (WriteBehind w = new WriteBehind(failing, true)) {
            for (FileEvent e : events) {
              w.add(e);
            }
            w.finish();
          }
        })
        .isInstanceOf(IOException.class)
        .hasMessage("No space left on device");
    assertThat(count[0]).isEqualTo(700);
  }
}
