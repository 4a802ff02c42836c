package org.bootaudit.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.Op;
import org.bootaudit.core.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example applications of {@code samples/embed/}, compiled and run as a user would: one with
 * core's jar alone on its module path, one with analysis on its class path.
 */
class EmbedTest {

  static final Path EMBED = Path.of("../samples/embed");
  static final Path VM = Path.of("../samples/vm/initramfs-tools/audit");

  @TempDir
  Path tmp;

  @Test
  void coreAloneOnTheModulePathParsesABoot() throws Exception {
    String core = location(AuditLog.class);
    Path out = tmp.resolve("core-only");
    run(javac(EMBED.resolve("core-only"), out, "--module-path", core));
    String printed = run(List.of(
        tool("java"),
        "--module-path",
        core + File.pathSeparator + out,
        "-m",
        "example.coreonly/example.ExecsAtBoot",
        VM.toString()));
    // the initramfs-tools hook loads the rules with auditctl, then the boot goes on to the root's
    // init
    assertThat(printed)
        .contains(
            "initramfs /sbin/auditctl (pid 115)\n",
            "root /sbin/init (pid 1)\n",
            "boot 1: nothing lost");
  }

  @Test
  void analysisOnTheClassPathReportsABoot() throws Exception {
    String cp = String.join(
        File.pathSeparator,
        System.getProperty("jdk.module.path", ""),
        System.getProperty("java.class.path", ""));
    Path out = tmp.resolve("with-analysis");
    run(javac(EMBED.resolve("with-analysis"), out, "-cp", cp));
    String printed = run(List.of(
        tool("java"),
        "-cp",
        out + File.pathSeparator + cp,
        "example.BootReportExample",
        VM.toString()));
    BootReport boot;
    try (EventStream s = AuditLog.reader().source(VM).open()) {
      boot = Report.of(s).boots().get(0);
    }
    assertThat(printed.strip())
        .isEqualTo("boot 1: " + boot.uniqueFiles() + " unique files, "
            + boot.op(Op.EXEC).events()
            + " execs of " + boot.op(Op.EXEC).files() + " programs, "
            + boot.summary().phases().count(Phase.INITRAMFS)
            + " file events in the initramfs");
  }

  private static String location(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
  }

  private static String tool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  private static List<String> javac(Path project, Path out, String... options) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(tool("javac"), "-Werror", "-d", out.toString()));
    cmd.addAll(List.of(options));
    try (Stream<Path> files = Files.walk(project.resolve("src/main/java"))) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> cmd.add(p.toString()));
    }
    return cmd;
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("%s%n%s", cmd, out).isZero();
    return out;
  }
}
