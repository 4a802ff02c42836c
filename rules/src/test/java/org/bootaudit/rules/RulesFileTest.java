package org.bootaudit.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17, items 3 and 6: a rules file that is no text, too big, or a directory: a located error. */
class RulesFileTest {

  @TempDir
  Path dir;

  @Test
  void invalidUtf8IsLocated() throws IOException {
    Path f = dir.resolve("bad.rules");
    Files.write(
        f,
        "-D\n-a always,exit -k \u00e9\n-w /etc -k x\u00ff\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> AuditRules.lint(f, Stage.ROOT))
        .isInstanceOf(RuleSyntaxException.class)
        .hasMessage(f + ":2:19: expected UTF-8 text, found byte \\xE9");
  }

  @Test
  void aDirectoryIsNamed() {
    assertThatThrownBy(() -> AuditRules.lint(dir, Stage.ROOT))
        .isInstanceOf(FileSystemException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("is a directory");
  }

  @Test
  void aFileWithoutEndStopsAtTheLimit() throws IOException {
    Path f = dir.resolve("zero.rules");
    Files.write(f, new byte[AuditRules.MAX_FILE + 10]);
    assertThatThrownBy(() -> AuditRules.lint(f, Stage.ROOT))
        .isInstanceOf(RuleSyntaxException.class)
        .hasMessage(f + ":1:" + (AuditRules.MAX_FILE + 1) + ": expected a rules file of at most "
            + AuditRules.MAX_FILE + " bytes, found a longer one (the limit on what lint reads)");
  }

  @Test
  void aSoundFileLints() throws IOException {
    Path f = dir.resolve("ok.rules");
    Files.writeString(f, "-D\n-a always,exit -F arch=b64 -S openat -k caf\u00e9\n");
    assertThat(AuditRules.lint(f, Stage.ROOT)).isEmpty();
  }
}
