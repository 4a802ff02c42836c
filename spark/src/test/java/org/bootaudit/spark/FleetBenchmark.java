package org.bootaudit.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fleet throughput on this machine, in one run: {@code bootaudit report} run host by host (one JVM
 * per host, as a script would), then {@code bootaudit fleet} on {@code local[1]} and on
 * {@code local[2]}; each a whole process, start-up included, on the same generated fleet.
 *
 * <p>From the {@code spark} directory, after {@code mvn -pl spark -am package} and {@code mvn -pl cli
 * -am package}: {@code java -cp 'target/test-classes:target/classes:target/lib/*'
 * org.bootaudit.spark.FleetBenchmark HOSTS DIR}.
 */
public final class FleetBenchmark {

  private FleetBenchmark() {}

  /** Runs the three and prints a table. */
  public static void main(String[] args) throws Exception {
    int hosts = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]).toAbsolutePath();
    if (Files.exists(dir)) {
      TestFleet.delete(dir);
    }
    TestFleet fleet = TestFleet.write(dir.resolve("fleet"), hosts);
    long events = 0;
    // file events in the windows, as the fleet job counts them (checked equal to report by the
    // tests)
    for (String h : fleet.boots.stream().map(TestFleet.Boot::host).distinct().toList()) {
      try (org.bootaudit.core.EventStream e =
          org.bootaudit.core.AuditLog.reader().source(fleet.root.resolve(h)).open()) {
        events += org.bootaudit.analysis.Report.of(e).boots().stream()
            .mapToLong(b -> b.summary().fileEvents())
            .sum();
      }
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cli = Path.of("../cli/target/bootaudit.jar").toAbsolutePath().toString();
    System.out.printf(
        "fleet: %d hosts, %d boots, %,d bytes of logs, %,d file events%n",
        hosts, fleet.boots.size(), fleet.bytes, events);
    System.out.printf("%-34s %9s %10s %9s%n", "run", "seconds", "events/s", "hosts/s");

    long t0 = System.nanoTime();
    for (String h : fleet.boots.stream().map(TestFleet.Boot::host).distinct().toList()) {
      run(
          dir.resolve("report.out"),
          java,
          "-Xmx128m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-jar",
          cli,
          "report",
          fleet.root.resolve(h).toString());
    }
    row("report, host by host (1 JVM each)", System.nanoTime() - t0, events, hosts);

    String jvmArgs = Files.readString(Path.of("target/fleet.jvm-args")).trim();
    for (String master : new String[] {"local[1]", "local[2]"}) {
      List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g"));
      cmd.addAll(List.of(jvmArgs.split("\\s+")));
      cmd.addAll(List.of(
          "-cp",
          "target/bootaudit-fleet.jar:target/lib/*",
          FleetMain.class.getName(),
          fleet.root.toString(),
          "--out",
          dir.resolve("out-" + master.charAt(6)).toString(),
          "--master",
          master));
      t0 = System.nanoTime();
      run(dir.resolve("fleet-" + master.charAt(6) + ".out"), cmd.toArray(new String[0]));
      row("fleet --master " + master, System.nanoTime() - t0, events, hosts);
    }
  }

  private static void run(Path out, String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
        .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed; see " + out);
    }
  }

  private static void row(String name, long nanos, long events, int hosts) {
    double s = nanos / 1e9;
    System.out.printf("%-34s %9.1f %,10.0f %9.2f%n", name, s, events / s, hosts / s);
  }
}
