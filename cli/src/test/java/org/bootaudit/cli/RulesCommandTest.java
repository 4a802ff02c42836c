package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bootaudit rules show|gen|lint}: outputs and exit codes. */
class RulesCommandTest {

  @TempDir Path tmp;
  private CliRun cli;

  @BeforeEach
  void capture() {
    cli = new CliRun();
  }

  @AfterEach
  void restore() {
    cli.close();
  }

  private int run(String... args) {
    return cli.run(args);
  }

  private String out() {
    return cli.out();
  }

  @Test
  void showPrintsTheProfile() {
    assertThat(run("rules", "show", "early-boot-exec")).isEqualTo(0);
    assertThat(out()).contains("-b 65536\n", "-a always,exit -F arch=b32 -S execve,execveat -k ba_exec\n");
    assertThat(cli.errors()).isEmpty();
  }

  @Test
  void showOfAnUnknownProfileIsAUsageError() {
    assertThat(run("rules", "show", "late-boot")).isEqualTo(2);
    assertThat(cli.errors()).contains("unknown profile 'late-boot' (expected early-boot or early-boot-exec)");
  }

  @Test
  void genWritesRulesAndTheReportFilter() throws IOException {
    Path cfg = Files.writeString(tmp.resolve("access_time.cfg"), "{\"targets\": [\"/etc\"], \"exclude_extensions\": [\".log\"]}");
    Path rules = tmp.resolve("targets.rules");
    assertThat(run("rules", "gen", "--config", cfg.toString(), "-o", rules.toString())).isEqualTo(0);
    assertThat(Files.readString(rules)).contains("-w /etc -p rwxa -k ba_target\n",
        "## analysis filter: bootaudit report --target /etc --exclude-ext .log\n");
  }

  @Test
  void genWithABadConfigExits65() throws IOException {
    Path cfg = Files.writeString(tmp.resolve("bad.cfg"), "{\"targets\": \"/etc\"}");
    assertThat(run("rules", "gen", "--config", cfg.toString())).isEqualTo(65);
    assertThat(cli.errors()).isEqualTo("bootaudit: " + cfg + ":1:1: targets: expected an array of strings, found '\"/etc\"'\n");
    assertThat(run("rules", "gen", "--config", tmp.resolve("missing.cfg").toString())).isEqualTo(74);
  }

  @Test
  void lintWithErrorsExits65AndPrintsEveryFinding() throws IOException {
    Path file = Files.writeString(tmp.resolve("a.rules"), "-b 65536\n-e 2\n-a always,exit -S openat -k o\n");
    assertThat(run("rules", "lint", file.toString())).isEqualTo(65);
    assertThat(cli.errors()).isEqualTo(
        "bootaudit: " + file + ":2:1: error: -e 2 locks the rules until reboot, so the root cannot replace the early rules (hint: use -e 1)\n"
            + "bootaudit: " + file + ":3:1: warning: syscall rule without -F arch= applies to b64 only and misses 32-bit calls"
            + " (hint: add -F arch=b64 and a twin rule with -F arch=b32)\n");
  }

  @Test
  void lintWithWarningsOnlyExits0() throws IOException {
    Path file = Files.writeString(tmp.resolve("w.rules"), "-w /etc -p wa\n");
    assertThat(run("rules", "lint", file.toString())).isEqualTo(0);
    assertThat(cli.errors()).contains(file + ":1:1: warning: path rule '-w /etc'");
    assertThat(run("rules", "lint", "--stage", "root", file.toString())).isEqualTo(0);
    assertThat(cli.errors()).isEmpty();
  }

  @Test
  void lintOfTheShippedProfileIsClean() throws IOException {
    Path file = tmp.resolve("early.rules");
    assertThat(run("rules", "show", "early-boot", "-o", file.toString())).isEqualTo(0);
    assertThat(run("rules", "lint", file.toString())).isEqualTo(0);
    assertThat(cli.errors()).isEmpty();
  }

  @Test
  void lintUsageErrors() {
    assertThat(run("rules", "lint")).isEqualTo(2);
    assertThat(run("rules", "lint", "--stage", "late", "x.rules")).isEqualTo(2);
    assertThat(run("rules")).isEqualTo(2);
    assertThat(run("rules", "lint", tmp.resolve("none.rules").toString())).isEqualTo(74);
  }
}
