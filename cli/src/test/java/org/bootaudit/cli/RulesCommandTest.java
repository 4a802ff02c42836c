package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code bootaudit rules show|gen|lint}: outputs and exit codes. */
class RulesCommandTest {

  @TempDir
  Path tmp;

  @RegisterExtension
  final CliRun cli = new CliRun();

  @Test
  void showPrintsTheProfile() {
    assertThat(cli.run("rules", "show", "early-boot-exec")).isEqualTo(0);
    assertThat(cli.out())
        .contains("-b 131072\n", "-a always,exit -F arch=b32 -S execve,execveat -k ba_exec\n");
    assertThat(cli.errors()).isEmpty();
  }

  @Test
  void showOfAnUnknownProfileIsAUsageError() {
    assertThat(cli.run("rules", "show", "late-boot")).isEqualTo(2);
    assertThat(cli.errors())
        .contains("unknown profile 'late-boot' (expected early-boot or early-boot-exec)");
  }

  @Test
  void genWritesRulesAndTheReportFilter() throws IOException {
    Path cfg = Files.writeString(
        tmp.resolve("access_time.cfg"),
        "{\"targets\": [\"/etc\"], \"exclude_extensions\": [\".log\"]}");
    Path rules = tmp.resolve("targets.rules");
    assertThat(cli.run("rules", "gen", "--config", cfg.toString(), "-o", rules.toString()))
        .isEqualTo(0);
    assertThat(Files.readString(rules))
        .contains(
            "-w /etc -p rwxa -k ba_target\n",
            "## analysis filter: bootaudit report --target /etc --exclude-ext .log\n");
  }

  @Test
  void genWithABadConfigExits65() throws IOException {
    Path cfg = Files.writeString(tmp.resolve("bad.cfg"), "{\"targets\": \"/etc\"}");
    assertThat(cli.run("rules", "gen", "--config", cfg.toString())).isEqualTo(65);
    assertThat(cli.errors())
        .isEqualTo("bootaudit: " + cfg
            + ":1:1: targets: expected an array of strings, found '\"/etc\"'\n");
    assertThat(cli.run("rules", "gen", "--config", tmp.resolve("missing.cfg").toString()))
        .isEqualTo(74);
  }

  @Test
  void lintWithErrorsExits65AndPrintsEveryFinding() throws IOException {
    Path file = Files.writeString(
        tmp.resolve("a.rules"), "-b 131072\n-e 2\n-a always,exit -S openat -k o\n");
    assertThat(cli.run("rules", "lint", file.toString())).isEqualTo(65);
    assertThat(cli.errors())
        .isEqualTo("bootaudit: " + file
            + ":2:1: error: -e 2 locks the rules until reboot, so the root cannot replace the early rules (hint: use -e 1)\n"
            + "bootaudit: " + file
            + ":3:1: warning: syscall rule without -F arch= applies to b64 only and misses 32-bit calls"
            + " (hint: add -F arch=b64 and a twin rule with -F arch=b32)\n");
  }

  @Test
  void lintWithWarningsOnlyExits0() throws IOException {
    Path file = Files.writeString(tmp.resolve("w.rules"), "-w /etc -p wa\n");
    assertThat(cli.run("rules", "lint", file.toString())).isEqualTo(0);
    assertThat(cli.errors()).contains(file + ":1:1: warning: path rule '-w /etc'");
    assertThat(cli.run("rules", "lint", "--stage", "root", file.toString())).isEqualTo(0);
    assertThat(cli.errors()).isEmpty();
  }

  @Test
  void lintOfTheShippedProfileIsClean() throws IOException {
    Path file = tmp.resolve("early.rules");
    assertThat(cli.run("rules", "show", "early-boot", "-o", file.toString())).isEqualTo(0);
    assertThat(cli.run("rules", "lint", file.toString())).isEqualTo(0);
    assertThat(cli.errors()).isEmpty();
  }

  @Test
  void lintUsageErrors() {
    assertThat(cli.run("rules", "lint")).isEqualTo(2);
    assertThat(cli.run("rules", "lint", "--stage", "late", "x.rules")).isEqualTo(2);
    assertThat(cli.run("rules")).isEqualTo(2);
    assertThat(cli.run("rules", "lint", tmp.resolve("none.rules").toString())).isEqualTo(74);
  }
}
