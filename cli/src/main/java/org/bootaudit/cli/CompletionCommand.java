package org.bootaudit.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code bootaudit completion}: the bash/zsh completion script, generated from the command model. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a bash completion script for bootaudit (zsh reads it too, after 'autoload -U bashcompinit && bashcompinit').",
      "Install: bootaudit completion > /etc/bash_completion.d/bootaudit, or: source <(bootaudit completion)"
    })
final class CompletionCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    // the whole tree: Main.branch builds only this branch to start fast
    String script = AutoComplete.bash("bootaudit", new CommandLine(new Main()));
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return Main.OK;
  }
}
