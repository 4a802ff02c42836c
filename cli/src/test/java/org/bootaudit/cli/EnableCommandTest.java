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

    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(0);
    assertThat(Files.readString(root.resolve("etc/default/grub")))
        .contains("GRUB_CMDLINE_LINUX=\"quiet audit=1 audit_backlog_limit=65536\"");
    assertThat(cli.out()).contains("changed " + root.resolve("etc/default/grub"));
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
