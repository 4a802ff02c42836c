package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12: what an auditd user expects of the command line, on the real sample logs. */
class AusearchHabitsTest {

  static final String RAW = "../samples/workload/raw/audit.log";
  static final String ENRICHED = "../samples/workload/enriched/audit.log";
  static final String VM = "../samples/vm/initramfs-tools/audit";
  static final String BOOT = "../samples/boot/audit.log.gz";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @RegisterExtension
  final CliRun cli = new CliRun();

  @Test
  void eventsFiltersCombineWithAnd() throws IOException {
    assertThat(cli.run("events", "--until", "all", "-k", "exec", "--op", "exec", "-x", "cat", RAW))
        .isEqualTo(0);
    List<JsonNode> e = lines(cli.out());
    assertThat(e)
        .hasSize(3)
        .allMatch(x -> x.get("op").asText().equals("exec")
            && x.get("exe").asText().equals("/usr/bin/cat")
            && x.get("key").asText().equals("exec"));
    assertThat(cli.run(
            "events",
            "--until",
            "all",
            "--file",
            "/tmp/bootaudit-wl/missing",
            "--success",
            "no",
            RAW))
        .isEqualTo(0);
    assertThat(lines(cli.out()))
        .singleElement()
        .matches(x -> x.get("errno").asText().equals("ENOENT"));
    assertThat(cli.run("events", "--until", "all", "-ui", "0", "--file", "/usr/bin/c*", RAW))
        .isEqualTo(0);
    assertThat(lines(cli.out()))
        .isNotEmpty()
        .allMatch(x -> x.get("path").asText().startsWith("/usr/bin/c"));
  }

  @Test
  void pidWithChildrenFollowsTheTreeOfARealBoot() throws IOException {
    // the busybox boot: pid 1 is the initramfs's /init; everything descends from it
    assertThat(cli.run("events", "-p", "1", BOOT)).isEqualTo(0);
    List<JsonNode> alone = lines(cli.out());
    assertThat(alone).isNotEmpty().allMatch(x -> x.get("pid").asInt() == 1);
    assertThat(cli.run("events", "-p", "1", "--children", BOOT)).isEqualTo(0);
    List<JsonNode> family = lines(cli.out());
    assertThat(family.size()).isGreaterThan(alone.size() * 2);
    assertThat(family).anyMatch(x -> x.get("pid").asInt() != 1 && x.get("ppid").asInt() != 1);
    assertThat(cli.run("events", "--children", BOOT)).isEqualTo(2);
    assertThat(cli.errors())
        .startsWith("bootaudit: --children needs --pid PID\nTry 'bootaudit events --help'");
  }

  @Test
  void reportCountsOnlyWhatWasSelected() throws IOException {
    assertThat(cli.run("report", "-f", "json", "--phase", "initramfs", "--op", "exec", VM))
        .isEqualTo(0);
    JsonNode r = JSON.readTree(cli.out());
    assertThat(r.get("selection").get("filter").asText()).isEqualTo("op=exec, phase=initramfs");
    JsonNode ops = r.get("boots").get(0).get("ops");
    long execs = ops.get("exec").get("events").asLong();
    assertThat(execs).isEqualTo(r.get("selection").get("selected").asLong()).isPositive();
    assertThat(ops.get("read").get("events").asLong()).isZero();
    assertThat(cli.run("events", "--phase", "initramfs", "--op", "exec", VM)).isEqualTo(0);
    assertThat(lines(cli.out()))
        .hasSize((int) execs)
        .allMatch(x -> x.get("phase").asText().equals("initramfs"));
    assertThat(cli.run("report", "--phase", "initramfs", "--op", "exec", VM)).isEqualTo(0);
    assertThat(cli.out())
        .startsWith("selected: " + execs + " of ")
        .contains("exec " + execs + " (");
  }

  @Test
  void theHtmlPageShowsOnlyTheSelection() throws IOException {
    Path all = tmp.resolve("all.html");
    Path execs = tmp.resolve("exec.html");
    assertThat(cli.run("report", "--html", all.toString(), BOOT)).isEqualTo(0);
    assertThat(cli.run("report", "--html", execs.toString(), "--op", "exec", BOOT))
        .isEqualTo(0);
    assertThat(Files.readString(all)).contains("ld.so.cache").contains("modules.dep");
    assertThat(Files.readString(execs))
        .doesNotContain("ld.so.cache")
        .doesNotContain("modules.dep")
        .contains("/sbin/modprobe");
  }

