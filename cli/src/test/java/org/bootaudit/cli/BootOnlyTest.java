package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bootaudit.rules.AuditRules;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot-only script run with sh against a fake auditctl that records its arguments and the
 * rules it was given (the real one would change this machine's rules), and the unit checked by
 * systemd-analyze.
 */
class BootOnlyTest {

  @TempDir
  Path tmp;

  Path rulesD;
  Path script;

  @BeforeEach
  void fakeAuditctl() throws IOException {
    rulesD = Files.createDirectories(tmp.resolve("rules.d"));
    script = tmp.resolve("boot-only");
    Roots.file(
        script, new String(Roots.resource("boot-only.sh"), StandardCharsets.UTF_8), "rwxr-xr-x");
    Roots.file(
        tmp.resolve("bin/auditctl"),
        String.join(
            "\n",
            "#!/bin/sh",
            "echo \"$*\" >> \"$CALLS\"",
            "if [ \"$1\" = -R ]; then cat \"$2\" > \"$LOADED\"; ls -l \"$2\" | cut -c1-10 > \"$LOADED.mode\"; fi",
            ""),
        "rwxr-xr-x");
    Files.createDirectories(tmp.resolve("tmp"));
  }

  @Test
  void loadsTheRootsOwnRulesAsAugenrulesWouldWithoutBootaudits() throws Exception {
    Files.copy(
        Roots.RESOURCES.resolve("etc/audit/rules.d/audit.rules"), rulesD.resolve("audit.rules"));
    Files.writeString(
        rulesD.resolve("50-bootaudit.rules"),
        org.bootaudit.initramfs.RootSetup.forRoot(
            AuditRules.profileText("early-boot").orElseThrow()));
    Files.writeString(
        rulesD.resolve("30-stig.rules"),
        "## identity\n-w /etc/passwd -p wa -k identity\n\n"
            + "  # mounts\n-a always,exit -F arch=b64 -S mount -k mount\n");
    Files.writeString(rulesD.resolve("99-finalize.rules"), "-e 1\n");
    Files.writeString(rulesD.resolve("10-off.rules.disabled"), "-a never,exit -S all\n");

    assertThat(run()).isEqualTo("-R " + tmp.resolve("tmp") + "/bootaudit-boot-only.XXXXXX\n");
    String loaded = Files.readString(tmp.resolve("loaded"));
    assertThat(loaded)
        .isEqualTo("-D\n-b 8192\n-f 1\n-w /etc/passwd -p wa -k identity\n"
            + "-a always,exit -F arch=b64 -S mount -k mount\n--backlog_wait_time 60000\n-e 1\n");
    assertThat(Files.readString(tmp.resolve("loaded.mode")))
        .as("auditctl -R refuses files others can write")
        .isEqualTo("-rw-------\n");
    assertThat(tmp.resolve("tmp")).isEmptyDirectory();

    if (Files.isExecutable(Path.of("/usr/sbin/augenrules"))) {
      // augenrules itself, pointed at a copy of the directory without bootaudit's file
      Path copy = Files.createDirectories(tmp.resolve("augenrules/rules.d"));
      for (String f :
          List.of("audit.rules", "30-stig.rules", "99-finalize.rules", "10-off.rules.disabled")) {
        Files.copy(rulesD.resolve(f), copy.resolve(f));
      }
      Path out = tmp.resolve("augenrules/audit.rules");
      Path augenrules = tmp.resolve("augenrules/augenrules");
      Files.writeString(
          augenrules,
          Files.readString(Path.of("/usr/sbin/augenrules"))
              .replace("DestinationFile=/etc/audit/audit.rules", "DestinationFile=" + out)
              .replace("SourceRulesDir=/etc/audit/rules.d", "SourceRulesDir=" + copy));
      Process p = new ProcessBuilder("sh", augenrules.toString())
          .redirectErrorStream(true)
          .start();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      // auditctl skips blank and comment lines; augenrules' awk drops indented comments only where
      // awk knows \s (mawk does not)
      List<String> expected = Files.readAllLines(out).stream()
          .filter(l -> !l.isBlank() && !l.strip().startsWith("#"))
          .toList();
      assertThat(loaded.lines())
          .as("what augenrules makes of the root's own files")
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void withoutOtherRulesTheKernelIsLeftWithNone() throws Exception {
    Files.writeString(
        rulesD.resolve("50-bootaudit.rules"), "-a always,exit -F arch=b64 -S openat -k ba_open\n");
    Files.writeString(rulesD.resolve("README"), "-a always,exit -S all\n");
    assertThat(run()).isEqualTo("-D\n");
    assertThat(tmp.resolve("loaded")).doesNotExist();
    Files.delete(tmp.resolve("calls"));
    Files.delete(rulesD.resolve("50-bootaudit.rules"));
    Files.delete(rulesD.resolve("README"));
    Files.delete(rulesD);
    assertThat(run()).as("no rules directory at all").isEqualTo("-D\n");
  }

  @Test
  void systemdAnalyzeVerifiesTheUnit() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/systemd-analyze"))
            || Files.isExecutable(Path.of("/bin/systemd-analyze")),
        "systemd-analyze is not installed (package systemd)");
    // the unit as installed but for ExecStart, which verify wants to find on this machine
    String unit = new String(Roots.resource("bootaudit-boot-only.service"), StandardCharsets.UTF_8);
    assertThat(unit)
        .contains("\nExecStart=/" + org.bootaudit.initramfs.RootSetup.BOOT_ONLY_SCRIPT + "\n");
    Path file = tmp.resolve(org.bootaudit.initramfs.RootSetup.BOOT_ONLY_UNIT);
    Files.writeString(
        file,
        unit.replace(
            "ExecStart=/" + org.bootaudit.initramfs.RootSetup.BOOT_ONLY_SCRIPT,
            "ExecStart=" + script));
    Process p = new ProcessBuilder("systemd-analyze", "verify", "--man=no", file.toString())
        .redirectErrorStream(true)
        .start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(said).isZero();
    assertThat(said)
        .as("systemd-analyze verify has nothing to say about the unit")
        .doesNotContain(org.bootaudit.initramfs.RootSetup.BOOT_ONLY_UNIT);
  }

  /** Runs the script on rulesD; returns auditctl's calls. */
  private String run() throws Exception {
    ProcessBuilder b =
        new ProcessBuilder("sh", script.toString(), rulesD.toString()).redirectErrorStream(true);
    b.environment().put("PATH", tmp.resolve("bin") + ":/usr/bin:/bin");
    b.environment().put("TMPDIR", tmp.resolve("tmp").toString());
    b.environment().put("CALLS", tmp.resolve("calls").toString());
    b.environment().put("LOADED", tmp.resolve("loaded").toString());
    Process p = b.start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(said).isZero();
    assertThat(said).isEmpty();
    return Files.readString(tmp.resolve("calls"))
        .replaceAll("bootaudit-boot-only\\.[A-Za-z0-9]{6}", "bootaudit-boot-only.XXXXXX");
  }
}
