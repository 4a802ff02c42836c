package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.bootaudit.rules.AuditRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class EnableCommandTest {

  @TempDir
  Path root;

  @RegisterExtension
  final CliRun cli = new CliRun();

  @Test
  void installsRulesHookAndOnlyWithTheFlagTheKernelArguments() throws IOException {
    Files.createDirectories(root.resolve("etc/default"));
    Files.writeString(
        root.resolve("etc/default/grub"), "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"quiet\"\n");
    assertThat(cli.run("enable", "--root", root.toString())).isEqualTo(0);
    Path rules = root.resolve("etc/audit/rules.d/50-bootaudit.rules");
    assertThat(cli.out())
        .contains("wrote " + rules)
        .contains("wrote " + root.resolve("etc/initramfs-tools/hooks/bootaudit"))
        .contains("wrote " + root.resolve("etc/initramfs-tools/scripts/init-top/bootaudit"))
        .contains(
            "kernel arguments needed (not applied; add --kernel-args): audit=1 audit_backlog_limit=131072");
    assertThat(Files.readString(root.resolve("etc/default/grub"))).contains("\"quiet\"");
    assertThat(Files.readString(rules))
        .doesNotContain("\n-D\n")
        .contains("-a always,exit -F arch=b64 -S execve");
    assertThat(AuditRules.parse(rules).rules()).isNotEmpty();
    assertThat(PosixFilePermissions.toString(
            Files.getPosixFilePermissions(root.resolve("etc/initramfs-tools/hooks/bootaudit"))))
        .startsWith("rwx");
    assertThat(root.resolve("etc/systemd/journald.conf.d"))
        .as("no journald in this root")
        .doesNotExist();
    assertThat(root.resolve("usr/lib/dracut"))
        .as("no dracut in this root, so no module")
        .doesNotExist();
    assertThat(cli.out())
        .doesNotContain("99bootaudit")
        .contains("note: " + root + " has no usr/sbin/update-initramfs and no usr/lib/dracut");

    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(0);
    assertThat(Files.readString(root.resolve("etc/default/grub")))
        .isEqualTo(
            "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"quiet audit=1 audit_backlog_limit=131072\"\n");
    assertThat(cli.out())
        .contains(
            "\nchanged " + root.resolve("etc/default/grub") + " (backup: "
                + root.resolve("etc/default/grub.bootaudit-backup")
                + "): GRUB_CMDLINE_LINUX=\"quiet audit=1 audit_backlog_limit=131072\"\n"
                + "  run update-grub in that root to make the change to etc/default/grub take effect\n");

    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(0);
    assertThat(cli.out())
        .contains("unchanged " + root.resolve("etc/default/grub")
            + ": GRUB_CMDLINE_LINUX=\"quiet audit=1 audit_backlog_limit=131072\"\n")
        .doesNotContain("\nchanged ")
        .doesNotContain("update-grub");
  }

  @Test
  void aRootWithJournaldGetsADropInKeepingAuditingOn() throws IOException {
    Files.createDirectories(root.resolve("usr/lib/systemd"));
    Files.writeString(root.resolve("usr/lib/systemd/systemd-journald"), "");
    assertThat(cli.run("enable", "--root", root.toString())).isEqualTo(0);
    Path dropIn = root.resolve("etc/systemd/journald.conf.d/zz-bootaudit.conf");
    assertThat(cli.out())
        .contains(
            "wrote " + dropIn + " (Audit=yes: journald would switch auditing off when it starts)");
    assertThat(Files.readString(dropIn))
        .startsWith("# Added by bootaudit.")
        .endsWith("[Journal]\nAudit=yes\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dropIn)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void aRootWithDracutGetsTheModuleBesideTheInitramfsToolsPair() throws IOException {
    Files.createDirectories(root.resolve("usr/lib/dracut/modules.d"));
    Files.createDirectories(root.resolve("usr/sbin"));
    Files.writeString(root.resolve("usr/sbin/update-initramfs"), "#!/bin/sh\n");
    Path rules = Files.writeString(
        root.resolve("my.rules"), "-D\n-b 8192\n-w /etc/passwd -p wa -k passwd\n");
    assertThat(cli.run("enable", "--root", root.toString(), "--rules", rules.toString()))
        .isEqualTo(0);
    Path module = root.resolve("usr/lib/dracut/modules.d/99bootaudit");
    String hint = " (dracut: run dracut -f in that root)\n";
    assertThat(cli.out())
        .contains("wrote " + root.resolve("etc/initramfs-tools/hooks/bootaudit"))
        .contains("wrote " + module.resolve("audit.rules") + hint + "wrote "
            + module.resolve("journald-bootaudit.conf") + hint
            + "wrote " + module.resolve("bootaudit.sh") + hint + "wrote "
            + module.resolve("bootaudit.service") + hint
            + "wrote " + module.resolve("module-setup.sh") + hint)
        .doesNotContain("has no usr/sbin/update-initramfs");
    assertThat(Files.readString(module.resolve("audit.rules")))
        .as("the image loads the rules as given, -D included")
        .isEqualTo("-D\n-b 8192\n-w /etc/passwd -p wa -k passwd\n");
    assertThat(Files.readString(module.resolve("module-setup.sh")))
        .contains("require_binaries auditctl", "inst_binary auditctl");
    assertThat(PosixFilePermissions.toString(
            Files.getPosixFilePermissions(module.resolve("module-setup.sh"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(Files.readString(root.resolve("etc/audit/rules.d/50-bootaudit.rules")))
        .doesNotContain("-D");
  }

  @Test
  void aRootWithDracutAloneGetsNoInitramfsToolsHooks() throws IOException {
    Files.createDirectories(root.resolve("usr/lib/dracut/modules.d"));
    assertThat(cli.run("enable", "--root", root.toString())).isEqualTo(0);
    assertThat(root.resolve("usr/lib/dracut/modules.d/99bootaudit/module-setup.sh"))
        .exists();
    assertThat(root.resolve("etc/initramfs-tools"))
        .as("dracut replaced initramfs-tools here")
        .doesNotExist();
    assertThat(cli.out())
        .doesNotContain("initramfs-tools")
        .doesNotContain("has no usr/sbin/update-initramfs");
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
    Path older = root.resolve("boot/loader/entries/" + id + "-6.1.0-55-amd64.conf");
    assertThat(cli.out())
        .contains(
            "\nchanged " + older + " (backup: " + older + ".bootaudit-backup): options    " + uuid
                + " systemd.machine_id=" + id + " audit=1 audit_backlog_limit=131072\n"
                + "changed " + entry + " (backup: " + entry + ".bootaudit-backup): options    "
                + uuid + " audit=1 systemd.machine_id="
                + id + " audit_backlog_limit=131072\n"
                + "changed " + cmdline + " (backup: " + cmdline + ".bootaudit-backup): " + uuid
                + " audit=1 audit_backlog_limit=131072\n")
        .doesNotContain("update-grub")
        .doesNotContain("kernel arguments needed");
    assertThat(Files.readString(cmdline)).isEqualTo(uuid + " audit=1 audit_backlog_limit=131072\n");

    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(0);
    assertThat(cli.out()).contains("unchanged " + entry + ": ").doesNotContain("\nchanged ");
  }

  @Test
  void kernelArgumentsWithNowhereToGoFailNamingWhatWasLookedForAndWriteNothing()
      throws IOException {
    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(74);
    assertThat(cli.errors())
        .contains(root + ": no kernel command line found: looked for etc/default/grub")
        .contains("boot/loader/entries/*.conf");
    try (var files = Files.walk(root)) {
      assertThat(files).as("planned before anything is written").containsExactly(root);
    }
  }

  @Test
  void refusesRulesWithErrorsAndWritesNothing() throws IOException {
    Path bad = Files.writeString(root.resolve("bad.rules"), "-e 2\n");
    Path target = Files.createDirectory(root.resolve("target"));
    assertThat(cli.run("enable", "--root", target.toString(), "--rules", bad.toString()))
        .isEqualTo(65);
    assertThat(cli.errors()).contains(bad + ":1:").contains("nothing written");
    try (var files = Files.walk(target)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void aDryRunPrintsTheLinesOfARealRunAndChangesNothing() throws IOException {
    Roots.debian(root);
    Map<String, String> before = Roots.snapshot(root);
    assertThat(cli.run(
            "enable", "--root", root.toString(), "--kernel-args", "--boot-only", "--dry-run"))
        .isEqualTo(0);
    String dry = cli.out();
    assertThat(Roots.snapshot(root)).as("byte-identical, no temporary file").isEqualTo(before);
    Path grub = root.resolve("etc/default/grub");
    assertThat(dry)
        .contains("would change " + grub + " (backup: " + grub
            + ".bootaudit-backup): GRUB_CMDLINE_LINUX=\"audit=1"
            + " audit_backlog_limit=131072\"\n")
        .contains("would write " + root.resolve("etc/audit/rules.d/50-bootaudit.rules")
            + " (the rules, for the root's augenrules)\n")
        .contains(
            "would make directory " + root.resolve("usr/lib/dracut/modules.d/99bootaudit") + "\n")
        .contains("would make directory " + root.resolve("usr/local/lib/bootaudit") + "\n")
        .contains("would link "
            + root.resolve("etc/systemd/system/multi-user.target.wants/bootaudit-boot-only.service")
            + " -> ../bootaudit-boot-only.service (systemctl enable bootaudit-boot-only.service)\n")
        .contains("would write " + root.resolve("etc/bootaudit/enable.manifest")
            + " (what 'bootaudit disable' undoes)\n")
        .doesNotContainPattern("(?m)^(wrote|changed|linked|made directory) ");

    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args", "--boot-only"))
        .isEqualTo(0);
    String real = cli.out();
    assertThat(Roots.snapshot(root)).isNotEqualTo(before);
    assertThat(dry)
        .as("the same lines, each change as not made")
        .isEqualTo(real.replaceAll("(?m)^wrote ", "would write ")
            .replaceAll("(?m)^changed ", "would change ")
            .replaceAll("(?m)^linked ", "would link ")
            .replaceAll("(?m)^made directory ", "would make directory "));
  }

  @Test
  void aSecondRunKeepsTheFirstBackupAndAddsNothingTwice() throws IOException {
    Roots.debian(root);
    Path grub = root.resolve("etc/default/grub");
    String pristine = Files.readString(grub);
    Path manifest = root.resolve("etc/bootaudit/enable.manifest");
    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(0);
    List<String> first = Files.readAllLines(manifest);
    String enabled = Files.readString(grub);
    assertThat(enabled)
        .isEqualTo(pristine.replace(
            "GRUB_CMDLINE_LINUX=\"\"",
            "GRUB_CMDLINE_LINUX=\"audit=1 audit_backlog_limit=131072\""));

    // someone switches auditing off for a boot; enable again must put it back, not back up the
    // edited file
    Files.writeString(
        grub,
        enabled.replace(
            "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"",
            "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet audit=0\""));
    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(0);
    assertThat(Files.readString(grub))
        .as("no argument twice")
        .isEqualTo(enabled.replace(
            "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"",
            "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet audit=1\""));
    assertThat(Files.readString(root.resolve("etc/default/grub.bootaudit-backup")))
        .as("still the original")
        .isEqualTo(pristine);
    assertThat(cli.out())
        .contains("changed " + grub + " (backup: " + grub
            + ".bootaudit-backup): GRUB_CMDLINE_LINUX_DEFAULT=\"quiet"
            + " audit=1\"; GRUB_CMDLINE_LINUX=\"audit=1 audit_backlog_limit=131072\"\n");
    List<String> second = Files.readAllLines(manifest);
    assertThat(second)
        .as("the same entries; only what enable left in the edited files differs")
        .hasSameSizeAs(first)
        .doesNotHaveDuplicates();
    assertThat(second.stream().map(l -> l.replaceAll("\tsha256:.*", "")))
        .containsExactlyElementsOf(
            first.stream().map(l -> l.replaceAll("\tsha256:.*", "")).toList());
    assertThat(second)
        .contains("edited\tetc/default/grub\tetc/default/grub.bootaudit-backup\t"
            + Roots.sha256(Files.readAllBytes(grub)));

    Map<String, String> after = Roots.snapshot(root);
    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(0);
    assertThat(cli.out())
        .doesNotContainPattern("(?m)^(wrote|changed|linked|made directory) ")
        .contains("unchanged " + grub
            + ": GRUB_CMDLINE_LINUX_DEFAULT=\"quiet audit=1\"; GRUB_CMDLINE_LINUX=\"audit=1"
            + " audit_backlog_limit=131072\"\n");
    assertThat(Roots.snapshot(root)).isEqualTo(after);
  }

  @Test
  void theBacklogHasStigsFloorAndItsCostIsSaid() throws IOException {
    assertThat(cli.run("enable", "--root", root.toString(), "--backlog", "4096"))
        .isEqualTo(2);
    assertThat(cli.errors())
        .startsWith(
            "bootaudit: --backlog 4096: expected at least 8192 (DISA STIG RHEL-09-653120 asks"
                + " audit_backlog_limit >= 8192; boot capture needs more)\n");
    try (var files = Files.walk(root)) {
      assertThat(files).containsExactly(root);
    }
    assertThat(cli.run("enable", "--root", root.toString())).isEqualTo(0);
    assertThat(cli.out())
        .contains(
            "\nbacklog: 131072 records, about 288 MiB of kernel memory at most, only while records are"
                + " held before auditd starts (a record: a ~256-byte sk_buff with a 2 KiB buffer)\n");
    assertThat(cli.run("enable", "--root", root.toString(), "--backlog", "8192"))
        .isEqualTo(0);
    assertThat(cli.out())
        .contains(
            "kernel arguments needed (not applied; add --kernel-args): audit=1 audit_backlog_limit=8192\n"
                + "backlog: 8192 records, about 18 MiB of kernel memory");
  }

  @Test
  void anotherBacklogReplacesOursKeepingTheFirstBackup() throws IOException {
    Roots.debian(root);
    Path grub = root.resolve("etc/default/grub");
    String pristine = Files.readString(grub);
    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(0);
    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args", "--backlog", "262144"))
        .isEqualTo(0);
    assertThat(Files.readString(grub))
        .isEqualTo(pristine.replace(
            "GRUB_CMDLINE_LINUX=\"\"",
            "GRUB_CMDLINE_LINUX=\"audit=1 audit_backlog_limit=262144\""));
    assertThat(Files.readString(root.resolve("etc/default/grub.bootaudit-backup")))
        .as("still the original")
        .isEqualTo(pristine);
    assertThat(cli.out())
        .contains("changed " + grub + " (backup: " + grub
            + ".bootaudit-backup): GRUB_CMDLINE_LINUX=\"audit=1"
            + " audit_backlog_limit=262144\"\n  audit_backlog_limit=131072 raised to 262144\n");
    assertThat(Files.readString(root.resolve("etc/initramfs-tools/scripts/init-top/bootaudit")))
        .contains("/sbin/auditctl -b 262144 ")
        .doesNotContain("131072");
    assertThat(Files.readString(
            root.resolve("usr/lib/dracut/modules.d/99bootaudit/bootaudit.service")))
        .contains("/usr/sbin/auditctl -b 262144\n");
    assertThat(Files.readString(root.resolve("etc/audit/rules.d/50-bootaudit.rules")))
        .as("the hold queue's limit is the command line's; after auditd, the root's own rules'")
        .doesNotContain("-b ");
  }

  @Test
  void aLargerBacklogOnTheCommandLineStaysAndTheHooksKeepIt() throws IOException {
    Path cmdline = root.resolve("etc/kernel/cmdline");
    Files.createDirectories(cmdline.getParent());
    Files.writeString(cmdline, "root=/dev/vda1 ro audit_backlog_limit=524288\n");
    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args", "--backlog", "100000"))
        .isEqualTo(0);
    assertThat(Files.readString(cmdline))
        .isEqualTo("root=/dev/vda1 ro audit_backlog_limit=524288 audit=1\n");
    assertThat(cli.out())
        .contains("changed " + cmdline + " (backup: " + cmdline
            + ".bootaudit-backup): root=/dev/vda1 ro audit_backlog_limit=524288"
            + " audit=1\n  audit_backlog_limit=524288 kept (larger than 100000; never lowered)\n")
        .contains("backlog: 524288 records, about 1152 MiB");
    assertThat(Files.readString(root.resolve("etc/initramfs-tools/scripts/init-top/bootaudit")))
        .as("the hook must not lower it either")
        .contains("/sbin/auditctl -b 524288 ");
  }

  @Test
  void auditdConfKeepsWholeBootsAndEveryOtherByte() throws IOException {
    Path conf = root.resolve("etc/audit/auditd.conf");
    Roots.copy(Roots.RESOURCES.resolve("etc/audit/auditd.conf"), conf, "rw-r-----");
    String original = Files.readString(conf);
    assertThat(original).contains("\nmax_log_file = 8\nnum_logs = 5\n");
    assertThat(cli.run("enable", "--root", root.toString())).isEqualTo(0);
    assertThat(Files.readString(conf))
        .isEqualTo(original.replace("\nmax_log_file = 8\n", "\nmax_log_file = 32\n"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf)))
        .isEqualTo("rw-r-----");
    assertThat(Files.readString(root.resolve("etc/audit/auditd.conf.bootaudit-backup")))
        .isEqualTo(original);
    assertThat(cli.out())
        .contains(
            "changed " + conf + " (backup: " + conf
                + ".bootaudit-backup): max_log_file 8 -> 32 (MB; a boot"
                + " with the early-boot rules writes ~16 MB)\n  the log keeps num_logs 5 x max_log_file 32 MB = 160 MB, about 10 boots of"
                + " ~16 MB (fewer when the early-boot rules stay after the login prompt: then every file opened is logged; see --boot-only)\n");

    // only ever raised; other actions are explained and left; a missing key is added
    Files.writeString(
        conf, "# mine\nmax_log_file_action = keep_logs\nnum_logs = 2\nmax_log_file=50 # MB\n");
    assertThat(cli.run("enable", "--root", root.toString())).isEqualTo(0);
    assertThat(Files.readString(conf))
        .isEqualTo("# mine\nmax_log_file_action = keep_logs\nnum_logs = 2\nmax_log_file=50 # MB\n");
    assertThat(cli.out())
        .contains(
            "unchanged " + conf + ": max_log_file and num_logs keep whole boots already\n"
                + "  max_log_file_action = KEEP_LOGS: auditd starts a new file at max_log_file and never deletes one, so every boot"
                + " is kept until the disk fills (then space_left_action and disk_full_action apply); num_logs does not apply; left as it is\n");
    Files.writeString(conf, "max_log_file_action = SUSPEND");
    assertThat(cli.run("enable", "--root", root.toString())).isEqualTo(0);
    assertThat(Files.readString(conf))
        .isEqualTo("max_log_file_action = SUSPEND\nmax_log_file = 32\n");
    assertThat(cli.out())
        .contains(
            ": max_log_file (missing) -> 32 (MB; a boot with the early-boot rules writes ~16 MB)\n"
                + "  max_log_file_action = SUSPEND: auditd stops writing when the log reaches max_log_file: the boots after that are not"
                + " recorded until someone rotates the log; left as it is\n");
    assertThat(Files.readString(root.resolve("etc/audit/auditd.conf.bootaudit-backup")))
        .as("the first backup stays")
        .isEqualTo(original);
  }

  @Test
  void bootOnlyInstallsAUnitThatEndsTheEarlyRulesAtTheLoginPrompt() throws IOException {
    Roots.debian(root);
    assertThat(cli.run("enable", "--root", root.toString(), "--boot-only")).isEqualTo(0);
    Path unit = root.resolve("etc/systemd/system/bootaudit-boot-only.service");
    Path wants =
        root.resolve("etc/systemd/system/multi-user.target.wants/bootaudit-boot-only.service");
    Path script = root.resolve("usr/local/lib/bootaudit/boot-only");
    assertThat(Files.readString(unit))
        .contains(
            "\n[Unit]\nDescription=bootaudit: end early-boot auditing at the login prompt\n",
            "\nAfter=auditd.service getty.target systemd-user-sessions.service\n",
            "\n[Service]\nType=oneshot\nRemainAfterExit=yes\nExecStart=/usr/local/lib/bootaudit/boot-only\n",
            "\n[Install]\nWantedBy=multi-user.target\n");
    assertThat(Files.readSymbolicLink(wants)).isEqualTo(Path.of("../bootaudit-boot-only.service"));
    assertThat(Files.isSameFile(wants, unit)).isTrue();
    assertThat(Files.readAllBytes(script)).isEqualTo(Roots.resource("boot-only.sh"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(script)))
        .isEqualTo("rwxr-xr-x");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(unit)))
        .isEqualTo("rw-r--r--");
    assertThat(Files.readAllLines(root.resolve("etc/bootaudit/enable.manifest")))
        .contains(
            "dir\tusr/local/lib/bootaudit",
            "added\tusr/local/lib/bootaudit/boot-only",
            "added\tetc/systemd/system/bootaudit-boot-only.service",
            "added\tetc/systemd/system/multi-user.target.wants/bootaudit-boot-only.service");
    assertThat(cli.out()).doesNotContain("locks the rules");

    Files.writeString(root.resolve("etc/audit/rules.d/99-finalize.rules"), "## STIG\n-e 2\n");
    assertThat(cli.run("enable", "--root", root.toString(), "--boot-only")).isEqualTo(0);
    assertThat(cli.out())
        .contains("note: " + root.resolve("etc/audit/rules.d/99-finalize.rules")
            + " locks the rules (-e 2)");
  }
}
