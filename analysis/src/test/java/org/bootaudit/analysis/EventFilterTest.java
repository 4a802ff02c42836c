package org.bootaudit.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.BootWindow;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.Op;
import org.bootaudit.core.Phase;
import org.junit.jupiter.api.Test;

/** ausearch-style selection on the recorded workload (samples/workload/raw). */
class EventFilterTest {

  static final Path RAW = Path.of("../samples/workload/raw/audit.log");
  static final String WL = "/tmp/bootaudit-wl/";

  private static List<FileEvent> select(UnaryOperator<EventFilter.Builder> criteria)
      throws IOException {
    List<FileEvent> out = new ArrayList<>();
    try (EventStream s = AuditLog.reader().source(RAW).window(BootWindow.all()).open()) {
      EventFilter f = criteria.apply(EventFilter.builder()).build();
      s.forEachRemaining(e -> {
        if (f.test(e)) {
          out.add(e);
        }
      });
    }
    return out;
  }

  @Test
  void criteriaCombineWithAnd() throws IOException {
    List<FileEvent> execs = select(b -> b.key("exec").ops(EnumSet.of(Op.EXEC)));
    assertThat(execs).isNotEmpty().allMatch(e -> e.op() == Op.EXEC && e.keys().contains("exec"));
    List<FileEvent> catExecs =
        select(b -> b.key("exec").ops(EnumSet.of(Op.EXEC)).exe("cat"));
    assertThat(catExecs)
        .isNotEmpty()
        .hasSizeLessThan(execs.size())
        .allMatch(e -> e.process().exe().equals("/usr/bin/cat"));
    assertThat(select(b -> b.key("no-such-key"))).isEmpty();
  }

  @Test
  void aFileIsExactADirectoryOrAGlob() throws IOException {
    assertThat(select(b -> b.file("/etc/passwd")))
        .isNotEmpty()
        .allMatch(e -> e.path().equals("/etc/passwd"));
    assertThat(select(b -> b.file(WL)))
        .isNotEmpty()
        .allMatch(e -> e.path().startsWith(WL) || e.oldPath().orElse("").startsWith(WL));
    assertThat(select(b -> b.file("/usr/bin/c*")))
        .extracting(FileEvent::path)
        .contains("/usr/bin/cat")
        .allMatch(p -> p.startsWith("/usr/bin/c"));
    assertThatThrownBy(() -> EventFilter.builder().file("/etc/["))
        .hasMessageStartingWith("expected a glob, found '/etc/['");
  }

  @Test
  void childrenFollowTheProcessTreeThroughProcessesWithoutFileEvents() throws IOException {
    // bash 22543 runs the workload; 22547 and 22558 are subshells that only fork (cat, head | tr)
    List<FileEvent> alone = select(b -> b.pid(22543));
    assertThat(alone).isNotEmpty().allMatch(e -> e.process().pid() == 22543);
    List<FileEvent> family = new ArrayList<>();
    try (EventStream s = AuditLog.reader().source(RAW).window(BootWindow.all()).open()) {
      EventFilter f =
          EventFilter.builder().pid(22543).children(EventFilter.parentsFrom(s)).build();
      s.forEachRemaining(e -> {
        if (f.test(e)) {
          family.add(e);
        }
      });
    }
    assertThat(family)
        .extracting(e -> e.process().pid())
        .contains(22543, 22544, 22548, 22559, 22560)
        .doesNotContain(22481);
    assertThat(family).hasSize(select(b -> b).size());
  }

  @Test
  void successPhaseUidAndTimeSelectToo() throws IOException {
    assertThat(select(b -> b.success(false))).hasSize(1).allMatch(e -> !e.success());
    assertThat(select(b -> b.uid(0))).hasSize(select(b -> b).size());
    assertThat(select(b -> b.uid(1000))).isEmpty();
    assertThat(select(b -> b.phase(Phase.INITRAMFS))).isEmpty();
    Instant mid = Instant.parse("2026-11-26T22:26:44.916Z");
    List<FileEvent> before = select(b -> b.end(mid));
    List<FileEvent> after = select(b -> b.start(mid));
    assertThat(before).isNotEmpty().allMatch(e -> e.time().isBefore(mid));
    assertThat(after).isNotEmpty().allMatch(e -> !e.time().isBefore(mid));
    assertThat(before.size() + after.size()).isEqualTo(select(b -> b).size());
  }

  @Test
  void aSelectionOfNothingSaysWhereTheLogIs() throws IOException {
    try (EventStream s = AuditLog.reader().source(RAW).window(BootWindow.all()).open()) {
      EventFilter f = EventFilter.builder()
          .start(Instant.parse("2020-01-01T00:00:00Z"))
          .end(Instant.parse("2020-01-02T00:00:00Z"))
          .build();
      s.forEachRemaining(e -> f.test(e));
      assertThat(f.emptyWarning(s.summary(), ZoneOffset.UTC))
          .contains(
              "no event matched from 2020-01-01T00:00:00Z, before 2020-01-02T00:00:00Z (145 file events read);"
                  + " the log runs from 2026-11-26 22:26:44 +00:00 to 2026-11-26 22:26:45 +00:00 (Z)");
      EventFilter all = EventFilter.builder().build();
      assertThat(all.emptyWarning(s.summary(), ZoneOffset.UTC)).isEmpty();
    }
  }
}
