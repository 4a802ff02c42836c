package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content, on two real boots of one Debian VM with IMA's {@code audit} rules
 * (samples/vm/ima-audit): the second was booted with a line appended to /etc/sysctl.conf
 * (record-vm.sh --change), so that file's content differs; nothing was edited by hand.
 */
class ImaContentTest {

  static final Path VM = Path.of("../samples/vm/ima-audit");
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  final CliRun cli = new CliRun();

  @TempDir
  Path tmp;

  @Test
  void imaJoinsTheLogsOwnRecordsWithoutAMeasurementList() {
    assertThat(cli.run("ima", VM.resolve("audit").toString())).isEqualTo(0);
    assertThat(cli.out())
        .contains("2021 INTEGRITY_RULE records: 1695 files got one from their own event")
        // systemd-sysctl opened the link; the kernel audited where it led
        .contains(" /etc/sysctl.d/99-sysctl.conf (INTEGRITY_RULE serial 6557: /etc/sysctl.conf)\n")
        .contains("INTEGRITY_STATUS: 1 record(s)")
        .contains("op=policy_update cause=completed comm=ima-policy res=1");
  }

  @Test
  void imaWithoutRecordsOrAListIsAUsageError() {
    assertThat(cli.run("ima", "../samples/vm/initramfs-tools/audit")).isEqualTo(2);
    assertThat(cli.errors()).contains("give --measurements FILE: the log holds no INTEGRITY_RULE");
  }

  @Test
  void diffComparesTheHashesOfEachSide() throws IOException {
    Path a = names(VM.resolve("ima-measurements.txt"));
    Path b = names(VM.resolve("changed/ima-measurements.txt"));
    assertThat(cli.run(
            "diff",
            a.toString(),
            b.toString(),
            "--ima",
            VM.resolve("ima-measurements.txt").toString(),
            "--ima",
            VM.resolve("changed/ima-measurements.txt").toString()))
        .isEqualTo(1);
    // the file changed on purpose, and the machine id systemd wrote at the first boot of each
    assertThat(cli.out())
        .contains("content changed (2):\n")
        .contains("  ~ /etc/machine-id: ")
        .contains(
            "  ~ /etc/sysctl.conf: sha256:3928dfdaf13a8ca3a6309c3eb2aaf09bcbe059f7dd261304260d436c97b77954"
                + " -> sha256:97512bf0133fd9a3121032b715701c709d1bcaf8cc05a9fc04bfaed72863686c\n")
        .contains("content:     438 files in both hashed on both sides, 2 changed\n");
  }

  @Test
  void aSideWithoutHashesIsSaidNotCompared() throws IOException {
    Path a = names(VM.resolve("ima-measurements.txt"));
    assertThat(cli.run("diff", a.toString(), VM.resolve("audit").toString()))
        .isEqualTo(DiffCommand.LOST);
    assertThat(cli.out())
        .contains("content:     0 files in both hashed on both sides, 0 changed; A has no hashes");
  }

  @Test
  void theBaselinesHashesCheckTheLogsRecords() throws IOException {
    // the checked boot's hashes come from its INTEGRITY_RULE records, the approved ones from the
    // other boot's measurement list
    assertThat(cli.run(
            "diff",
            "-f",
            "json",
            "--allow-volatile",
            "--baseline",
            VM.resolve("changed/ima-measurements.txt").toString(),
            VM.resolve("audit").toString()))
        .isEqualTo(DiffCommand.LOST); // one late record in the checked log, said first
    JsonNode j = JSON.readTree(cli.out());
    assertThat(j.get("approved").asBoolean()).isFalse();
    assertThat(j.get("contentNotApproved")).hasSize(1);
    JsonNode c = j.get("contentNotApproved").get(0);
    assertThat(c.get("path").asText()).isEqualTo("/etc/sysctl.conf");
    assertThat(c.get("found").toString()).contains("3928dfda");
    assertThat(c.get("approved").toString()).contains("97512bf0");
    assertThat(j.get("hashesCompared").asInt()).isGreaterThan(500);
  }

  @Test
  void oneImaListPerInput() throws IOException {
    Path a = names(VM.resolve("ima-measurements.txt"));
    assertThat(cli.run(
            "diff",
            a.toString(),
            a.toString(),
            "--ima",
            VM.resolve("ima-measurements.txt").toString()))
        .isEqualTo(2);
    assertThat(cli.errors()).contains("give one --ima per input (2), found 1");
  }

  /** The files a measurement list names, as a path list. */
  private Path names(Path list) throws IOException {
    TreeSet<String> names = new TreeSet<>();
    for (String l : Files.readAllLines(list)) {
      String[] f = l.split(" ");
      if (!f[2].equals("ima-buf") && f[4].startsWith("/")) {
        names.add(f[4]);
      }
    }
    Path out = tmp.resolve(list.getParent().getFileName() + ".txt");
    Files.write(out, List.copyOf(names));
    return out;
  }
}
