package org.bootaudit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.bootaudit.core.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bootaudit} command; the only class that calls {@link System#exit(int)}. */
@Command(
    name = "bootaudit",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Prove which files a Linux machine created, read, wrote and executed while it booted.",
    footerHeading = "%n",
    footer =
        "'bootaudit COMMAND --help' shows a command's options; each has a man page too, bootaudit-COMMAND(1).",
    subcommands = {
      EventsCommand.class,
      ReportCommand.class,
      DiffCommand.class,
      FleetCommand.class,
      AttestCommand.class,
      ImaCommand.class,
      AtimeCommand.class,
      StapCommand.class,
      InitramfsCommand.class,
      RulesCommand.class,
      EnableCommand.class,
      DisableCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  static final int OK = 0;
  static final int BUG = 1;
  static final int USAGE = 2;
  static final int DATA = 65;
  static final int IO = 74;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line without exiting; for tests and embedding. */
  static int run(String[] args, PrintWriter out, PrintWriter err) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    CommandLine cl = branch(Main.class, args, 0);
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      int code = codeFor(ex);
      if (code == BUG || verbose) {
        ex.printStackTrace(err);
      }
      err.println("bootaudit: " + messageFor(ex));
      err.flush();
      return code;
    });
    // a bad option is one line and where to look, not the whole usage (which can be 40 lines)
    cl.setParameterExceptionHandler((ex, arguments) -> {
      if (verbose) {
        ex.printStackTrace(err);
      }
      err.println("bootaudit: " + ex.getMessage());
      err.println("Try '" + commandName(cl, ex) + " --help' for more information.");
      err.flush();
      return USAGE;
    });
    cl.setExitCodeExceptionMapper(Main::codeFor);
    cl.getCommandSpec().exitCodeOnInvalidInput(USAGE);
    int code = cl.execute(args);
    // a PrintStream or PrintWriter only records its write errors (>/dev/full): output lost is exit
    // 74
    if ((out.checkError() || System.out.checkError()) && code != IO) {
      err.println("bootaudit: <stdout>: write failed (disk full, or the reader went away)");
      code = IO;
    }
    err.flush();
    return code;
  }

  /**
   * The command a usage error belongs to: the one being parsed, or for errors a command raises
   * once parsed (some build a detached CommandLine for the exception), the one that ran.
   */
  private static String commandName(CommandLine root, CommandLine.ParameterException ex) {
    CommandLine thrown = ex.getCommandLine();
    CommandLine.ParseResult parsed = root.getParseResult();
    if (thrown == root || thrown.getParent() != null || parsed == null) {
      return thrown.getCommandSpec().qualifiedName();
    }
    while (parsed.hasSubcommand()) {
      parsed = parsed.subcommand();
    }
    return parsed.commandSpec().qualifiedName();
  }

  /**
   * The command line for {@code cls} and the arguments from {@code args[i]} on. picocli builds
   * its model of a command by reflection, at start-up: about 90 ms for the whole tree, 60 for one
   * branch. So while the arguments name subcommands (the first word, then the next), only that
   * branch is built, each parent as a bare spec that just dispatches (with its class as user
   * object: a parent never runs when a subcommand follows). Anything else (options before the
   * subcommand, {@code help}, an unknown or missing subcommand) gets the whole tree, so help,
   * errors and suggestions stay those of the full command.
   */
  static CommandLine branch(Class<?> cls, String[] args, int i) {
    Command c = cls.getAnnotation(Command.class);
    if (i < args.length) {
      for (Class<?> sub : c.subcommands()) {
        Command s = sub.getAnnotation(Command.class);
        if (sub != CommandLine.HelpCommand.class
            && (s.name().equals(args[i])
                || java.util.Arrays.asList(s.aliases()).contains(args[i]))) {
          CommandLine cl = new CommandLine(
              CommandLine.Model.CommandSpec.wrapWithoutInspection(cls).name(c.name()));
          cl.addSubcommand(branch(sub, args, i + 1));
          return cl;
        }
      }
    }
    return new CommandLine(cls);
  }

  /** Warns on stderr about every boot that lost records and about skipped lines. */
  static void warnAboutLoss(org.bootaudit.core.LogSummary summary) {
    for (String w : org.bootaudit.analysis.LossText.warnings(summary)) {
      System.err.println("bootaudit: warning: " + w);
    }
  }

  static int codeFor(Throwable ex) {
    if (ex instanceof InvalidInputException || ex instanceof BadInputException) {
      return DATA;
    }
    if (ex instanceof IOException || ex instanceof UncheckedIOException) {
      return IO;
    }
    if (ex instanceof CommandLine.ParameterException) {
      return USAGE;
    }
    return BUG;
  }

  static String messageFor(Throwable ex) {
    Throwable cause = ex instanceof UncheckedIOException u ? u.getCause() : ex;
    if (cause instanceof NoSuchFileException n) {
      return n.getFile() + ": no such file"
          + (n.getReason() == null ? "" : " (" + n.getReason() + ")");
    }
    if (cause instanceof AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    if (ex instanceof UncheckedIOException) {
      return ex.getMessage();
    }
    if (cause instanceof java.nio.file.FileSystemException f && f.getFile() != null) {
      return f.getFile() + ": "
          + (f.getReason() == null ? cause.getClass().getSimpleName() : f.getReason());
    }
    if (cause != null && cause.getClass() == IOException.class && cause.getMessage() != null) {
      return cause.getMessage(); // ours: they name the file already
    }
    if (cause instanceof IOException) {
      return cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
    return String.valueOf(ex.getMessage());
  }

  /**
   * The launcher's training run for its class-data-sharing archive ({@code java
   * -XX:ArchiveClassesAtExit=... -cp bootaudit.jar 'org.bootaudit.cli.Main$Training' CMD ; CMD ...}):
   * runs each command line (separated by a lone {@code ;}) in turn, whatever their outcome, so
   * that the archive holds the classes the usual commands load.
   */
  static final class Training {
    private Training() {}

    public static void main(String[] args) {
      java.util.List<String> cmd = new java.util.ArrayList<>();
      for (int i = 0; i <= args.length; i++) {
        if (i < args.length && !args[i].equals(";")) {
          cmd.add(args[i]);
        } else if (!cmd.isEmpty()) {
          run(
              cmd.toArray(new String[0]),
              new PrintWriter(System.out, true),
              new PrintWriter(System.err, true));
          cmd.clear();
        }
      }
    }
  }

  /** Prints the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"bootaudit " + (v == null ? "(development build)" : v)};
    }
  }
}
