package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bootaudit.initramfs.KernelCommandLine.Place;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kernel arguments go, only when asked, into every file of a root that holds the kernel command
 * line: etc/default/grub, Boot Loader Specification entries (fixtures written by the real
 * kernel-install, see {@code bls/recreate.sh}), grubenv's kernelopts (made by grub-editenv) and
 * etc/kernel/cmdline, replacing conflicting values and keeping every other byte.
 */
class KernelArgumentsTest {
  static final Path BLS = Path.of("src/test/resources/bls");
  static final String OURS = "e1dee3e5086d4fccbb827415148e7426";
  static final String RHEL = "5c1e8a3f0b7d4e2a9f6c3d8b1a2e4f70";
  static final String ARGS = "audit=1 audit_backlog_limit=131072";

  @TempDir
  Path root;

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      GRUB_CMDLINE_LINUX=""                              | GRUB_CMDLINE_LINUX="audit=1 audit_backlog_limit=131072"
      GRUB_CMDLINE_LINUX="quiet audit=0"                 | GRUB_CMDLINE_LINUX="quiet audit=1 audit_backlog_limit=131072"
      GRUB_CMDLINE_LINUX='console=ttyS0'                 | GRUB_CMDLINE_LINUX='console=ttyS0 audit=1 audit_backlog_limit=131072'
      GRUB_CMDLINE_LINUX="audit_backlog_limit=64"        | GRUB_CMDLINE_LINUX="audit_backlog_limit=131072 audit=1"
      GRUB_CMDLINE_LINUX="a  audit=0\tb" # keep this     | GRUB_CMDLINE_LINUX="a  audit=1\tb audit_backlog_limit=131072" # keep this
      GRUB_CMDLINE_LINUX=quiet                           | GRUB_CMDLINE_LINUX="quiet audit=1 audit_backlog_limit=131072"
      GRUB_CMDLINE_LINUX=                                | GRUB_CMDLINE_LINUX="audit=1 audit_backlog_limit=131072"
      export GRUB_CMDLINE_LINUX="quiet"                  | export GRUB_CMDLINE_LINUX="quiet audit=1 audit_backlog_limit=131072"
      GRUB_CMDLINE_LINUX="audit=0 x audit=0"             | GRUB_CMDLINE_LINUX="audit=1 x audit=1 audit_backlog_limit=131072"
      GRUB_CMDLINE_LINUX="audit-backlog-limit=8 audit"   | GRUB_CMDLINE_LINUX="audit_backlog_limit=131072 audit=1"
      GRUB_CMDLINE_LINUX="ro -- audit=0 single"          | GRUB_CMDLINE_LINUX="ro audit=1 audit_backlog_limit=131072 -- audit=0 single"
      GRUB_CMDLINE_LINUX="ro dyndbg=\\"file x +p\\""     | GRUB_CMDLINE_LINUX="ro dyndbg=\\"file x +p\\" audit=1 audit_backlog_limit=131072"
      """)
  void mergesIntoGrubCmdlineLinux(String before, String after) throws IOException {
    Path grub = root.resolve("etc/default/grub");
    Files.createDirectories(grub.getParent());
    String head =
        "# If you change this file, run 'update-grub'\nGRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n";
    String tail = "\n#GRUB_CMDLINE_LINUX=\"audit=0\"\nGRUB_TERMINAL=console\n";
    before = before.replace("\\t", "\t");
    after = after.replace("\\t", "\t");
    Files.writeString(grub, head + before + tail);
    Files.setPosixFilePermissions(grub, PosixFilePermissions.fromString("rw-r-----"));

    assertThat(Injector.applyKernelArguments(root))
        .containsExactly(new KernelCommandLine(Place.GRUB_DEFAULT, grub, List.of(after), true));
    assertThat(Files.readString(grub)).isEqualTo(head + after + tail);
    assertThat(permissions(grub)).isEqualTo("rw-r-----");
    assertThat(Files.readString(grub.resolveSibling("grub.bootaudit-backup")))
        .isEqualTo(head + before + tail);
    assertThat(list(grub.getParent())).containsOnlyKeys("grub", "grub.bootaudit-backup");

    assertThat(Injector.applyKernelArguments(root))
        .as("idempotent")
        .containsExactly(new KernelCommandLine(Place.GRUB_DEFAULT, grub, List.of(after), false));
    assertThat(Files.readString(grub)).isEqualTo(head + after + tail);
    assertThat(Files.readString(grub.resolveSibling("grub.bootaudit-backup")))
        .isEqualTo(head + before + tail);
  }

  @Test
  void conflictingValuesInGrubCmdlineLinuxDefaultAreReplacedNotAppended() throws IOException {
    Path grub = write(
        "etc/default/grub",
        "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet audit=0\"\nGRUB_CMDLINE_LINUX=\"ro\"\n");
    assertThat(Injector.applyKernelArguments(root))
        .singleElement()
        .satisfies(c -> assertThat(c.lines())
            .containsExactly(
                "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet audit=1\"",
                "GRUB_CMDLINE_LINUX=\"ro audit=1 audit_backlog_limit=131072\""));
    assertThat(Files.readString(grub))
        .isEqualTo(
            "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet audit=1\"\nGRUB_CMDLINE_LINUX=\"ro audit=1 audit_backlog_limit=131072\"\n");
  }

  @Test
  void addsTheGrubLineWhenMissing() throws IOException {
    Path grub = write("etc/default/grub", "GRUB_DEFAULT=0");
    assertThat(Injector.applyKernelArguments(root))
        .singleElement()
        .satisfies(c -> assertThat(c.lines())
            .containsExactly("GRUB_CMDLINE_LINUX=\"audit=1 audit_backlog_limit=131072\""));
    assertThat(Files.readString(grub))
        .isEqualTo("GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"audit=1 audit_backlog_limit=131072\"\n");
  }

  @Test
  void nothingToEditNamesWhatWasLookedFor() throws IOException {
    Files.createDirectories(root.resolve("boot/loader/entries"));
    Files.createDirectories(root.resolve("boot/grub2"));
    Files.write(root.resolve("boot/grub2/grubenv"), grubenv("saved_entry=x\n"));
    assertThatThrownBy(() -> Injector.applyKernelArguments(root))
        .isInstanceOf(IOException.class)
        .hasMessage(root
            + ": no kernel command line found: looked for etc/default/grub (GRUB_CMDLINE_LINUX),"
            + " boot/loader/entries/*.conf, efi/loader/entries/*.conf, boot/efi/loader/entries/*.conf (Boot Loader"
            + " Specification entries), boot/grub2/grubenv (kernelopts) and etc/kernel/cmdline; add audit=1"
            + " audit_backlog_limit=131072 to the boot loader's kernel command line by hand");
    assertThatThrownBy(() -> Injector.applyKernelArguments(root.resolve("none")))
        .hasMessageContaining("not a directory");
  }

  @Test
  void kernelInstallEntriesAndEtcKernelCmdline() throws IOException {
    copy("kernel-install");
    Path entries = root.resolve("boot/loader/entries");
    Path older = entries.resolve(OURS + "-6.1.0-55-amd64.conf");
    Path newer = entries.resolve(OURS + "-6.1.0-56-amd64.conf");
    Path cmdline = root.resolve("etc/kernel/cmdline");
    Files.setPosixFilePermissions(older, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(newer, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(cmdline, PosixFilePermissions.fromString("rw-------"));
    Map<Path, String> before = contents(older, newer, cmdline);
    String uuid = "root=UUID=6f1e3c2a-4b5d-4e8f-9a0b-1c2d3e4f5a6b ro quiet";
    String olderOptions = "options    " + uuid + " systemd.machine_id=" + OURS
        + " audit=1 audit_backlog_limit=131072";
    String newerOptions = "options    " + uuid + " audit=1 systemd.machine_id=" + OURS
        + " audit_backlog_limit=131072";
    String cmdlineLine = uuid + " audit=1 audit_backlog_limit=131072";

    assertThat(Injector.applyKernelArguments(root))
        .containsExactly(
            new KernelCommandLine(Place.BLS_ENTRY, older, List.of(olderOptions), true),
            new KernelCommandLine(Place.BLS_ENTRY, newer, List.of(newerOptions), true),
            new KernelCommandLine(Place.KERNEL_CMDLINE, cmdline, List.of(cmdlineLine), true));
    assertThat(Files.readString(older))
        .isEqualTo(replaceOnce(
            before.get(older),
            "options    " + uuid + " systemd.machine_id=" + OURS + "\n",
            olderOptions + "\n"));
    assertThat(Files.readString(newer))
        .isEqualTo(replaceOnce(
            before.get(newer),
            "options    " + uuid + " audit=0 systemd.machine_id=" + OURS + "\n",
            newerOptions + "\n"));
    assertThat(Files.readString(cmdline)).isEqualTo(cmdlineLine + "\n");
    assertThat(permissions(older)).isEqualTo("rw-r--r--");
    assertThat(permissions(newer)).isEqualTo("rwxr-xr-x");
    assertThat(permissions(cmdline)).isEqualTo("rw-------");
    assertBackups(before);
    assertThat(list(entries))
        .containsOnlyKeys(
            OURS + "-6.1.0-55-amd64.conf",
            OURS + "-6.1.0-56-amd64.conf",
            OURS + "-6.1.0-55-amd64.conf.bootaudit-backup",
            OURS + "-6.1.0-56-amd64.conf.bootaudit-backup");

    Map<Path, String> after = contents(older, newer, cmdline);
    assertThat(Injector.applyKernelArguments(root))
        .as("idempotent")
        .extracting(KernelCommandLine::changed)
        .containsExactly(false, false, false);
    assertThat(contents(older, newer, cmdline)).isEqualTo(after);
    assertBackups(before);
  }

  @Test
  void aPlanWritesNothingRaisesSmallerBacklogsAndNeverLowersALargerOne() throws IOException {
    Path grub = root.resolve("etc/default/grub");
    Files.createDirectories(grub.getParent());
    String text =
        "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet audit_backlog_limit=524288\"\nGRUB_CMDLINE_LINUX=\"audit-backlog-limit=8192\"\n";
    Files.writeString(grub, text);

    List<CommandLineEdit> plan = Injector.planKernelArguments(root, 262144);
    assertThat(plan).singleElement().satisfies(e -> {
      assertThat(e.result())
          .isEqualTo(new KernelCommandLine(
              Place.GRUB_DEFAULT,
              grub,
              List.of(
                  "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet audit_backlog_limit=524288\"",
                  "GRUB_CMDLINE_LINUX=\"audit_backlog_limit=262144 audit=1\""),
              true));
      assertThat(new String(e.content(), StandardCharsets.ISO_8859_1))
          .as("the kernel takes the last value: the admin's")
          .isEqualTo("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet audit_backlog_limit=524288\"\n"
              + "GRUB_CMDLINE_LINUX=\"audit_backlog_limit=262144 audit=1\"\n");
      assertThat(e.backlog()).isEqualTo(524288);
      assertThat(e.notes())
          .containsExactly(
              "audit-backlog-limit=8192 raised to 262144",
              "audit_backlog_limit=524288 kept (larger than 262144; never lowered)");
    });
    assertThat(Files.readString(grub)).as("planned, not written").isEqualTo(text);
    assertThat(list(grub.getParent())).containsOnlyKeys("grub");

    Files.writeString(grub, "GRUB_CMDLINE_LINUX=\"audit_backlog_limit=0x80000 audit=1\"\n");
    assertThat(Injector.planKernelArguments(root, 131072)).singleElement().satisfies(e -> {
      assertThat(e.result().changed()).as("0x80000 is 524288 to the kernel").isFalse();
      assertThat(e.backlog()).isEqualTo(524288);
    });
  }

  @Test
  void aBackupIsNeverOverwrittenSoItStaysTheOriginal() throws IOException {
    Path grub = root.resolve("etc/default/grub");
    Files.createDirectories(grub.getParent());
    Files.writeString(grub, "GRUB_CMDLINE_LINUX=\"quiet\"\n");
    Injector.applyKernelArguments(root);
    // someone edits the file again (e.g. audit=0 for a test boot); a second run must keep the
    // original backup
    Files.writeString(grub, "GRUB_CMDLINE_LINUX=\"quiet audit=0 audit_backlog_limit=131072\"\n");
    assertThat(Injector.applyKernelArguments(root))
        .extracting(KernelCommandLine::changed)
        .containsExactly(true);
    assertThat(Files.readString(grub))
        .isEqualTo("GRUB_CMDLINE_LINUX=\"quiet audit=1 audit_backlog_limit=131072\"\n");
    assertThat(Files.readString(grub.resolveSibling("grub.bootaudit-backup")))
        .isEqualTo("GRUB_CMDLINE_LINUX=\"quiet\"\n");
  }

  @Test
  void aSharedEspKeepsTheOtherInstallationsEntries() throws IOException {
    copy("esp");
    Path entries = root.resolve("efi/loader/entries");
    Path ours = entries.resolve(OURS + "-6.1.0-56-amd64.conf");
    Path other = entries.resolve("0dcfeeca8cc14d969717290614986842-6.1.0-56-amd64.conf");
    Map<Path, String> before = contents(ours, other);
    String options =
        "options    root=PARTUUID=0b7c9a2e-01 rw audit_backlog_limit=131072 systemd.machine_id="
            + OURS + " audit=1";

    assertThat(Injector.applyKernelArguments(root))
        .containsExactly(new KernelCommandLine(Place.BLS_ENTRY, ours, List.of(options), true));
    assertThat(Files.readString(ours))
        .isEqualTo(replaceOnce(
            before.get(ours),
            "options    root=PARTUUID=0b7c9a2e-01 rw audit_backlog_limit=8192 systemd.machine_id="
                + OURS + "\n",
            options + "\n"));
    assertThat(Files.readString(other)).isEqualTo(before.get(other)).contains("audit=0");
    assertThat(list(entries))
        .containsOnlyKeys(
            ours.getFileName().toString(),
            other.getFileName().toString(),
            ours.getFileName() + ".bootaudit-backup");

    Files.delete(ours);
    assertThatThrownBy(() -> Injector.applyKernelArguments(root))
        .hasMessageContaining(
            "(Boot Loader Specification entries; 1 of another machine-id than etc/machine-id's left alone)");
    assertThat(Files.readString(other)).isEqualTo(before.get(other));
  }

  @Test
  void rhel8KerneloptsInGrubenvAndGrubDefault() throws IOException {
    copy("rhel8");
    Path grub = root.resolve("etc/default/grub");
    Path env = root.resolve("boot/grub2/grubenv");
    Path entries = root.resolve("boot/loader/entries");
    Path rescue = entries.resolve(RHEL + "-0-rescue-" + RHEL + ".conf");
    Path el89 = entries.resolve(RHEL + "-4.18.0-513.5.1.el8_9.x86_64.conf");
    Path el810 = entries.resolve(RHEL + "-4.18.0-553.el8_10.x86_64.conf");
    Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
    Map<Path, String> before = contents(grub, env, rescue, el89, el810);
    String lvm =
        "crashkernel=auto resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet";
    String grubLine = "GRUB_CMDLINE_LINUX=\"" + lvm + " audit=1 audit_backlog_limit=131072\"";
    String kernelopts =
        "kernelopts=root=/dev/mapper/rhel-root ro " + lvm + " audit=1 audit_backlog_limit=131072";
    String el89Options = "options root=/dev/mapper/rhel-root ro " + lvm
        + " audit=1 $tuned_params audit_backlog_limit=131072";

    assertThat(Injector.applyKernelArguments(root))
        .containsExactly(
            new KernelCommandLine(Place.GRUB_DEFAULT, grub, List.of(grubLine), true),
            new KernelCommandLine(Place.BLS_ENTRY, rescue, List.of("options $kernelopts"), false),
            new KernelCommandLine(Place.BLS_ENTRY, el89, List.of(el89Options), true),
            new KernelCommandLine(
                Place.BLS_ENTRY, el810, List.of("options $kernelopts $tuned_params"), false),
            new KernelCommandLine(Place.GRUBENV, env, List.of(kernelopts), true));
    assertThat(Files.readString(grub))
        .isEqualTo(
            replaceOnce(before.get(grub), "GRUB_CMDLINE_LINUX=\"" + lvm + " audit=0\"", grubLine));
    assertThat(Files.readString(el89))
        .isEqualTo(replaceOnce(
            before.get(el89),
            "options root=/dev/mapper/rhel-root ro " + lvm + " audit=0 $tuned_params\n",
            el89Options + "\n"));
    assertThat(Files.readString(rescue)).isEqualTo(before.get(rescue));
    assertThat(Files.readString(el810)).isEqualTo(before.get(el810));
    String oldKernelopts = "kernelopts=root=/dev/mapper/rhel-root ro " + lvm + " audit=0";
    String edited = replaceOnce(before.get(env), oldKernelopts + "\n", kernelopts + "\n");
    byte[] bytes = Files.readAllBytes(env);
    assertThat(bytes).hasSize(1024);
    assertThat(new String(bytes, StandardCharsets.ISO_8859_1))
        .isEqualTo(edited.substring(0, 1024))
        .startsWith(
            "# GRUB Environment Block\n# WARNING: Do not edit this file by tools other than grub-editenv!!!\n"
                + "saved_entry=" + RHEL + "-4.18.0-553.el8_10.x86_64\n" + kernelopts
                + "\nboot_success=0\n#")
        .endsWith("##");
    assertThat(edited.substring(1024))
        .matches("#{" + (kernelopts.length() - oldKernelopts.length()) + "}");
    assertThat(permissions(env)).isEqualTo("rw-------");
    assertThat(root.resolve("boot/grub2/grubenv.bootaudit-backup")).exists();
    assertThat(entries.resolve(rescue.getFileName() + ".bootaudit-backup")).doesNotExist();
    assertBackups(Map.of(grub, before.get(grub), env, before.get(env), el89, before.get(el89)));

    Map<Path, String> after = contents(grub, env, rescue, el89, el810);
    assertThat(Injector.applyKernelArguments(root))
        .as("idempotent")
        .extracting(KernelCommandLine::changed)
        .containsExactly(false, false, false, false, false);
    assertThat(contents(grub, env, rescue, el89, el810)).isEqualTo(after);
  }

  @Test
  void grubEditenvReadsTheEditedBlock() throws Exception {
    Path tool = Path.of("/usr/bin/grub-editenv");
    Assumptions.assumeTrue(
        Files.isExecutable(tool), "grub-editenv not installed (apt-get install grub-common)");
    copy("rhel8");
    Injector.applyKernelArguments(root);
    Process p = new ProcessBuilder(
            tool.toString(), root.resolve("boot/grub2/grubenv").toString(), "list")
        .redirectErrorStream(true)
        .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("saved_entry=" + RHEL + "-4.18.0-553.el8_10.x86_64\n"
            + "kernelopts=root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap"
            + " rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet audit=1 audit_backlog_limit=131072\n"
            + "boot_success=0\n");
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void kernelInstallPutsTheEditedCmdlineIntoTheNextKernelsEntry() throws Exception {
    Path tool = Path.of("/usr/bin/kernel-install");
    Path plugin = Path.of("/usr/lib/kernel/install.d/90-loaderentry.install");
    Assumptions.assumeTrue(
        Files.isExecutable(tool) && Files.isExecutable(plugin),
        "systemd's kernel-install and its 90-loaderentry.install plugin not installed");
    copy("kernel-install");
    Injector.applyKernelArguments(root);
    Path image =
        Files.writeString(root.resolve("vmlinuz"), "not a kernel: kernel-install only copies it\n");
    ProcessBuilder pb = new ProcessBuilder(
            tool.toString(), "add", "6.1.0-57-amd64", image.toString())
        .redirectErrorStream(true);
    pb.environment()
        .putAll(Map.of(
            "KERNEL_INSTALL_CONF_ROOT",
            root.resolve("etc/kernel").toString(),
            "BOOT_ROOT",
            root.resolve("boot").toString(),
            "MACHINE_ID",
            OURS,
            "KERNEL_INSTALL_PLUGINS",
            plugin.toString()));
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(
            Files.readString(root.resolve("boot/loader/entries/" + OURS + "-6.1.0-57-amd64.conf")))
        .contains(
            "\noptions    root=UUID=6f1e3c2a-4b5d-4e8f-9a0b-1c2d3e4f5a6b ro quiet audit=1 audit_backlog_limit=131072"
                + " systemd.machine_id=" + OURS + "\n");
    assertThat(Injector.applyKernelArguments(root))
        .extracting(KernelCommandLine::changed)
        .containsOnly(false);
  }

  @Test
  void kerneloptsEntriesWithoutKerneloptsInGrubenvGetTheArgumentsThemselves() throws IOException {
    copy("rhel8");
    Files.delete(root.resolve("boot/grub2/grubenv"));
    Path el810 = root.resolve("boot/loader/entries/" + RHEL + "-4.18.0-553.el8_10.x86_64.conf");
    String before = Files.readString(el810);
    Injector.applyKernelArguments(root);
    assertThat(Files.readString(el810))
        .isEqualTo(replaceOnce(
            before,
            "options $kernelopts $tuned_params\n",
            "options $kernelopts $tuned_params audit=1 audit_backlog_limit=131072\n"));
  }

  @Test
  void grubenvSymlinkIsFollowedInsideTheRoot() throws IOException {
    copy("rhel8");
    Path env = root.resolve("boot/grub2/grubenv");
    Path real = root.resolve("boot/efi/EFI/redhat/grubenv");
    Files.createDirectories(real.getParent());
    Files.move(env, real);
    Files.createSymbolicLink(env, Path.of("/boot/efi/EFI/redhat/grubenv"));
    assertThat(Injector.applyKernelArguments(root))
        .filteredOn(c -> c.place() == Place.GRUBENV)
        .extracting(KernelCommandLine::file)
        .containsExactly(real);
    assertThat(Files.isSymbolicLink(env)).isTrue();
    assertThat(Files.readString(real))
        .contains(" quiet audit=1 audit_backlog_limit=131072\n")
        .hasSize(1024);
    assertThat(real.resolveSibling("grubenv.bootaudit-backup")).exists();
  }

  @Test
  void aFullGrubenvRefusesAndNothingIsWritten() throws IOException {
    Path grub = write("etc/default/grub", "GRUB_CMDLINE_LINUX=\"quiet\"\n");
    write("boot/loader/entries/a.conf", "title a\noptions $kernelopts\n");
    byte[] env = grubenv("kernelopts=" + "x".repeat(1024 - 25 - 12 - 10) + "\n");
    Files.createDirectories(root.resolve("boot/grub2"));
    Files.write(root.resolve("boot/grub2/grubenv"), env);
    assertThatThrownBy(() -> Injector.applyKernelArguments(root))
        .hasMessage(root.resolve("boot/grub2/grubenv")
            + ": no room for audit=1 audit_backlog_limit=131072 in kernelopts"
            + " (10 bytes free of 1024); nothing changed");
    assertThat(Files.readString(grub)).isEqualTo("GRUB_CMDLINE_LINUX=\"quiet\"\n");
    assertThat(Files.readAllBytes(root.resolve("boot/grub2/grubenv"))).isEqualTo(env);
    assertThat(root.resolve("etc/default/grub.bootaudit-backup")).doesNotExist();

    Files.writeString(root.resolve("boot/grub2/grubenv"), "kernelopts=quiet\n");
    assertThatThrownBy(() -> Injector.applyKernelArguments(root))
        .hasMessageContaining("not a GRUB environment block");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      title x\\noptions ro\\n                 | title x\\noptions ro audit=1 audit_backlog_limit=131072\\n
      options\\tro  \\nlinux /l\\n            | options\\tro audit=1 audit_backlog_limit=131072  \\nlinux /l\\n
      options\\nlinux /l\\n                   | options audit=1 audit_backlog_limit=131072\\nlinux /l\\n
      title x\\n                              | title x\\noptions audit=1 audit_backlog_limit=131072\\n
      options ro audit=0\\noptions quiet\\n   | options ro audit=1\\noptions quiet audit_backlog_limit=131072\\n
      options ro -- x\\noptions quiet\\n      | options ro audit=1 audit_backlog_limit=131072 -- x\\noptions quiet\\n
      options ro\\r\\n                        | options ro audit=1 audit_backlog_limit=131072\\r\\n
      title x\\n# options audit=0\\noptions ro\\n | title x\\n# options audit=0\\noptions ro audit=1 audit_backlog_limit=131072\\n
      """)
  void entryOptionsLines(String before, String after) throws IOException {
    Path entry = write("boot/loader/entries/x.conf", unescape(before));
    Injector.applyKernelArguments(root);
    assertThat(Files.readString(entry)).isEqualTo(unescape(after));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      ro quiet\\n                     | ro quiet audit=1 audit_backlog_limit=131072\\n
      ''                               | audit=1 audit_backlog_limit=131072
      ro\\naudit=0\\n\\n               | ro\\naudit=1 audit_backlog_limit=131072\\n\\n
      """)
  void etcKernelCmdline(String before, String after) throws IOException {
    Path cmdline = write("etc/kernel/cmdline", unescape(before.equals("''") ? "" : before));
    Injector.applyKernelArguments(root);
    assertThat(Files.readString(cmdline)).isEqualTo(unescape(after));
  }

  private Path write(String rel, String text) throws IOException {
    Path file = root.resolve(rel);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private void copy(String fixture) throws IOException {
    Path from = BLS.resolve(fixture);
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path to = root.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
  }

  /** A grubenv as grub-editenv writes it: signature, variables, '#' to 1024 bytes. */
  static byte[] grubenv(String variables) {
    String text = "# GRUB Environment Block\n" + variables;
    return (text + "#".repeat(1024 - text.length())).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String replaceOnce(String text, String from, String to) {
    assertThat(text.split(java.util.regex.Pattern.quote(from), -1))
        .as("once in the fixture: " + from)
        .hasSize(2);
    return text.replace(from, to);
  }

  private static String unescape(String s) {
    return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r");
  }

  private static String permissions(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static Map<Path, String> contents(Path... files) throws IOException {
    Map<Path, String> m = new TreeMap<>();
    for (Path f : files) {
      m.put(f, new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
    }
    return m;
  }

  private static void assertBackups(Map<Path, String> originals) throws IOException {
    List<Path> backups = new ArrayList<>();
    for (Map.Entry<Path, String> e : originals.entrySet()) {
      Path backup = e.getKey().resolveSibling(e.getKey().getFileName() + ".bootaudit-backup");
      backups.add(backup);
      assertThat(new String(Files.readAllBytes(backup), StandardCharsets.ISO_8859_1))
          .as(backup.toString())
          .isEqualTo(e.getValue());
      assertThat(permissions(backup)).isEqualTo(permissions(e.getKey()));
    }
    assertThat(backups)
        .allSatisfy(b -> assertThat(b.getFileName().toString()).doesNotEndWith(".conf"));
  }

  private static Map<String, Long> list(Path dir) throws IOException {
    Map<String, Long> m = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        m.put(f.getFileName().toString(), Files.size(f));
      }
    }
    return m;
  }
}
