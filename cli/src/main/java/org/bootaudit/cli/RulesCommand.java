package org.bootaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.bootaudit.rules.AuditRules;
import org.bootaudit.rules.Finding;
import org.bootaudit.rules.GeneratedRules;
import org.bootaudit.rules.Stage;
import org.bootaudit.rules.TargetsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bootaudit rules}: show the shipped profiles, generate target rules, lint rules files. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    description = {
      "Audit rules in auditctl's syntax: the early-boot profiles, rules generated from a target list, and a lint.",
      "",
      "Exit codes: 0 ok (warnings may be printed), 2 usage, 65 errors in the rules or config, 74 I/O error."
    },
    subcommands = {
      RulesCommand.Show.class,
      RulesCommand.Gen.class,
      RulesCommand.Lint.class,
      CommandLine.HelpCommand.class
    })
final class RulesCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand: show, gen or lint");
  }

  /** Writes text to a file (atomically) or stdout. */
  static void write(String text, String output) throws IOException {
    try (Output out = Output.open(output)) {
      out.stream().write(text.getBytes(StandardCharsets.UTF_8));
      out.commit();
    }
  }

  /** {@code bootaudit rules show PROFILE}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Print a shipped profile, ready for auditctl -R: early-boot (all file operations) or early-boot-exec (exec only).")
  static final class Show implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PROFILE", description = "early-boot or early-boot-exec.")
    String profile;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Write here instead of stdout.")
    String output;

    @Override
    public Integer call() throws IOException {
      String text = AuditRules.profileText(profile)
          .orElseThrow(() -> new CommandLine.ParameterException(
              spec.commandLine(),
              "unknown profile '" + profile + "' (expected "
                  + String.join(" or ", AuditRules.profiles()) + ")"));
      write(text, output);
      return Main.OK;
    }
  }

  /** {@code bootaudit rules gen --config FILE}. */
  @Command(
      name = "gen",
      mixinStandardHelpOptions = true,
      description = {
        "Generate root-filesystem rules (load after switch_root) from a JSON config like access_time.cfg:",
        "\"targets\" (directories) and \"exclude_extensions\"; the last comment line is the matching 'report' filter."
      })
  static final class Gen implements Callable<Integer> {

    @Option(
        names = "--config",
        required = true,
        paramLabel = "FILE",
        description = "The JSON config.")
    Path config;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FILE",
        description = "Write here instead of stdout.")
    String output;

    @Override
    public Integer call() throws IOException {
      // a bad config is a RuleSyntaxException, exit 65 with the rest of its family
      GeneratedRules rules = AuditRules.generate(TargetsConfig.read(config));
      write(rules.text(), output);
      return Main.OK;
    }
  }

  /** {@code bootaudit rules lint FILE…}. */
  @Command(
      name = "lint",
      mixinStandardHelpOptions = true,
      description = {
        "Check rules files: syntax, fields, syscalls per arch, missing -F arch=, shadowing never rules,",
        "duplicates, a small -b; for early-boot also -e 2, -f 2 and path rules that do not follow switch_root.",
        "Prints file:line:col findings; exits 65 when any is an error."
      })
  static final class Lint implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--stage",
        defaultValue = "early-boot",
        paramLabel = "STAGE",
        description =
            "early-boot (default: loaded in the initramfs) or root (loaded after switch_root).")
    String stage;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Rules files.")
    List<Path> files;

    @Override
    public Integer call() throws IOException {
      Stage s = stage();
      PrintWriter err = spec.commandLine().getErr();
      boolean errors = false;
      for (Path file : files) {
        for (Finding f : AuditRules.lint(file, s)) {
          err.println("bootaudit: " + f);
          errors |= f.severity() == Finding.Severity.ERROR;
        }
      }
      err.flush();
      return errors ? Main.DATA : Main.OK;
    }

    private Stage stage() {
      return switch (stage.toLowerCase(Locale.ROOT)) {
        case "early-boot" -> Stage.EARLY_BOOT;
        case "root" -> Stage.ROOT;
        default ->
          throw new CommandLine.ParameterException(
              spec.commandLine(), "unknown stage '" + stage + "' (expected early-boot or root)");
      };
    }
  }
}
