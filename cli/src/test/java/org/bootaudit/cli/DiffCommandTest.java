package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code bootaudit diff} on the real workload logs and on event sets derived from them. */
class DiffCommandTest {

  static final String W = "../samples/workload/";
  static final String RAW = W + "raw/audit.log";
  static final String WL = "/tmp/bootaudit-wl/";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @RegisterExtension
  final CliRun cli = new CliRun();

  @Test
  void rawAndEnrichedLogsOfTheSameWorkloadAreEqual() {
    assertThat(cli.run("diff", "--until", "all", RAW, W + "enriched/audit.log")).isEqualTo(0);
    assertThat(cli.out()).endsWith("equal\n").doesNotContain("files only");
  }

  @Test
  void savedEventsEqualTheLogTheyCameFrom() throws IOException {
    Path events = savedEvents();
    assertThat(cli.run("diff", "--until", "all", events.toString(), RAW)).isEqualTo(0);
    assertThat(cli.out())
        .contains("A: " + events + " (events, boot 1, ")
        .contains("B: " + RAW + " (log, boot 1, ");
  }

  @Test
  void eventsSavedAsOneJsonArrayAreReadToo() throws IOException {
    Path events = tmp.resolve("events.json");
    assertThat(cli.run("events", "--until", "all", "-f", "json", "-o", events.toString(), RAW))
        .isEqualTo(0);
    assertThat(cli.run("diff", "--until", "all", RAW, events.toString())).isEqualTo(0);
    assertThat(cli.out()).contains("B: " + events + " (events, boot 1, ");
  }

  @Test
  void theKernelLogLostMostOfTheWorkloadSoTheDiffSaysSoFirstAndExits3() throws IOException {
    assertThat(cli.run("diff", "--until", "all", "-f", "json", RAW, W + "kernel/dmesg.log"))
        .isEqualTo(3);
    JsonNode d = JSON.readTree(cli.out());
    assertThat(d.get("lost").asBoolean()).isTrue();
    assertThat(d.get("b").get("loss").get(0).asText())
        .startsWith("141 serial(s) missing in gaps 29932-30072");
    assertThat(d.get("a").get("loss")).isEmpty();
    assertThat(cli.errors())
        .startsWith("bootaudit: warning: " + W
            + "kernel/dmesg.log (boot 1) lost records: 141 serial(s) missing");
    assertThat(cli.run("diff", "--until", "all", RAW, W + "kernel/dmesg.log")).isEqualTo(3);
    assertThat(cli.out())
        .startsWith("LOSS in B (boot 1): 141 serial(s) missing in gaps 29932-30072;")
        .contains("(a file 'only in' one side may be a record the other side lost)\nA: " + RAW);
    assertThat(d.get("equal").asBoolean()).isFalse();
    assertThat(d.get("b").get("kind").asText()).isEqualTo("log");
    assertThat(strings(d.get("onlyInB"))).isEmpty();
    assertThat(strings(d.get("onlyInA")))
        .contains(WL + "dir/created.txt", WL + "script.sh", "/usr/bin/cat", "/etc/passwd")
        .isSorted();
    assertThat(strings(d.get("programsOnlyInA")))
        .contains("/usr/bin/cat", "/usr/bin/dash", "/usr/bin/mkfifo");
    assertThat(d.get("byDirectory").get("/tmp").get("onlyInA").asInt()).isEqualTo(12);
  }

  @Test
  void aChangedEventSetShowsExactlyWhatChanged() throws IOException {
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(savedEvents())) {
      ObjectNode e = (ObjectNode) JSON.readTree(line);
      String path = e.get("path").asText();
      if (path.equals(WL + "dir/fifo")) {
        continue;
      }
      if (path.equals(WL + "script.sh") && e.get("op").asText().equals("read")) {
        e.put("op", "write");
      }
      lines.add(e.toString());
    }
    ObjectNode added = (ObjectNode) JSON.readTree(lines.get(0));
    added
        .put("op", "read")
        .put("path", "/etc/shadow")
        .put("exe", "/usr/bin/evil")
        .put("comm", "evil");
    lines.add(added.toString());
    Path changed = Files.write(tmp.resolve("changed.jsonl"), lines);

