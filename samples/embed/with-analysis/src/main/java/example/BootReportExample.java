package example;

import java.io.IOException;
import java.nio.file.Path;
import org.bootaudit.analysis.BootReport;
import org.bootaudit.analysis.Report;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.Op;
import org.bootaudit.core.Phase;

/** The per-boot report of a log, as values: counts per operation and per phase. */
public final class BootReportExample {

  private BootReportExample() {}

  public static void main(String[] args) throws IOException {
    Report report;
    try (EventStream events = AuditLog.reader().source(Path.of(args[0])).open()) {
      report = Report.of(events);
    }
    for (BootReport boot : report.boots()) {
      System.out.println("boot " + boot.summary().boot() + ": " + boot.uniqueFiles() + " unique files, "
          + boot.op(Op.EXEC).events() + " execs of " + boot.op(Op.EXEC).files() + " programs, "
          + boot.summary().phases().count(Phase.INITRAMFS) + " file events in the initramfs");
    }
  }
}
