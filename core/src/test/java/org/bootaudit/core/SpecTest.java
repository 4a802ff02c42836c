package org.bootaudit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the cases in {@code src/test/resources/spec/*.yaml}: each gives input lines and either the
 * exact events expected (each listed field must match; the count must match) or the error's
 * {@code line:col: message}, plus optional summary facts.
 *
 * <p>Input text may hold {@code \xNN} escapes for bytes YAML cannot carry (0x1d, invalid UTF-8).
 */
class SpecTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicNode> specs() throws IOException {
    Path dir = Path.of("src/test/resources/spec");
    List<DynamicNode> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        List<DynamicNode> cases = new ArrayList<>();
        for (JsonNode c : YAML.readTree(f.toFile())) {
          cases.add(DynamicTest.dynamicTest(c.path("id").asText(), () -> run(c)));
        }
        assertThat(cases).as(f + " has cases").isNotEmpty();
        files.add(DynamicContainer.dynamicContainer(f.getFileName().toString(), cases));
      }
    }
    assertThat(files).isNotEmpty();
    return files.stream();
  }

  private static void run(JsonNode c) throws IOException {
    byte[] input = unescape(c.path("input").asText());
    AuditLog.Reader reader = AuditLog.reader()
        .source(new ByteArrayInputStream(input), "spec")
        .errorMode(
            c.path("mode").asText("strict").equals("lenient")
                ? ErrorMode.LENIENT
                : ErrorMode.STRICT)
        .window(window(c.path("window").asText("all")));
    if (c.has("maxLine")) {
      reader.maxLineLength(c.get("maxLine").asInt());
    }
    if (c.has("error")) {
      assertThatThrownBy(() -> drain(reader.open()))
          .isInstanceOf(AuditParseException.class)
          .hasMessageStartingWith("spec:" + c.get("error").asText());
      return;
    }
    try (EventStream events = reader.open()) {
      List<JsonNode> actual = drain(events);
      JsonNode expected = c.path("events");
      if (expected.isArray()) {
        assertThat(actual)
            .as("events of %s: %s", c.path("id").asText(), actual)
            .hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
          for (Map.Entry<String, JsonNode> f : expected.get(i).properties()) {
            JsonNode got = actual.get(i).get(f.getKey());
            if (f.getValue().isNull()) {
              assertThat(got).as("event %d field %s", i, f.getKey()).isNull();
            } else if (f.getValue().isArray()) {
              assertThat(got)
                  .as("event %d field %s in %s", i, f.getKey(), actual.get(i))
                  .isEqualTo(f.getValue());
            } else {
              assertThat(got)
                  .as("event %d field %s in %s", i, f.getKey(), actual.get(i))
                  .isNotNull();
              assertThat(got.asText())
                  .as("event %d field %s", i, f.getKey())
                  .isEqualTo(f.getValue().asText());
            }
          }
        }
      }
      checkSummary(c.path("summary"), events.summary());
    }
  }

  /**
   * Checks the summary facts a case lists. Phase and backlog facts take -1 for "absent"; {@code
   * phases} is {@code "initramfs N, root N, auditd N, after-window N"}.
   */
  private static void checkSummary(JsonNode want, LogSummary s) {
    for (Map.Entry<String, JsonNode> f : want.properties()) {
      long v = f.getValue().asLong();
      BootSummary first = s.boots().isEmpty() ? null : s.boots().get(0);
      if (checkPhases(f.getKey(), f.getValue(), first)) {
        continue;
      }
      switch (f.getKey()) {
        case "boots" -> assertThat(s.boots()).hasSize((int) v);
        case "skipped" -> assertThat(s.skipped()).isEqualTo(v);
        case "otherLines" -> assertThat(s.otherLines()).isEqualTo(v);
        case "missingSerials" -> assertThat(first.loss().missingSerials()).isEqualTo(v);
        case "kernelLost" -> assertThat(first.loss().kernelLost()).isEqualTo(v);
        case "suppressed" -> assertThat(first.loss().suppressed()).isEqualTo(v);
        case "overflows" -> assertThat(first.loss().overflows()).isEqualTo(v);
        case "outOfOrder" -> assertThat(first.loss().outOfOrder()).isEqualTo(v);
        case "afterWindow" -> assertThat(first.afterWindow()).isEqualTo(v);
        case "windowEndSerial" ->
          assertThat(first.windowEnd().orElseThrow().serial()).isEqualTo(v);
        case "processes" -> assertThat(first.processes()).hasSize((int) v);
        case "skippedFirst" ->
          assertThat(s.skippedExamples().get(0))
              .startsWith("spec:" + f.getValue().asText());
        case "argv" ->
          assertThat(first.processes().stream().map(p -> String.join(" ", p.argv())))
              .contains(f.getValue().asText());
        default -> fail("unknown summary key " + f.getKey());
      }
    }
  }

  private static boolean checkPhases(String key, JsonNode want, BootSummary b) {
    BootSummary.Backlog q = b.backlog();
    long v = want.asLong();
    switch (key) {
      case "rootSerial" ->
        assertThat(orAbsent(b.phases().root().flatMap(r -> boxed(r.serial())))).isEqualTo(v);
      case "auditdSerial" ->
        assertThat(orAbsent(b.phases().auditd().flatMap(a -> boxed(a.serial()))))
            .isEqualTo(v);
      case "held" -> assertThat(orAbsent(boxed(q.held()))).isEqualTo(v);
      case "endOfEvent" -> assertThat(q.endOfEvent()).isEqualTo(v);
      case "backlogLimit" -> assertThat(orAbsent(boxed(q.limit()))).isEqualTo(v);
      case "backlogLimitSerial" -> assertThat(orAbsent(boxed(q.limitSerial()))).isEqualTo(v);
      case "holdQueueOverflows" -> assertThat(q.holdQueueOverflows()).isEqualTo(v);
      case "phases" ->
        assertThat(String.format(
                "initramfs %d, root %d, auditd %d, after-window %d",
                b.phases().count(Phase.INITRAMFS),
                b.phases().count(Phase.ROOT),
                b.phases().count(Phase.AUDITD),
                b.phases().count(Phase.AFTER_WINDOW)))
            .isEqualTo(want.asText());
      default -> {
        return false;
      }
    }
    return true;
  }

  private static java.util.Optional<Long> boxed(java.util.OptionalLong v) {
    return v.isPresent() ? java.util.Optional.of(v.getAsLong()) : java.util.Optional.empty();
  }

  private static long orAbsent(java.util.Optional<Long> v) {
    return v.orElse(-1L);
  }

  private static List<JsonNode> drain(EventStream events) {
    List<JsonNode> nodes = new ArrayList<>();
    while (events.hasNext()) {
      nodes.add(json(events.next()));
    }
    return nodes;
  }

  /** The event with the field names and forms of the JSON output (analysis' EventWriter). */
  private static JsonNode json(FileEvent e) {
    var n = JSON.createObjectNode();
    n.put("boot", e.boot());
    n.put("serial", e.serial());
    n.put("time", e.time().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
    n.put("phase", e.phase().label());
    n.put("op", e.op().label());
    n.put("path", e.path());
    e.oldPath().ifPresent(v -> n.put("oldPath", v));
    n.put("resolved", e.resolved());
    n.put("success", e.success());
    e.errno().ifPresent(v -> n.put("errno", v));
    n.put("syscall", e.syscall());
    n.put("arch", e.arch());
    n.put("pid", e.process().pid());
    n.put("ppid", e.process().ppid());
    n.put("comm", e.process().comm());
    n.put("exe", e.process().exe());
    n.put("uid", e.process().uid());
    n.put("auid", e.process().auid());
    e.key().ifPresent(v -> n.put("key", v));
    e.inode().ifPresent(v -> n.put("inode", v));
    e.dev().ifPresent(v -> n.put("dev", v));
    e.mode().ifPresent(v -> n.put("mode", String.format("%07o", v)));
    if (!e.node().isEmpty()) {
      n.put("node", e.node());
    }
    e.target().ifPresent(v -> n.put("target", v));
    if (e.keys().size() > 1) {
      e.keys().forEach(n.withArray("keys")::add);
    }
    e.process().user().ifPresent(v -> n.put("user", v));
    e.process().auser().ifPresent(v -> n.put("auser", v));
    return n;
  }

  private static BootWindow window(String w) {
    if (w.equals("login")) {
      return BootWindow.untilLogin();
    }
    if (w.startsWith("serial:")) {
      return BootWindow.untilSerial(Long.parseLong(w.substring(7)));
    }
    return BootWindow.all();
  }

  /** YAML text to bytes; {@code \xNN} becomes that byte. */
  private static byte[] unescape(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\\' && i + 3 < b.length && b[i + 1] == 'x') {
        out.write(Integer.parseInt(new String(b, i + 2, 2, StandardCharsets.US_ASCII), 16));
        i += 3;
      } else {
        out.write(b[i]);
      }
    }
    return out.toByteArray();
  }
}
