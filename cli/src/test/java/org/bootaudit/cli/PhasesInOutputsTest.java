package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Phases and the hold queue in every output, on the real early-boot sample: the events' phase
 * field (JSON Lines, CSV), the report's phase and backlog lines (text and JSON), and the sample's
 * report.txt, which must be what the report says today.
 */
class PhasesInOutputsTest {

  static final String BOOT = "../samples/boot/audit.log.gz";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  final CliRun cli = new CliRun();

  @Test
  void theSamplesReportTxtIsTheReportOfItsLog() throws IOException {
    assertThat(cli.run("report", BOOT)).isEqualTo(0);
    assertThat(cli.out()).isEqualTo(Files.readString(Path.of("../samples/boot/report.txt")));
  }

  @Test
  void theTextReportCountsEachPhaseAndSaysWhereItBegins() {
    assertThat(cli.run("report", BOOT)).isEqualTo(0);
    assertThat(cli.out()).contains("""
          phases:    initramfs       4504 file events, from the start of the capture
                     root              56 file events, from serial 4697 at 2026-11-27T00:39:59.912Z (pid 1 exec /sbin/init on fe:00)
                     auditd             0 file events, from serial 4822 at 2026-11-27T00:40:00.240Z (CONFIG_CHANGE audit_pid=184)
                     after-window      68 file events, after serial 4767 (the window's end)
        """);
  }

  @Test
  void theTextReportWeighsTheHoldQueueAgainstTheLimitInForce() {
    assertThat(cli.run("report", BOOT)).isEqualTo(0);
    assertThat(cli.out()).contains("""
          backlog:   21590 records held until auditd connected (serials below 4822); with the kernel's EOE
                     records, which auditd does not write, 26406 queue entries: 40% of audit_backlog_limit 65536 (set at serial 4737)
                     recommended: audit_backlog_limit=65536 (twice the 26406 entries held, rounded up to a power of two; at least 8192)
        """);
  }

  /** The sample without serials 1000 to 1100, as a queue that overflowed would leave it. */
  @Test
  void serialsMissingBeforeAuditdAreAnOverflowAndTheRecommendationCountsThem(@TempDir Path tmp)
      throws IOException {
    Path log = tmp.resolve("audit.log");
    try (var in = new GZIPInputStream(Files.newInputStream(Path.of(BOOT)))) {
      String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      StringBuilder kept = new StringBuilder();
      Matcher m = Pattern.compile("audit\\([0-9.]+:(\\d+)\\)").matcher("");
      for (String line : all.split("\n")) {
        long serial = m.reset(line).find() ? Long.parseLong(m.group(1)) : 0;
        if (line.startsWith("type=DAEMON_") || serial < 1000 || serial > 1100) {
          kept.append(line).append('\n');
        }
      }
      Files.writeString(log, kept, StandardCharsets.ISO_8859_1);
    }
    assertThat(cli.run("report", log.toString())).isEqualTo(0);
    assertThat(cli.out()).contains("""
                     the hold queue OVERFLOWED (records lost before auditd connected): 101 serial(s) missing before auditd connected
                     recommended: audit_backlog_limit=65536 (twice the 25892 entries held and ~505 lost, rounded up to a power of two; at least 8192)
        """);
  }

  @Test
  void withTheWholeLogTheEventsAfterTheLoginAreCountedAndSaidSo() {
    assertThat(cli.run("report", "--until", "all", BOOT)).isEqualTo(0);
    assertThat(cli.out())
        .contains("4560 file events in the window, 68 after it (counted: --until all)")
        .contains("after-window      68 file events, after serial 4767 (the window's end)");
  }

  @Test
  void theJsonReportHasPhasesAndBacklog() throws IOException {
    assertThat(cli.run("report", "-f", "json", BOOT)).isEqualTo(0);
    JsonNode boot = JSON.readTree(cli.out()).get("boots").get(0);
    JsonNode phases = boot.get("phases");
    assertThat(phases.get("initramfs").get("fileEvents").asLong()).isEqualTo(4504);
    assertThat(phases.get("root").get("fileEvents").asLong()).isEqualTo(56);
    assertThat(phases.get("root").get("serial").asLong()).isEqualTo(4697);
    assertThat(phases.get("root").get("marker").asText())
        .isEqualTo("pid 1 exec /sbin/init on fe:00");
    assertThat(phases.get("auditd").get("serial").asLong()).isEqualTo(4822);
    assertThat(phases.get("auditd").get("time").asText()).isEqualTo("2026-11-27T00:40:00.240Z");
    assertThat(phases.get("after-window").get("fileEvents").asLong()).isEqualTo(68);
    assertThat(phases.get("after-window").get("afterSerial").asLong()).isEqualTo(4767);
    Map<String, Object> backlog =
        JSON.convertValue(boot.get("backlog"), new TypeReference<Map<String, Object>>() {});
    assertThat(backlog)
        .containsEntry("held", 21590)
        .containsEntry("endOfEvent", 4816)
        .containsEntry("queued", 26406)
        .containsEntry("limit", 65536)
        .containsEntry("limitSerial", 4737)
        .containsEntry("missingSerials", 0)
        .containsEntry("overflowed", false)
        .containsEntry("recommendedLimit", 65536);
  }

  @Test
  void everyEventNamesItsPhaseInJsonLinesAndCsv() throws IOException {
    assertThat(cli.run("events", "--until", "all", BOOT)).isEqualTo(0);
    Map<String, Long> byPhase = new LinkedHashMap<>();
    String previous = "";
    for (String line : cli.out().split("\n")) {
      JsonNode e = JSON.readTree(line);
      String phase = e.get("phase").asText();
      if (!phase.equals(previous)) {
        assertThat(byPhase).as("phases come in order, each once").doesNotContainKey(phase);
        previous = phase;
      }
      byPhase.merge(phase, 1L, Long::sum);
    }
    assertThat(byPhase)
        .containsExactly(
            Map.entry("initramfs", 4504L), Map.entry("root", 56L), Map.entry("after-window", 68L));
    assertThat(cli.run("events", "-f", "csv", BOOT)).isEqualTo(0);
    String[] rows = cli.out().split("\n");
    assertThat(rows[0]).startsWith("boot,serial,time,phase,op,path,");
    assertThat(rows)
        .filteredOn(r -> r.startsWith("1,4697,"))
        .isNotEmpty()
        .allMatch(r -> r.contains(",root,exec,"));
  }
}
