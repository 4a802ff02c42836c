package example;

import java.io.IOException;
import java.nio.file.Path;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.BootSummary;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.Op;

/** Prints every program a boot executed, in order, and whether the log lost anything. */
public final class ExecsAtBoot {

  private ExecsAtBoot() {}

  public static void main(String[] args) throws IOException {
    try (EventStream events = AuditLog.reader().source(Path.of(args[0])).open()) {
      while (events.hasNext()) {
        FileEvent e = events.next();
        if (e.op() == Op.EXEC && e.success()) {
          System.out.println(e.phase().label() + " " + e.path() + " (pid " + e.process().pid() + ")");
        }
      }
      for (BootSummary b : events.summary().boots()) {
        System.out.println("boot " + b.boot() + ": " + (b.loss().none() ? "nothing lost" : "loss: " + b.loss()));
      }
    }
  }
}
