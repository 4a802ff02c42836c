package org.bootaudit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Issue 12 item 8: the man pages the build made from the command model (target/man/man1, troff)
 * cover every command and option, and each of them has a description to show.
 */
class ManPageTest {

  private static final Path PAGES = Path.of("target/man/man1");

  @Test
  void everyCommandHasAPageWithItsOptionsAndSubcommands() throws IOException {
    CommandSpec root = new CommandLine(new Main()).getCommandSpec();
    assertThat(root.subcommands()).containsKeys("events", "fleet", "initramfs", "rules");
    check(root);
  }

  @Test
  void theRepositorysBootaudit1IsTheMainPage() throws IOException {
    Path link = Path.of("../bootaudit.1");
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(link.toRealPath()).isEqualTo(PAGES.resolve("bootaudit.1").toRealPath());
  }

  private static void check(CommandSpec spec) throws IOException {
    String name = spec.qualifiedName("-");
    Path file = PAGES.resolve(name + ".1");
    assertThat(file).as("the man page of '%s'", spec.qualifiedName()).exists();
    String page = text(Files.readString(file, StandardCharsets.UTF_8));
    assertThat(page).contains(".TH \"" + name.toUpperCase(java.util.Locale.ROOT) + "\" \"1\"");
    String[] description = spec.usageMessage().description();
    assertThat(description).as("the description of '%s'", spec.qualifiedName()).isNotEmpty();
    assertThat(page).contains(words(description[0]));
    for (OptionSpec o : spec.options()) {
      if (o.hidden()) {
        continue;
      }
      assertThat(o.description())
          .as("the description of %s %s", spec.qualifiedName(), o.longestName())
          .isNotEmpty();
      for (String n : o.names()) {
        // in bold, alone or among the option's other names ("-ui, --uid")
        assertThat(page)
            .as("%s in %s", n, file)
            .containsPattern("\\\\fB([^\\\\]*, )?" + Pattern.quote(n) + "(, [^\\\\]*)?\\\\fP");
      }
      assertThat(page).contains(words(o.description()[0]));
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (!p.hidden()) {
        assertThat(page).as("%s in %s", p.paramLabel(), file).contains(p.paramLabel());
      }
    }
    for (CommandLine sub : spec.subcommands().values()) {
      assertThat(page)
          .as("%s listed in %s", sub.getCommandName(), file)
          .contains("\\fB" + sub.getCommandName() + "\\fP");
      check(sub.getCommandSpec());
    }
  }

  /** The page's troff with its escapes for '-' and quotes undone. */
  private static String text(String troff) {
    return troff.replace("\\-", "-").replace("\\(cq", "'").replace("\\*(Aq", "'");
  }

  /** The first few words of a description, as they stand on one line of the page. */
  private static String words(String description) {
    String plain = description.replace("%n", " ").strip();
    int end = plain.length();
    int spaces = 0;
    for (int i = 0; i < plain.length(); i++) {
      if (plain.charAt(i) == ' ' && ++spaces == 4) {
        end = i;
        break;
      }
    }
    return plain.substring(0, end);
  }
}
