package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 item 8: the completion script, run by bash as a user's shell would. */
class CompletionCommandTest {

  @TempDir
  Path tmp;

  @RegisterExtension
  final CliRun cli = new CliRun();

  @Test
  void bashCompletesSubcommandsAndTheFilterOptions() throws IOException, InterruptedException {
    assertThat(cli.run("completion")).isEqualTo(0);
    Path script = Files.writeString(tmp.resolve("bootaudit.bash"), cli.out());
    assertThat(complete(script, "bootaudit ev")).isEqualTo("events");
    assertThat(complete(script, "bootaudit events --sta")).isEqualTo("--start");
    assertThat(complete(script, "bootaudit report --phas")).isEqualTo("--phase");
    assertThat(complete(script, "bootaudit diff --succ")).isEqualTo("--success");
  }

  /** Runs the completion function as bash would on TAB; compopt only works inside real completion, so it is a no-op here. */
  private static String complete(Path script, String line)
      throws IOException, InterruptedException {
    String words = line;
    String cmd = "source " + script + "; COMP_LINE='" + line + "'; COMP_WORDS=(" + words
        + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ));"
        + " COMP_POINT=${#COMP_LINE}; _complete_bootaudit bootaudit; echo \"${COMPREPLY[*]}\"";
    Process p = new ProcessBuilder("bash", "-c", "compopt() { :; }; " + cmd)
        .redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }
}
