package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The command as a user meets it: outputs, exit codes, one-line errors, whole-or-nothing files. */
class MainTest {

  static final String RAW = "../samples/workload/raw/audit.log";

  @TempDir
  Path tmp;

  @RegisterExtension
  final CliRun cli = new CliRun();

  @Test
  void eventsWritesJsonLinesOfTheWorkload() throws IOException {
    assertThat(cli.run("events", "--until", "all", RAW)).isEqualTo(0);
    List<JsonNode> events = jsonLines(cli.out());
    assertThat(events).isNotEmpty();
    assertThat(events)
        .filteredOn(e -> e.get("path").asText().equals("/tmp/bootaudit-wl/dir/created.txt"))
        .extracting(e -> e.get("op").asText())
        .startsWith("create", "write", "write", "read");
    assertThat(cli.errors()).isEmpty();
  }

  @Test
  void csvHasAHeaderAndOneRowPerEvent() throws IOException {
    assertThat(cli.run("events", "--until", "all", "-f", "csv", RAW)).isEqualTo(0);
    String[] rows = cli.out().split("\n");
    assertThat(rows[0])
        .startsWith("boot,serial,time,phase,op,path,oldPath,resolved,success,errno,syscall");
    assertThat(cli.run("events", "--until", "all", RAW)).isEqualTo(0);
    assertThat(rows).hasSize(jsonLines(cli.out()).size() + 1);
  }

  @Test
  void reportNamesTheBootItsOpsAndItsLoss() {
    assertThat(cli.run("report", "--until", "all", RAW)).isEqualTo(0);
    assertThat(cli.out())
        .contains("boot 1:")
        .containsPattern("by op: +create \\d+ \\(\\d+ files\\) read \\d+")
        .contains("failed:    ")
        .contains("ENOENT")
        .contains("loss:      ");
  }

  @Test
  void filesOnlyWritesTheSortedUniqueListFilteredByTargetAndExtension() throws IOException {
    Path list = tmp.resolve("files_used_during_boot");
    assertThat(cli.run(
            "report",
            "--until",
            "all",
            "--files-only",
            "-f",
            "json",
            "--target",
            "/tmp/bootaudit-wl",
            "--exclude-ext",
            ".bin",
            "-o",
            list.toString(),
            RAW))
        .isEqualTo(0);
    JsonNode arr = new ObjectMapper().readTree(list.toFile());
    List<String> paths =
        Stream.of(new ObjectMapper().treeToValue(arr, String[].class)).toList();
    assertThat(paths).isSorted().doesNotHaveDuplicates().isNotEmpty();
    assertThat(paths).allMatch(p -> p.startsWith("/tmp/bootaudit-wl/"));
    assertThat(paths).noneMatch(p -> p.endsWith(".bin"));
    assertThat(paths).contains("/tmp/bootaudit-wl/dir/created.txt", "/tmp/bootaudit-wl/script.sh");
  }

