package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.bootaudit.rules.AuditRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class EnableCommandTest {

  @TempDir Path root;
  @RegisterExtension final CliRun cli = new CliRun();

  @Test
  void installsRulesHookAndOnlyWithTheFlagTheKernelArguments() throws IOException {
    Files.createDirectories(root.resolve("etc/default"));
    Files.writeString(root.resolve("etc/default/grub"), "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"quiet\"\n");
    assertThat(cli.run("enable", "--root", root.toString())).isEqualTo(0);
    Path rules = root.resolve("etc/audit/rules.d/50-bootaudit.rules");
    assertThat(cli.out())
        .contains("wrote " + rules)
        .contains("wrote " + root.resolve("etc/initramfs-tools/hooks/bootaudit"))
        .contains("wrote " + root.resolve("etc/initramfs-tools/scripts/init-top/bootaudit"))
        .contains("kernel arguments needed (not applied; add --kernel-args): audit=1 audit_backlog_limit=65536");
    assertThat(Files.readString(root.resolve("etc/default/grub"))).contains("\"quiet\"");
    assertThat(Files.readString(rules)).doesNotContain("\n-D\n").contains("-a always,exit -F arch=b64 -S execve");
    assertThat(AuditRules.parse(rules).rules()).isNotEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("etc/initramfs-tools/hooks/bootaudit"))))
        .startsWith("rwx");
    assertThat(root.resolve("etc/systemd/journald.conf.d")).as("no journald in this root").doesNotExist();
    assertThat(root.resolve("usr/lib/dracut")).as("no dracut in this root, so no module").doesNotExist();
    assertThat(cli.out()).doesNotContain("99bootaudit").contains("note: " + root + " has no usr/sbin/update-initramfs and no usr/lib/dracut");

    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(0);
    assertThat(Files.readString(root.resolve("etc/default/grub")))
        .isEqualTo("GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"quiet audit=1 audit_backlog_limit=65536\"\n");
    assertThat(cli.out())
        .contains("\nchanged " + root.resolve("etc/default/grub") + ": GRUB_CMDLINE_LINUX=\"quiet audit=1 audit_backlog_limit=65536\"\n"
            + "  run update-grub in that root to make the change to etc/default/grub take effect\n");

    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(0);
    assertThat(cli.out())
        .contains("unchanged " + root.resolve("etc/default/grub")
            + ": GRUB_CMDLINE_LINUX=\"quiet audit=1 audit_backlog_limit=65536\"\n")
        .doesNotContain("\nchanged ")
        .doesNotContain("update-grub");
  }

  @Test
  void aRootWithJournaldGetsADropInKeepingAuditingOn() throws IOException {
    Files.createDirectories(root.resolve("usr/lib/systemd"));
    Files.writeString(root.resolve("usr/lib/systemd/systemd-journald"), "");
    assertThat(cli.run("enable", "--root", root.toString())).isEqualTo(0);
    Path dropIn = root.resolve("etc/systemd/journald.conf.d/zz-bootaudit.conf");
    assertThat(cli.out()).contains("wrote " + dropIn + " (Audit=yes: journald would switch auditing off when it starts)");
    assertThat(Files.readString(dropIn)).startsWith("# Added by bootaudit.").endsWith("[Journal]\nAudit=yes\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dropIn))).isEqualTo("rw-r--r--");
  }

  @Test
  void aRootWithDracutGetsTheModuleBesideTheInitramfsToolsPair() throws IOException {
    Files.createDirectories(root.resolve("usr/lib/dracut/modules.d"));
    Path rules = Files.writeString(root.resolve("my.rules"), "-D\n-b 8192\n-w /etc/passwd -p wa -k passwd\n");
    assertThat(cli.run("enable", "--root", root.toString(), "--rules", rules.toString())).isEqualTo(0);
    Path module = root.resolve("usr/lib/dracut/modules.d/99bootaudit");
    String hint = " (dracut: run dracut -f in that root)\n";
    assertThat(cli.out())
        .contains("wrote " + root.resolve("etc/initramfs-tools/hooks/bootaudit"))
        .contains("wrote " + module.resolve("audit.rules") + hint + "wrote " + module.resolve("journald-bootaudit.conf") + hint
            + "wrote " + module.resolve("bootaudit.sh") + hint + "wrote " + module.resolve("bootaudit.service") + hint
            + "wrote " + module.resolve("module-setup.sh") + hint)
        .doesNotContain("note: ");
    assertThat(Files.readString(module.resolve("audit.rules"))).as("the image loads the rules as given, -D included")
        .isEqualTo("-D\n-b 8192\n-w /etc/passwd -p wa -k passwd\n");
    assertThat(Files.readString(module.resolve("module-setup.sh"))).contains("require_binaries auditctl", "inst_binary auditctl");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(module.resolve("module-setup.sh")))).isEqualTo("rwxr-xr-x");
    assertThat(Files.readString(root.resolve("etc/audit/rules.d/50-bootaudit.rules"))).doesNotContain("-D");
  }

  @Test
  void kernelArgumentsGoIntoBootLoaderEntriesAndEtcKernelCmdline() throws IOException {
    Path fixture = Path.of("../initramfs-builder/src/test/resources/bls/kernel-install");
    try (var files = Files.walk(fixture)) {
      for (Path f : files.toList()) {
        Path to = root.resolve(fixture.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    String id = "e1dee3e5086d4fccbb827415148e7426";
    Path entry = root.resolve("boot/loader/entries/" + id + "-6.1.0-56-amd64.conf");
    Path cmdline = root.resolve("etc/kernel/cmdline");
    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(0);
    String uuid = "root=UUID=6f1e3c2a-4b5d-4e8f-9a0b-1c2d3e4f5a6b ro quiet";
    assertThat(cli.out())
        .contains("\nchanged " + root.resolve("boot/loader/entries/" + id + "-6.1.0-55-amd64.conf") + ": options    " + uuid
            + " systemd.machine_id=" + id + " audit=1 audit_backlog_limit=65536\n"
            + "changed " + entry + ": options    " + uuid + " audit=1 systemd.machine_id=" + id + " audit_backlog_limit=65536\n"
            + "changed " + cmdline + ": " + uuid + " audit=1 audit_backlog_limit=65536\n")
        .doesNotContain("update-grub")
        .doesNotContain("kernel arguments needed");
    assertThat(Files.readString(cmdline)).isEqualTo(uuid + " audit=1 audit_backlog_limit=65536\n");

    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(0);
    assertThat(cli.out()).contains("unchanged " + entry + ": ").doesNotContain("\nchanged ");
  }

  @Test
  void kernelArgumentsWithNowhereToGoFailNamingWhatWasLookedFor() {
    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(74);
    assertThat(cli.errors()).contains(root + ": no kernel command line found: looked for etc/default/grub")
        .contains("boot/loader/entries/*.conf");
  }

  @Test
  void refusesRulesWithErrorsAndWritesNothing() throws IOException {
    Path bad = Files.writeString(root.resolve("bad.rules"), "-e 2\n");
    Path target = Files.createDirectory(root.resolve("target"));
    assertThat(cli.run("enable", "--root", target.toString(), "--rules", bad.toString())).isEqualTo(65);
    assertThat(cli.errors()).contains(bad + ":1:").contains("nothing written");
    try (var files = Files.walk(target)) {
      assertThat(files).containsExactly(target);
    }
  }
}
