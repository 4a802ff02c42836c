package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** disable undoes enable on a root as Debian 12 has it, from enable's manifest, byte for byte. */
class DisableCommandTest {

  @TempDir
  Path root;

  @RegisterExtension
  final CliRun cli = new CliRun();

  @Test
  void enableThenDisableLeavesTheWholeTreeAsItWas() throws IOException {
    Roots.debian(root);
    // left by an earlier 'initramfs inject --target-root': enable replaces it, disable puts it back
    Roots.file(
        root.resolve("etc/initramfs-tools/hooks/bootaudit"),
        "#!/bin/sh\n# an older hook\n",
        "rwxr-x---");
    Map<String, String> before = Roots.snapshot(root);

    assertThat(cli.run(
            "enable",
            "--root",
            root.toString(),
            "--kernel-args",
            "--boot-only",
            "--backlog",
            "100000"))
        .isEqualTo(0);
    Path hook = root.resolve("etc/initramfs-tools/hooks/bootaudit");
    assertThat(cli.out())
        .contains("wrote " + hook
            + " (initramfs-tools: run update-initramfs -u in that root; it replaces a file"
            + " enable did not write, kept as "
            + root.resolve("etc/bootaudit/backup/etc/initramfs-tools/hooks/bootaudit") + ")\n");
    Map<String, String> enabled = Roots.snapshot(root);
    assertThat(enabled)
        .isNotEqualTo(before)
        .containsKeys(
            "etc/bootaudit/enable.manifest",
            "etc/default/grub.bootaudit-backup",
            "etc/kernel/cmdline.bootaudit-backup",
            "etc/audit/auditd.conf.bootaudit-backup",
            "usr/lib/dracut/modules.d/99bootaudit",
            "etc/systemd/journald.conf.d/zz-bootaudit.conf",
            "usr/local/lib/bootaudit/boot-only",
            "etc/systemd/system/multi-user.target.wants/bootaudit-boot-only.service");
    assertThat(Files.readString(root.resolve("etc/default/grub")))
        .contains("audit_backlog_limit=100000");

    assertThat(cli.run("disable", "--root", root.toString(), "--dry-run")).isEqualTo(0);
    String dry = cli.out();
    assertThat(Roots.snapshot(root)).as("a dry run changes nothing").isEqualTo(enabled);

    assertThat(cli.run("disable", "--root", root.toString())).isEqualTo(0);
    assertThat(Roots.snapshot(root))
        .as("paths, bytes, permissions and links as before enable")
        .isEqualTo(before);
    String out = cli.out();
    Path grub = root.resolve("etc/default/grub");
    assertThat(out)
        .contains("restored " + grub + " from " + grub + ".bootaudit-backup\n")
        .contains("restored " + hook + " from "
            + root.resolve("etc/bootaudit/backup/etc/initramfs-tools/hooks/bootaudit") + "\n")
        .contains("removed " + root.resolve("etc/audit/rules.d/50-bootaudit.rules") + "\n")
        .contains(
            "removed directory " + root.resolve("usr/lib/dracut/modules.d/99bootaudit") + "\n")
        .contains("removed " + root.resolve("etc/bootaudit/enable.manifest")
            + " (enable's record of its changes)\n")
        .endsWith(
            "run update-initramfs -u -k all in that root: its initramfs images still load the rules\n"
                + "run dracut --regenerate-all -f in that root: its initramfs images still load the rules\n"
                + "run update-grub in that root: grub.cfg still has the kernel arguments of etc/default/grub\n"
                + "note: the rules the kernel has now stay until the next boot (or 'augenrules --load')\n")
        .doesNotContain("note: left");
    assertThat(dry)
        .isEqualTo(out.replaceAll("(?m)^removed ", "would remove ")
            .replaceAll("(?m)^restored ", "would restore ")
            .replaceAll("(?m)^run ", "then run "));
  }

  @Test
  void withoutAManifestThereIsNothingToUndo() throws IOException {
    Roots.debian(root);
    Map<String, String> before = Roots.snapshot(root);
    assertThat(cli.run("disable", "--root", root.toString())).isEqualTo(65);
    assertThat(cli.errors())
        .isEqualTo("bootaudit: " + root + ": no etc/bootaudit/enable.manifest, so nothing to undo:"
            + " 'bootaudit enable' has not run on this root (or it was undone already)\n");
    assertThat(Roots.snapshot(root)).isEqualTo(before);
  }

  @Test
  void aFileChangedSinceEnableIsLeftWithItsBackup() throws IOException {
    Roots.debian(root);
    Path grub = root.resolve("etc/default/grub");
    String pristine = Files.readString(grub);
    assertThat(cli.run("enable", "--root", root.toString(), "--kernel-args")).isEqualTo(0);
    String edited = Files.readString(grub).replace("GRUB_TIMEOUT=5", "GRUB_TIMEOUT=1");
    Files.writeString(grub, edited);

    assertThat(cli.run("disable", "--root", root.toString())).isEqualTo(0);
    assertThat(Files.readString(grub)).as("the admin's edit is never lost").isEqualTo(edited);
    assertThat(Files.readString(root.resolve("etc/default/grub.bootaudit-backup")))
        .isEqualTo(pristine);
    assertThat(cli.out())
        .contains(
            "note: " + grub + " changed since enable: left as it is; its original before enable is "
                + grub + ".bootaudit-backup (compare, and restore by hand)\n")
        .contains("restored " + root.resolve("etc/audit/auditd.conf"))
        .doesNotContain("update-grub");
    assertThat(root.resolve("etc/bootaudit")).doesNotExist();
  }

  @Test
  void aManifestNamingPathsOutsideTheRootIsRefused() throws IOException {
    Roots.file(
        root.resolve("etc/bootaudit/enable.manifest"),
        Roots.MANIFEST_HEADER + "\nadded\t../../etc/passwd\n",
        "rw-r--r--");
    assertThat(cli.run("disable", "--root", root.toString())).isEqualTo(65);
    assertThat(cli.errors())
        .isEqualTo("bootaudit: " + root.resolve("etc/bootaudit/enable.manifest")
            + ":2:7: expected a path inside the root, found '../../etc/passwd'\n");
    Roots.file(
        root.resolve("etc/bootaudit/enable.manifest"),
        Roots.MANIFEST_HEADER + "\nedited etc/default/grub\n",
        "rw-r--r--");
    assertThat(cli.run("disable", "--root", root.toString())).isEqualTo(65);
    assertThat(cli.errors())
        .isEqualTo(
            "bootaudit: " + root.resolve("etc/bootaudit/enable.manifest")
                + ":2:1: expected 'dir PATH',"
                + " 'added PATH' or 'edited PATH BACKUP sha256:HEX' (tab-separated), found 'edited etc/default/grub'\n");
  }
}
