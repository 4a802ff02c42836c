package org.bootaudit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.bootaudit.analysis.UserNames;
import picocli.CommandLine.Option;

/**
 * {@code -i}, with names from the log's ENRICHED fields and the target's own passwd and group
 * files; the logic is {@link UserNames}.
 */
final class NameOptions {

  @Option(
      names = {"-i", "--interpret"},
      description =
          "Add user names (user, auser) to each event, as ausearch -i does: from --passwd when given, else from the log (auditd's log_format = ENRICHED).")
  boolean interpret;

  @Option(
      names = "--passwd",
      paramLabel = "FILE",
      description =
          "The passwd file of the machine that wrote the log (for -i and -ui NAME); its names win over the log's. Never this host's, unless given.")
  Path passwd;

  @Option(names = "--group", paramLabel = "FILE", description = "Its group file, with --passwd.")
  Path group;

  private UserNames names;

  /** The names to write: none without {@code -i}. */
  UserNames forOutput() throws IOException {
    if (!interpret) {
      return UserNames.none();
    }
    return passwd == null ? UserNames.fromLog() : names();
  }

  /**
   * After {@code -i} without {@code --passwd}: says so when the log named no user of the events
   * written ({@code named} false, {@code written} above zero), as a RAW log does.
   */
  void warnIfUnnamed(long written, boolean named) {
    if (interpret && passwd == null && written > 0 && !named) {
      System.err.println(
          "bootaudit: warning: -i: the log names no users (not auditd's ENRICHED format); give --passwd FILE of the machine that wrote it");
    }
  }

  /** Checks the options before any input is read. */
  void check() {
    if (group != null && passwd == null) {
      throw FilterOptions.usage("--group needs --passwd FILE");
    }
  }

  /** A uid given as a number or, with --passwd, a user name. */
  long uid(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      if (passwd == null) {
        throw FilterOptions.usage(
            "-ui expects a number, or a user name with --passwd FILE; found '" + text + "'");
      }
    }
    try {
      return names()
          .uid(text)
          .orElseThrow(() -> FilterOptions.usage("-ui: no user '" + text + "' in " + passwd));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private UserNames names() throws IOException {
    if (names == null) {
      names = UserNames.read(passwd, Optional.ofNullable(group));
    }
    return names;
  }
}
