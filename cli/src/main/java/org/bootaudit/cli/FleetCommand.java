package org.bootaudit.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code bootaudit fleet} as this jar knows it: a pointer. The fleet job needs Apache Spark (~280
 * MB of jars), so it is its own artifact (module spark), which the {@code bootaudit} launcher
 * builds and runs before this jar is started; this command only lists it in the help, the man
 * pages and the completion, and says so when the jar is run without the launcher.
 */
@Command(
    name = "fleet",
    description = {
      "Read many hosts' boot logs with Apache Spark: Parquet tables, the fleet's baseline, outlier boots, loss and new programs.",
      "Run by the bootaudit launcher apart from this jar (it builds the Spark jar on first use); its options: ./bootaudit fleet --help."
    })
final class FleetCommand implements Callable<Integer> {

  @Unmatched
  List<String> arguments;

  @Override
  public Integer call() {
    System.err.println(
        "bootaudit: fleet runs on Apache Spark, in its own jar: run it with the bootaudit launcher (./bootaudit fleet --help)");
    return Main.USAGE;
  }
}
