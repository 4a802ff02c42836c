package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bootaudit attest} on recorded boots: the Debian VM enabled with bootaudit passes every
 * control, the same VM as installed (no audit=1) fails with the evidence, and a root's boot
 * entries are checked line by line.
 */
class AttestCommandTest {

  static final String ENABLED = "../samples/vm/initramfs-tools/audit";
  static final String STOCK = "../samples/vm/stock/audit";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  final CliRun cli = new CliRun();

  @TempDir
  Path tmp;

  @Test
  void theEnabledVmPassesEveryControlAndTheSampleShowsIt() throws IOException {
    assertThat(cli.run("attest", ENABLED)).isEqualTo(0);
    assertThat(cli.out())
        .isEqualTo(Files.readString(Path.of("../samples/vm/initramfs-tools/attest.txt")));
    assertThat(cli.out())
        .contains(
            "35709 records made before auditd connected (serials 2 to 8191",
            "audit_backlog_limit 131072 set at serial 42",
            "serials 2 to 13480 contiguous")
        .endsWith("overall: pass\n");
    assertThat(cli.run("attest", "-f", "json", ENABLED)).isEqualTo(0);
    JsonNode j = JSON.readTree(cli.out());
    assertThat(j.get("controls"))
        .hasSize(5)
        .allSatisfy(c -> assertThat(c.get("verdict").asText()).isEqualTo("pass"));
    assertThat(j.get("overall").asText()).isEqualTo("pass");
  }

  @Test
  void theStockVmBootedWithoutAudit1FailsWithTheEvidence() throws IOException {
    assertThat(cli.run("attest", STOCK)).isEqualTo(1);
    assertThat(cli.out()).isEqualTo(Files.readString(Path.of("../samples/vm/stock/attest.txt")));
    JsonNode j = json(STOCK);
    assertThat(j.get("controls").get(0).get("control").asText())
        .startsWith("DISA STIG RHEL 9 V-257796");
    assertThat(j.get("controls").get(0).get("verdict").asText()).isEqualTo("fail");
    assertThat(j.get("controls").get(0).get("evidence").get(0).asText())
        .contains(
            "the first record (serial 3 at ",
            ") came after auditd started (DAEMON_START at ",
            "(no audit=1)");
    // the limit auditd's rules set later says nothing of the boot before auditd
    assertThat(j.get("controls").get(1).get("verdict").asText()).isEqualTo("cannot tell");
    assertThat(j.get("controls").get(4).get("verdict").asText()).isEqualTo("fail");
    assertThat(j.get("overall").asText()).isEqualTo("fail");
  }

  @Test
  void aRootsBootEntriesAreCheckedLineByLine() throws IOException {
    Path root = Roots.debian(tmp.resolve("root"));
    assertThat(cli.run("attest", "--root", root.toString(), ENABLED)).isEqualTo(1);
    assertThat(cli.out())
        .containsPattern("- /etc/default/grub:\\d+: no audit=1 in 'GRUB_CMDLINE_LINUX=\"\"'")
        .containsPattern("- /boot/loader/entries/[^:]+\\.conf:\\d+: no audit=1")
        .containsPattern("- /etc/kernel/cmdline:1: no audit_backlog_limit");

    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(0);
    assertThat(cli.run("attest", "--root", root.toString(), ENABLED)).isEqualTo(0);
    assertThat(cli.out())
        .containsPattern("- /etc/default/grub:\\d+: audit=1 in 'GRUB_CMDLINE_LINUX=\"audit=1 ")
        .containsPattern("- /boot/loader/entries/[^:]+\\.conf:\\d+: audit_backlog_limit=131072")
        .doesNotContain("not checked")
        .endsWith("overall: pass\n");
  }

  @Test
  void aRootThatIsNoDirectoryIsAUsageError() {
    assertThat(cli.run("attest", "--root", tmp.resolve("nothing").toString(), ENABLED))
        .isEqualTo(2);
    assertThat(cli.errors()).contains("--root expects a directory");
  }

  private JsonNode json(String log) throws IOException {
    cli.run("attest", "-f", "json", log);
    return JSON.readTree(cli.out());
  }
}
