package org.bootaudit.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.BootWindow;
import org.bootaudit.core.EventStream;
import org.junit.jupiter.api.Test;

/**
 * The output fields are those recorded for {@link Schema#VERSION} in {@code schema/vN.txt}: a
 * field added, renamed or removed without a new version (and its file) fails here. On a mismatch
 * the fields found are written to {@code target/schema-actual.txt}.
 */
class SchemaTest {

  static final Path VM = Path.of("../samples/vm/initramfs-tools/audit/audit.log.gz");
  static final Path RAW = Path.of("../samples/workload/raw/audit.log");
  /** Maps whose keys are data (errno names, directories, operations that differed), not fields. */
  static final Set<String> DATA_KEYS = Set.of("failedByErrno", "byDirectory", "byOp");

  @Test
  void theFieldsAreThoseOfTheirVersion() throws IOException {
    List<String> actual = new ArrayList<>();
    EventWriter.FIELDS.forEach(f -> actual.add("event " + f));
    try (EventStream s = AuditLog.reader().source(VM).open()) {
      paths("report", Report.of(s).json(10), actual);
    }
    FileSetReader reader = new FileSetReader(
        name -> AuditLog.reader().source(Path.of(name)).window(BootWindow.all()).open(),
        OptionalInt.empty(),
        List.of());
    paths(
        "diff",
        Diff.of(reader.read(RAW.toString()), reader.read("../samples/workload/rotated"), List.of())
            .json(),
        actual);
    String found = String.join("\n", actual) + "\n";
    Path recorded = Path.of("src/test/resources/schema/v" + Schema.VERSION + ".txt");
    if (!Files.exists(recorded) || !Files.readString(recorded).equals(found)) {
      Files.writeString(Path.of("target/schema-actual.txt"), found);
    }
    assertThat(recorded)
        .as(
            "fields of schema version %d (a change needs a new Schema.VERSION and its file)",
            Schema.VERSION)
        .exists();
    assertThat(found)
        .as("fields changed without a new Schema.VERSION; found: target/schema-actual.txt")
        .isEqualTo(Files.readString(recorded));
  }

  @Test
  void theReadmeTableListsEveryEventFieldInOrderWithTheVersion() throws IOException {
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    String section =
        readme.substring(readme.indexOf("## Output fields"), readme.indexOf("## Layout"));
    assertThat(section).startsWith("## Output fields\n\nSchema version " + Schema.VERSION + " ");
    List<String> listed = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^\\| `(\\w+)` \\|").matcher(section);
    while (m.find()) {
      listed.add(m.group(1));
    }
    assertThat(listed).isEqualTo(EventWriter.FIELDS);
  }

  private static void paths(String prefix, Object node, List<String> out) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String p = prefix + "." + e.getKey();
        out.add(p);
        if (!DATA_KEYS.contains(String.valueOf(e.getKey()))) {
          paths(p, e.getValue(), out);
        }
      }
    } else if (node instanceof List<?> list && !list.isEmpty()) {
      paths(prefix + "[]", list.get(0), out);
    }
  }
}