    assertThat(cli.run("diff", "--until", "all", "-f", "json", RAW, changed.toString()))
        .isEqualTo(1);
    JsonNode d = JSON.readTree(cli.out());
    assertThat(strings(d.get("onlyInA"))).containsExactly(WL + "dir/fifo");
    assertThat(strings(d.get("onlyInB"))).containsExactly("/etc/shadow");
    assertThat(d.get("opsChanged")).hasSize(1);
    assertThat(d.get("opsChanged").get(0).toString())
        .isEqualTo("{\"path\":\"" + WL
            + "script.sh\",\"a\":[\"read\",\"exec\"],\"b\":[\"write\",\"exec\"]}");
    assertThat(strings(d.get("programsOnlyInA"))).isEmpty();
    assertThat(strings(d.get("programsOnlyInB"))).containsExactly("/usr/bin/evil");
    assertThat(d.get("byOp").toString())
        .isEqualTo(
            "{\"create\":{\"onlyInA\":1,\"onlyInB\":0},\"read\":{\"onlyInA\":1,\"onlyInB\":1},"
                + "\"write\":{\"onlyInA\":0,\"onlyInB\":1},\"delete\":{\"onlyInA\":1,\"onlyInB\":0}}");
    assertThat(d.get("byDirectory").toString())
        .isEqualTo(
            "{\"/etc\":{\"onlyInA\":0,\"onlyInB\":1},\"/tmp\":{\"onlyInA\":1,\"onlyInB\":0}}");

