package org.bootaudit.initramfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hook pair for a target root, and mkinitramfs really picking it up. */
class InitramfsToolsHookTest {
  @TempDir
  Path tmp;

  @Test
  void writesAHookAndABootScriptThatParse() throws Exception {
    List<Path> files = Initramfs.injector().writeInitramfsToolsHooks(tmp);
    assertThat(files)
        .containsExactly(
            tmp.resolve("etc/initramfs-tools/hooks/bootaudit"),
            tmp.resolve("etc/initramfs-tools/scripts/init-top/bootaudit"));
    for (Path f : files) {
      assertThat(Files.isExecutable(f)).isTrue();
      assertThat(Fixtures.run(null, "sh", "-n", f.toString())).as("sh -n " + f).isPresent();
    }
    assertThat(Files.readString(files.get(0)))
        .contains("copy_exec /usr/sbin/auditctl /sbin")
        .contains("-b 131072\n");
    try (Stream<Path> left = Files.walk(tmp)) {
      assertThat(left.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void theBootScriptSetsTheBacklogItIsGiven() throws Exception {
    List<RootFile> files = Initramfs.injector().backlog(262144).initramfsToolsHookFiles();
    assertThat(files)
        .extracting(RootFile::path, RootFile::mode)
        .containsExactly(
            org.assertj.core.api.Assertions.tuple("etc/initramfs-tools/hooks/bootaudit", 0755),
            org.assertj.core.api.Assertions.tuple(
                "etc/initramfs-tools/scripts/init-top/bootaudit", 0755));
    String script = new String(files.get(1).data(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(script)
        .contains(
            "ba_out=$(/sbin/auditctl -b 262144 2>&1) || ba_log \"auditctl -b 262144 failed: $ba_out\"\n")
        .doesNotContain("131072");
    assertThat(files.get(0).data())
        .as("a copy each time")
        .isNotSameAs(files.get(0).data());
    try (Stream<Path> left = Files.walk(tmp)) {
      assertThat(left).as("nothing written").containsExactly(tmp);
    }
  }

  @Test
  void mkinitramfsKeepsTheHook() throws Exception {
    String[] kernels = new File("/lib/modules").list();
    assumeTrue(
        Fixtures.hasTool("mkinitramfs") && kernels != null && kernels.length > 0,
        "initramfs-tools or kernel missing");
    assumeTrue(Files.isRegularFile(InjectTest.AUDITCTL), "auditctl not installed (package auditd)");
    Arrays.sort(kernels);
    Initramfs.injector().writeInitramfsToolsHooks(tmp);
    Path conf = tmp.resolve("etc/initramfs-tools");
    Files.copy(Path.of("/etc/initramfs-tools/initramfs.conf"), conf.resolve("initramfs.conf"));
    Files.writeString(conf.resolve("modules"), "");
    Path image = tmp.resolve("initrd.img");
    Process p = new ProcessBuilder(
            "mkinitramfs", "-d", conf.toString(), "-o", image.toString(), kernels[0])
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    assertThat(p.waitFor()).isZero();
    Image read = Initramfs.reader().read(image);
    assertThat(read.findEntry("scripts/init-top/bootaudit")).isPresent();
    assertThat(read.findEntry("etc/bootaudit/audit.rules")).isPresent();
    assertThat(new ImagePaths(read).resolve("sbin/auditctl")).isPresent();
    Entry order = read.findEntry("scripts/init-top/ORDER").orElseThrow();
    assertThat(Initramfs.reader().readData(read, order, 10000))
        .asString()
        .contains("/scripts/init-top/bootaudit \"$@\"");
  }
}