  @Test
  void timesTakeAusearchFormsIsoEpochAndAZone() throws IOException {
    // the workload ran at 2026-11-26T22:26:44.904Z .. .928Z, i.e. 23:26:44 in Berlin
    assertThat(cli.run("events", "--until", "all", RAW)).isEqualTo(0);
    int all = lines(cli.out()).size();
    // a time without a date is today's: the workload ran before
    assertThat(cli.run(
            "events", "--until", "all", "--tz", "Europe/Berlin", "--start", "23:26:44", RAW))
        .isEqualTo(0);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.run(
            "events",
            "--until",
            "all",
            "--tz",
            "Europe/Berlin",
            "--start",
            "2026-11-26 23:26",
            "--end",
            "2026-11-26 23:26",
            RAW))
        .isEqualTo(0);
    assertThat(lines(cli.out())).hasSize(all);
    assertThat(cli.run("events", "--until", "all", "--start", "2026-11-26T22:26:44.916Z", RAW))
        .isEqualTo(0);
    int late = lines(cli.out()).size();
    assertThat(cli.run("events", "--until", "all", "--end", "@1795732004.916", RAW))
        .isEqualTo(0);
    assertThat(lines(cli.out()).size() + late).isEqualTo(all);
    assertThat(cli.run(
            "events",
            "--until",
            "all",
            "--tz",
            "UTC",
            "--start",
            "11/26/2026 22:26:44",
            "--end",
            "today",
            RAW))
        .isEqualTo(0);
    assertThat(lines(cli.out())).hasSize(all);
  }

  @Test
  void aWindowThatSelectsNothingWarnsWithTheLogsTimes() {
    assertThat(
            cli.run("report", "--tz", "UTC", "--start", "2020-01-01", "--end", "2020-01-01", RAW))
        .isEqualTo(0);
    assertThat(cli.errors())
        .isEqualTo(
            "bootaudit: warning: no event matched from 2020-01-01T00:00:00Z, before 2020-01-02T00:00:00Z"
                + " (145 file events read); the log runs from 2026-11-26 22:26:44 +00:00 to 2026-11-26 22:26:45 +00:00 (UTC)\n");
    assertThat(cli.run("events", "--until", "all", "--tz", "UTC", "--start", "yesterday", RAW))
        .isEqualTo(0);
    assertThat(cli.errors())
        .contains("no event matched from ")
        .contains("(145 file events read); the log runs from 2026-11-26 22:26:44");
  }

  @Test
  void badTimesAndZonesAreOneLine() {
    assertThat(cli.run("events", "--start", "tomorrow", RAW)).isEqualTo(2);
    assertThat(cli.errors())
        .startsWith("bootaudit: --start: expected 'YYYY-MM-DD [HH:MM[:SS]]'")
        .endsWith("found 'tomorrow'\nTry 'bootaudit events --help' for more information.\n");
    assertThat(cli.run("report", "--tz", "Mars/Olympus", RAW)).isEqualTo(2);
    assertThat(cli.errors())
        .startsWith("bootaudit: --tz expects a zone such as UTC")
        .hasLineCount(2);
    assertThat(cli.run("events", "--until", "2026-11-31", RAW)).isEqualTo(2);
    assertThat(cli.errors())
        .startsWith("bootaudit: --until: expected login, all, serial:N, 'YYYY-MM-DD")
        .hasLineCount(2);
    assertThat(cli.run("events", "-f", "/etc/passwd", RAW)).isEqualTo(2);
    assertThat(cli.errors())
        .startsWith(
            "bootaudit: --format expects jsonl, json or csv, found '/etc/passwd' (ausearch's -f FILE is --file here)");
  }

  /** Item 5's examples: one line and where to read more, also for values checked after parsing. */
  @Test
  void theIssuesBadValuesAreOneLineEach() {
    for (String[] args : new String[][] {
      {"events", "-f", "xml", RAW},
      {"report", "--ops", "foo", RAW},
      {"events", "--until", "the-login", RAW},
      {"diff", "--start", "soon", RAW, RAW},
      {"report", "--phase", "early", RAW},
      {"events", "--success", "maybe", RAW}
    }) {
      assertThat(cli.run(args)).as(String.join(" ", args)).isEqualTo(2);
      assertThat(cli.errors().lines()).as(cli.errors()).hasSize(2);
      assertThat(cli.errors())
          .startsWith("bootaudit: ")
          .endsWith("Try 'bootaudit " + args[0] + " --help' for more information.\n")
          .doesNotContain("Usage:");
    }
  }

  @Test
  void interpretNamesUsersFromTheTargetsOwnFiles() throws IOException {
    Path passwd = Files.writeString(
        tmp.resolve("passwd"),
        "root:x:0:0:root:/root:/bin/bash\nadmin:x:4242:4242::/home/admin:/bin/sh\n");
    Path group = Files.writeString(tmp.resolve("group"), "root:x:0:\n");
    assertThat(cli.run(
            "events",
            "--until",
            "all",
            "-i",
            "--passwd",
            passwd.toString(),
            "--group",
            group.toString(),
            RAW))
        .isEqualTo(0);
    assertThat(lines(cli.out()))
        .hasSize(145)
        .allMatch(x ->
            x.get("user").asText().equals("root") && x.get("auser").asText().equals("admin"));
    assertThat(
            cli.run("events", "--until", "all", "-ui", "admin", "--passwd", passwd.toString(), RAW))
        .isEqualTo(0);
    assertThat(cli.out()).isEmpty();
    assertThat(
            cli.run("events", "--until", "all", "-ui", "root", "--passwd", passwd.toString(), RAW))
        .isEqualTo(0);
    assertThat(lines(cli.out())).hasSize(145).allMatch(x -> !x.has("user"));
    assertThat(cli.run("events", "--until", "all", "-i", RAW)).isEqualTo(0);
    assertThat(lines(cli.out())).hasSize(145).allMatch(x -> !x.has("user") && !x.has("auser"));
    assertThat(cli.errors())
        .isEqualTo("bootaudit: warning: -i: the log names no users (not auditd's ENRICHED format);"
            + " give --passwd FILE of the machine that wrote it\n");
    Path bad = Files.writeString(tmp.resolve("bad"), "root:x:zero:0\n");
    assertThat(cli.run("events", "-i", "--passwd", bad.toString(), RAW)).isEqualTo(65);
    assertThat(cli.errors().strip())
        .isEqualTo(
            "bootaudit: " + bad + ":1:1: expected name:password:id:..., found 'root:x:zero:0'");
    assertThat(cli.run(
            "events", "--until", "all", "-f", "csv", "-i", "--passwd", passwd.toString(), RAW))
        .isEqualTo(0);
    assertThat(cli.out().lines().findFirst().orElseThrow()).endsWith(",target,keys,user,auser");
    assertThat(cli.out().lines().skip(1)).allMatch(l -> l.endsWith(",root,admin"));
  }

  @Test
  void interpretTakesNamesFromAnEnrichedLog() throws IOException {
    // auditd named uid 0 root, and could not name the workload's auid 4242: AUID="unknown(4242)"
    assertThat(cli.run("events", "--until", "all", "-i", ENRICHED)).isEqualTo(0);
    assertThat(cli.errors()).isEmpty();
    assertThat(lines(cli.out()))
        .hasSize(145)
        .allMatch(x -> x.get("user").asText().equals("root") && !x.has("auser"));
    // the target's files win where both name an id, and the log fills in what they lack
    Path passwd = Files.writeString(
        tmp.resolve("passwd"), "admin:x:4242:4242::/home/admin:/bin/sh\ntoor:x:0:0::/:/bin/sh\n");
    assertThat(cli.run(
            "events", "--until", "all", "-f", "csv", "-i", "--passwd", passwd.toString(), ENRICHED))
        .isEqualTo(0);
    assertThat(cli.out().lines().skip(1)).hasSize(145).allMatch(l -> l.endsWith(",toor,admin"));
    Path others = Files.writeString(tmp.resolve("others"), "admin:x:4242:4242::/:/bin/sh\n");
    assertThat(cli.run(
            "events", "--until", "all", "-f", "csv", "-i", "--passwd", others.toString(), ENRICHED))
        .isEqualTo(0);
    assertThat(cli.out().lines().skip(1)).hasSize(145).allMatch(l -> l.endsWith(",root,admin"));
    // without -i, no names even though the log has them
    assertThat(cli.run("events", "--until", "all", ENRICHED)).isEqualTo(0);
    assertThat(lines(cli.out())).allMatch(x -> !x.has("user") && !x.has("auser"));
  }

  @Test
  void interpretNamesTheServicesOfARecordedBoot() throws IOException {
    // the VM's dbus-daemon runs as uid 100, which only its own passwd calls messagebus
    assertThat(cli.run("events", "--until", "all", "-i", "-ui", "100", VM)).isEqualTo(0);
    assertThat(lines(cli.out()))
        .isNotEmpty()
        .allMatch(x -> x.get("exe").asText().equals("/usr/bin/dbus-daemon")
            && x.get("user").asText().equals("messagebus")
            && x.get("auser").asText().equals("unset"));
  }

  @Test
  void diffHeadlineCountsAreThoseItsListsComeFrom() throws IOException {
    assertThat(cli.run("diff", VM, "../samples/vm/dracut/audit")).isEqualTo(1);
    String text = cli.out();
    int filesA = count(text, "A: " + VM + " (log, boot 1, ", " files");
    int onlyA = count(text, "files only in A (", "):");
    assertThat(cli.run("diff", "-f", "json", VM, "../samples/vm/dracut/audit")).isEqualTo(1);
    JsonNode d = JSON.readTree(cli.out());
    assertThat(d.get("a").get("files").asInt()).isEqualTo(filesA);
    assertThat(d.get("onlyInA").size()).isEqualTo(onlyA).isLessThanOrEqualTo(filesA);
    // a file list: the lists come from the used paths, which the headline names
    Path list = tmp.resolve("files");
    assertThat(cli.run("report", "--files-only", "-o", list.toString(), BOOT)).isEqualTo(0);
    assertThat(cli.run("diff", list.toString(), BOOT)).isEqualTo(0);
    assertThat(cli.out()).contains("(files, ").endsWith("equal\n");
    assertThat(cli.run("diff", "-k", "x", list.toString(), BOOT)).isEqualTo(65);
    assertThat(cli.errors()).contains("expected a log to select events from, found a file list");
  }

  @Test
  void diffFiltersSelectBeforeComparing() throws IOException {
    assertThat(
            cli.run("diff", "--until", "all", "--op", "exec", RAW, "../samples/workload/rotated"))
        .isEqualTo(0);
    assertThat(cli.out()).endsWith("equal\n");
    assertThat(cli.run("diff", "--until", "all", RAW, "../samples/workload/rotated"))
        .isEqualTo(1);
  }

  @Test
  void filesOnlyIsOnePathPerLineAsTheFileSystemHasIt() throws IOException {
    assertThat(cli.run("report", "--files-only", VM)).isEqualTo(0);
    List<String> paths = cli.out().lines().toList();
    assertThat(paths)
        .isSorted()
        .doesNotHaveDuplicates()
        .allMatch(p -> p.startsWith("/"))
        .contains("/run/udev/links/disk\\x2fby-id\\x2fata-QEMU_DVD-ROM_QM00003");
    assertThat(cli.errors())
        .startsWith("bootaudit: warning: 152 name(s) not listed: they could not be made absolute")
        .contains("'.', '.ICE-unix'");
    // with the names apart, the report's unique-file count is the two together
    assertThat(cli.run("report", VM)).isEqualTo(0);
    assertThat(cli.out()).contains("files:     " + (paths.size() + 152) + " unique files used");
    assertThat(cli.run("report", "--files-only", "-f", "json", VM)).isEqualTo(0);
    List<String> json = new ArrayList<>();
    JSON.readTree(cli.out()).forEach(n -> json.add(n.asText()));
    assertThat(json)
        .hasSize(paths.size())
        .contains("/run/udev/links/disk\\\\x2fby-id\\\\x2fata-QEMU_DVD-ROM_QM00003");
  }

  @Test
  void aNameThatIsNotUtf8IsWrittenAsItsBytesAndReadBackByDiff() throws IOException {
    Path list = tmp.resolve("files");
    assertThat(cli.run(
            "report",
            "--until",
            "all",
            "--files-only",
            "--target",
            "/tmp/bootaudit-wl/dir",
            "-o",
            list.toString(),
            RAW))
        .isEqualTo(0);
    byte[] bytes = Files.readAllBytes(list);
    assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
        .contains("/tmp/bootaudit-wl/dir/bad\u00ff.bin\n");
    assertThat(cli.run(
            "diff", "--until", "all", "--target", "/tmp/bootaudit-wl/dir", list.toString(), RAW))
        .isEqualTo(0);
    assertThat(cli.run(
            "diff",
            "--until",
            "all",
            "--baseline",
            list.toString(),
            "--target",
            "/tmp/bootaudit-wl/dir",
            RAW))
        .isEqualTo(0);
  }

  @Test
  void jsonOutputsCarryTheSchemaVersion() throws IOException {
    assertThat(cli.run("report", "-f", "json", BOOT)).isEqualTo(0);
    assertThat(JSON.readTree(cli.out()).get("schema").asInt())
        .isEqualTo(org.bootaudit.analysis.Schema.VERSION)
        .isEqualTo(2);
    assertThat(cli.run("diff", "-f", "json", "--until", "all", RAW, "../samples/workload/rotated"))
        .isEqualTo(1);
    assertThat(JSON.readTree(cli.out()).fieldNames().next()).isEqualTo("schema");
    assertThat(cli.run("events", "--until", "all", "-f", "csv", RAW)).isEqualTo(0);
    assertThat(cli.out().lines().findFirst().orElseThrow())
        .isEqualTo(String.join(",", org.bootaudit.analysis.EventWriter.FIELDS));
  }

  private static int count(String text, String before, String after) {
    int i = text.indexOf(before) + before.length();
    return Integer.parseInt(text.substring(i, text.indexOf(after, i)));
  }

  private static List<JsonNode> lines(String text) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : text.split("\n")) {
      if (!l.isBlank()) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }
}