    assertThat(cli.run("diff", "--until", "all", RAW, changed.toString())).isEqualTo(1);
    assertThat(cli.out())
        .contains("files only in A (1):\n  - " + WL + "dir/fifo\n")
        .contains("files only in B (1):\n  + /etc/shadow\n")
        .contains("  ~ " + WL + "script.sh: read,exec -> write,exec\n")
        .contains("programs only in B (appeared) (1):\n  + /usr/bin/evil\n")
        .endsWith("differ\n");
  }

  @Test
  void targetsLimitTheComparisonAndNameTheDirectories() throws IOException {
    assertThat(cli.run(
            "diff",
            "--until",
            "all",
            "-f",
            "json",
            "--target",
            WL + "dir",
            RAW,
            W + "kernel/dmesg.log"))
        .isEqualTo(3);
    JsonNode d = JSON.readTree(cli.out());
    assertThat(strings(d.get("onlyInA")))
        .allMatch(p -> p.equals(WL + "dir") || p.startsWith(WL + "dir/"))
        .contains(WL + "dir/fifo");
    assertThat(d.get("byDirectory").size()).isEqualTo(1);
    assertThat(d.get("byDirectory").has(WL + "dir")).isTrue();
  }

  @Test
  void theLastBootIsTakenUnlessBootIsGiven() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(savedEvents()));
    for (String line : Files.readAllLines(savedEvents())) {
      ObjectNode e = (ObjectNode) JSON.readTree(line);
      if (!e.get("path").asText().equals("/etc/passwd")) {
        lines.add(e.put("boot", 2).toString());
      }
    }
    Path twoBoots = Files.write(tmp.resolve("two.jsonl"), lines);
    assertThat(cli.run("diff", "--until", "all", RAW, twoBoots.toString())).isEqualTo(1);
    assertThat(cli.out())
        .contains("(events, boot 2, ")
        .contains("files only in A (1):\n  - /etc/passwd\n");
    assertThat(cli.run("diff", "--until", "all", "--boot", "1", RAW, twoBoots.toString()))
        .isEqualTo(0);
    assertThat(cli.run("diff", "--until", "all", "--boot", "3", RAW, twoBoots.toString()))
        .isEqualTo(65);
    assertThat(cli.errors().strip()).isEqualTo("bootaudit: " + RAW + ": no boot 3 (it has 1)");
  }

  @Test
  void aFileListIsComparedByPathsOnly() throws IOException {
    Path list = tmp.resolve("files.json");
    assertThat(cli.run("report", "--until", "all", "--files-only", "-o", list.toString(), RAW))
        .isEqualTo(0);
    assertThat(cli.run("diff", "--until", "all", "-f", "json", list.toString(), W + "rotated"))
        .isEqualTo(1);
    JsonNode d = JSON.readTree(cli.out());
    assertThat(d.get("a").get("kind").asText()).isEqualTo("files");
    assertThat(strings(d.get("onlyInA"))).isEmpty();
    // the rotated recording has a helper shell's burst of opens that the raw one lacks
    assertThat(strings(d.get("onlyInB"))).containsExactly(WL + "burst.txt");
    assertThat(d.get("opsChanged")).isEmpty();
    assertThat(cli.run("diff", "--until", "all", list.toString(), RAW)).isEqualTo(0);
  }

  @Test
  void baselineReportsUnapprovedPathsUnlessAllowed() throws IOException {
    Path approved = tmp.resolve("approved.json");
    assertThat(cli.run("report", "--until", "all", "--files-only", "-o", approved.toString(), RAW))
        .isEqualTo(0);
    String rotated = W + "rotated";

    assertThat(cli.run("diff", "--until", "all", "--baseline", approved.toString(), rotated))
        .isEqualTo(1);
    assertThat(cli.out())
        .contains("not approved (1):\n  + " + WL + "burst.txt\n")
        .endsWith("differ\n");

    assertThat(cli.run(
            "diff",
            "--until",
            "all",
            "--baseline",
            approved.toString(),
            "--allow",
            WL + "burst*",
            rotated))
        .isEqualTo(0);
    assertThat(cli.out())
        .contains("allowed:  1 path(s) matching " + WL + "burst*")
        .endsWith("approved\n");

    assertThat(cli.run(
            "diff",
            "--until",
            "all",
            "-f",
            "json",
            "--baseline",
            approved.toString(),
            "--allow-volatile",
            rotated))
        .isEqualTo(0);
    JsonNode b = JSON.readTree(cli.out());
    assertThat(b.get("approved").asBoolean()).isTrue();
    assertThat(b.get("allowedByGlob").asInt()).isEqualTo(1);
    assertThat(strings(b.get("allowGlobs"))).contains("/tmp/**", "/var/log/**", "/run/**");
  }

  @Test
  void anAllowGlobDoesNotMatchAcrossDirectoriesWithOneStar() throws IOException {
    Path approved = Files.writeString(tmp.resolve("approved.json"), "[]");
    assertThat(cli.run(
            "diff",
            "--until",
            "all",
            "-f",
            "json",
            "--baseline",
            approved.toString(),
            "--allow",
            "/tmp/*",
            RAW))
        .isEqualTo(1);
    List<String> left = strings(JSON.readTree(cli.out()).get("notApproved"));
    assertThat(left)
        .contains(WL + "script.sh", "/etc/passwd")
        .noneMatch(p -> p.startsWith("/tmp/") && p.indexOf('/', 5) < 0);
  }

  @Test
  void badEventLinesAreOneLineErrorsWithExit65() throws IOException {
    Path bad = Files.write(
        tmp.resolve("bad.jsonl"),
        List.of("{\"op\":\"read\",\"path\":\"/a\"}", "{\"op\":\"read\"}"));
    assertThat(cli.run("diff", bad.toString(), RAW)).isEqualTo(65);
    assertThat(cli.errors().strip())
        .isEqualTo("bootaudit: " + bad
            + ":2:1: expected an event with \"op\" and \"path\", found '{\"op\":\"read\"}'");

    Path badOp = Files.write(tmp.resolve("op.jsonl"), List.of("{\"op\":\"peek\",\"path\":\"/a\"}"));
    assertThat(cli.run("diff", badOp.toString(), RAW)).isEqualTo(65);
    assertThat(cli.errors().strip())
        .isEqualTo(
            "bootaudit: " + badOp
                + ":1:1: expected op create, read, write, exec, delete, rename, attr, mount or umount, found 'peek'");

    Path broken = Files.write(
        tmp.resolve("broken.jsonl"),
        List.of("{\"op\":\"read\",\"path\":\"/a\"}", "{\"op\": read}"));
    assertThat(cli.run("diff", broken.toString(), RAW)).isEqualTo(65);
    assertThat(cli.errors().strip())
        .startsWith("bootaudit: " + broken
            + ":2:8: expected JSON Lines of events (bootaudit events), found 'Unrecognized token");

    Path badList = Files.writeString(tmp.resolve("list.json"), "[\"/a\", 7]");
    assertThat(cli.run("diff", "--baseline", badList.toString(), RAW)).isEqualTo(65);
    assertThat(cli.errors().strip())
        .isEqualTo("bootaudit: " + badList + ":1:8: expected a path string, found '7'");
  }

  @Test
  void usageAndIoErrors() {
    assertThat(cli.run("diff", RAW)).isEqualTo(2);
    assertThat(cli.errors())
        .contains("diff needs two inputs A and B, or --baseline FILE and one input");
    assertThat(cli.run("diff", "--allow-volatile", RAW, RAW)).isEqualTo(2);
    assertThat(cli.run("diff", "-f", "xml", RAW, RAW)).isEqualTo(2);
    assertThat(cli.run("diff", RAW, tmp.resolve("nope.log").toString())).isEqualTo(74);
    assertThat(cli.errors().strip())
        .isEqualTo("bootaudit: " + tmp.resolve("nope.log") + ": no such file");
  }

  @Test
  void helpNamesTheExitCodes() {
    assertThat(cli.run("diff", "--help")).isEqualTo(0);
    assertThat(cli.out())
        .contains("Exit codes: 0 equal")
        .contains("1 different")
        .contains("Exit 3: a side lost records");
  }

  @Test
  void outputFileAppearsWholeEvenWhenTheyDiffer() throws IOException {
    Path out = tmp.resolve("diff.json");
    assertThat(cli.run(
            "diff",
            "--until",
            "all",
            "-f",
            "json",
            "-o",
            out.toString(),
            RAW,
            W + "kernel/dmesg.log"))
        .isEqualTo(3);
    assertThat(JSON.readTree(out.toFile()).get("equal").asBoolean()).isFalse();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).containsExactly(out);
    }
  }

  private Path savedEvents() throws IOException {
    Path events = tmp.resolve("events.jsonl");
    if (!Files.exists(events)) {
      assertThat(cli.run("events", "--until", "all", "-o", events.toString(), RAW))
          .isEqualTo(0);
    }
    return events;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