  @Test
  void badDataIsOneLineWithLocationAndExit65AndNoOutputFile() throws IOException {
    Path bad = tmp.resolve("bad.log");
    Files.writeString(
        bad,
        Files.readString(Path.of(RAW), StandardCharsets.ISO_8859_1)
                .lines()
                .limit(3)
                .reduce("", (a, b) -> a + b + "\n")
            + "type=PATH msg=audit(1.0:1): name=\"unterminated\n",
        StandardCharsets.ISO_8859_1);
    Path out = tmp.resolve("out.jsonl");
    assertThat(cli.run("events", "-o", out.toString(), bad.toString())).isEqualTo(65);
    assertThat(cli.errors().strip())
        .isEqualTo(
            "bootaudit: " + bad
                + ":4:34: expected a closing '\"' for 'name', found end of line (truncated record?) (use lenient mode to skip bad lines)");
    assertThat(cli.errors()).doesNotContain("at org.");
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).containsExactly(bad);
    }
  }

  @Test
  void lenientSkipsWithAWarning() throws IOException {
    Path bad = tmp.resolve("bad.log");
    Files.write(
        bad, List.of("garbage", "type=DAEMON_END msg=audit(1.0:1): op=terminate res=success"));
    assertThat(cli.run("events", "--lenient", bad.toString())).isEqualTo(0);
    assertThat(cli.errors())
        .contains(
            "bootaudit: warning: skipped 1 bad line(s); first: " + bad + ":1:1: expected 'type='");
  }

  @Test
  void missingFileIsAnIoErrorWithExit74() {
    assertThat(cli.run("events", tmp.resolve("nope.log").toString())).isEqualTo(74);
    assertThat(cli.errors().strip())
        .isEqualTo("bootaudit: " + tmp.resolve("nope.log") + ": no such file");
  }

  @Test
  void usageErrorsExit2() {
    assertThat(cli.run("events", "--format", "xml", RAW)).isEqualTo(2);
    assertThat(cli.errors()).contains("--format expects jsonl, json or csv, found 'xml'");
    assertThat(cli.run("events", "--until", "serial:x", RAW)).isEqualTo(2);
    assertThat(cli.run("nonsense")).isEqualTo(2);
  }

  /** A bad option value: the problem and where to read more, not the 17 to 43 lines of usage. */
  @Test
  void aUsageErrorIsOneLineAndAPointerToHelp() {
    assertThat(cli.run("events", "-f", "xml", RAW)).isEqualTo(2);
    assertThat(cli.errors())
        .startsWith("bootaudit: ")
        .contains("found 'xml'")
        .endsWith("\nTry 'bootaudit events --help' for more information.\n")
        .doesNotContain("Usage:");
    assertThat(cli.errors().lines()).hasSize(2);
    assertThat(cli.run("report", "--no-such-option", RAW)).isEqualTo(2);
    assertThat(cli.errors())
        .isEqualTo("bootaudit: Unknown option: '--no-such-option'\n"
            + "Try 'bootaudit report --help' for more information.\n");
    assertThat(cli.run("initramfs", "ls")).isEqualTo(2);
    assertThat(cli.errors())
        .endsWith("\nTry 'bootaudit initramfs ls --help' for more information.\n")
        .doesNotContain("Usage:");
  }

  @Test
  void outputFileAppearsWhole() throws IOException {
    Path out = tmp.resolve("events.json");
    assertThat(cli.run("events", "--until", "all", "-f", "json", "-o", out.toString(), RAW))
        .isEqualTo(0);
    JsonNode arr = new ObjectMapper().readTree(out.toFile());
    assertThat(arr.isArray()).isTrue();
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(out)))
        .as("the umask decides, as for any new file")
        .startsWith("rw-r");
    assertThat(arr.size()).isGreaterThan(10);
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).containsExactly(out);
    }
  }

  @Test
  void reportJsonHasBootsLossAndProcesses() throws IOException {
    assertThat(cli.run("report", "--until", "all", "-f", "json", RAW)).isEqualTo(0);
    JsonNode r = new ObjectMapper().readTree(cli.out());
    JsonNode boot = r.get("boots").get(0);
    assertThat(boot.get("loss").has("missingSerials")).isTrue();
    assertThat(boot.get("processes").size()).isGreaterThan(5);
    assertThat(boot.get("ops").get("exec").get("events").asLong()).isGreaterThan(0);
  }

  @Test
  void stdinIsReadWhenTheLogIsDash() throws IOException {
    var saved = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream(Files.readAllBytes(Path.of(RAW))));
      assertThat(cli.run("events", "--until", "all", "-")).isEqualTo(0);
    } finally {
      System.setIn(saved);
    }
    String viaStdin = cli.out();
    cli.run("events", "--until", "all", RAW);
    assertThat(viaStdin).isEqualTo(cli.out()).isNotEmpty();
  }

  @Test
  void untilTimeCutsEachBoot() throws IOException {
    cli.run("events", "--until", "all", RAW);
    List<JsonNode> all = jsonLines(cli.out());
    String cut = all.get(all.size() / 2).get("time").asText();
    assertThat(cli.run("events", "--until", cut, RAW)).isEqualTo(0);
    List<JsonNode> upTo = jsonLines(cli.out());
    assertThat(upTo).isNotEmpty().hasSizeLessThan(all.size());
    assertThat(upTo).allMatch(e -> e.get("time").asText().compareTo(cut) <= 0);
  }

  @Test
  void accessTimeConfigOfTheOriginalPostFiltersTheList() throws IOException {
    Path cfg = tmp.resolve("access_time.cfg");
    Files.writeString(
        cfg,
        "{ \"boot_start\": \"2000-01-01 00:00\", \"boot_finish\": \"2100-01-01 00:00\","
            + " \"targets\": [ \"/tmp/bootaudit-wl/dir\", \"/etc\" ], \"excluded_extension\": [\".txt\"] }");
    assertThat(cli.run(
            "report",
            "--until",
            "all",
            "--files-only",
            "-f",
            "json",
            "--config",
            cfg.toString(),
            RAW))
        .isEqualTo(0);
    List<String> paths = List.of(new ObjectMapper().readValue(cli.out(), String[].class));
    assertThat(paths)
        .isNotEmpty()
        .isSorted()
        .allMatch(p -> p.equals("/tmp/bootaudit-wl/dir")
            || p.startsWith("/tmp/bootaudit-wl/dir/")
            || p.startsWith("/etc/"))
        .noneMatch(p -> p.endsWith(".txt"))
        .contains("/tmp/bootaudit-wl/dir/bad\\xFF.bin", "/etc/ld.so.cache");
  }

  @Test
  void accessTimeConfigWindowOutsideTheLogLeavesNothing() throws IOException {
    Path cfg = tmp.resolve("access_time.cfg");
    Files.writeString(
        cfg,
        "{ \"boot_start\": \"2013-11-26 15:24\", \"boot_finish\": \"2013-11-26 15:26\", \"targets\": [\"/\"] }");
    assertThat(cli.run("report", "--until", "all", "--files-only", "--config", cfg.toString(), RAW))
        .isEqualTo(0);
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void badConfigIsBadData() throws IOException {
    Path cfg = tmp.resolve("access_time.cfg");
    Files.writeString(cfg, "{ \"targets\": [ \"/etc\" ");
    assertThat(cli.run("report", "--files-only", "--config", cfg.toString(), RAW))
        .isEqualTo(65);
    assertThat(cli.errors()).startsWith("bootaudit: " + cfg + ":1:");
  }

  @Test
  void stapImportsBootprobeLogsAndRefusesOtherInput() throws IOException {
    assertThat(cli.run("stap", "../samples/stap/bootprobe.log")).isEqualTo(0);
    List<JsonNode> events = jsonLines(cli.out());
    assertThat(events).isNotEmpty().allMatch(e -> e.get("arch").asText().equals("stap"));
    assertThat(events)
        .anyMatch(e -> e.get("op").asText().equals("exec")
            && e.get("path").asText().equals("/tmp/bootaudit-wl/script.sh"));
    assertThat(cli.errors()).contains("loss: cannot be measured");
    assertThat(cli.run("stap", RAW)).isEqualTo(65);
    assertThat(cli.errors()).contains(RAW + ":1:1: expected a bootprobe line");
  }

  @Test
  void diffComparesTheAuditAndSystemtapMethodsOfTheSameRun() {
    int code =
        cli.run("diff", "--target", "/tmp/bootaudit-wl", RAW, "../samples/stap/bootprobe.log");
    assertThat(code)
        .as("the probe cannot see deletes, renames or attribute changes")
        .isEqualTo(1);
    assertThat(cli.out()).contains("/tmp/bootaudit-wl/dir/empty");
  }

  @Test
  void inputFormatCanBeForced() {
    assertThat(cli.run("events", "--input-format", "kernel-log", RAW)).isEqualTo(0);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.run("events", "--input-format", "xml", RAW)).isEqualTo(2);
    assertThat(cli.errors())
        .contains("--input-format expects auto, audit-log, kernel-log or bootprobe, found 'xml'");
  }

  private static List<JsonNode> jsonLines(String text) throws IOException {
    ObjectMapper m = new ObjectMapper();
    List<JsonNode> out = new java.util.ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        out.add(m.readTree(line));
      }
    }
    return out;
  }
}
