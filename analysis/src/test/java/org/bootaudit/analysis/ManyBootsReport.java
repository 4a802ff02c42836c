package org.bootaudit.analysis;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.BootWindow;
import org.bootaudit.core.EventStream;

/**
 * Run in a JVM of its own with a small heap by {@link BoundedMemoryTest}: the text report and the
 * HTML report of {@code COPIES} boots in one pass, as {@code bootaudit report --html} makes them.
 * Prints {@code boots N bytes B heap-peak P}: P is the most heap in use seen by a sampler every 5 ms.
 */
public final class ManyBootsReport {

  private ManyBootsReport() {}

  public static void main(String[] args) throws Exception {
    Runtime rt = Runtime.getRuntime();
    long[] peak = {0};
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peak[0] = Math.max(peak[0], rt.totalMemory() - rt.freeMemory());
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    int copies = Integer.parseInt(args[0]);
    Path html = Path.of(args[1]);
    ManyBoots in = new ManyBoots(ManyBoots.CYCLE, copies);
    Report.Collector report = Report.collector(UsedFiles.builder());
    Report done;
    try (EventStream events =
            AuditLog.reader().source(in, "many-boots").window(BootWindow.all()).open();
        HtmlReport page = new HtmlReport(HtmlReport.DEFAULT_LISTS);
        OutputStream out = Files.newOutputStream(html)) {
      while (events.hasNext()) {
        var e = events.next();
        report.accept(e);
        page.accept(e);
      }
      done = report.finish(events.summary());
      page.write(out, events.summary());
    }
    String text = done.text(10);
    sampler.interrupt();
    System.out.println(
        "boots " + done.boots().size() + " bytes " + in.size() + " heap-peak " + peak[0]
            + " max-heap " + rt.maxMemory() + " text-lines " + text.lines().count());
  }
}
