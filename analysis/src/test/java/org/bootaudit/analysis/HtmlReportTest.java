package org.bootaudit.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.FileEvent;
import org.bootaudit.core.LogSummary;
import org.junit.jupiter.api.Test;

/** The HTML report's data, as the library writes it (the page in a browser: cli's ReportHtmlTest). */
class HtmlReportTest {

  static final Path VM = Path.of("../samples/vm/initramfs-tools/audit/audit.log.gz");

  @Test
  void scriptSafeLeavesNoAngleBracketOrAmpersand() {
    assertThat(HtmlReport.scriptSafe("{\"p\":\"</script><!--&amp;\"}"))
        .doesNotContain("<", ">", "&")
        .isEqualTo("{\"p\":\"\\u003c/script\\u003e\\u003c!--\\u0026amp;\"}");
  }

  @Test
  void theProcessTreeIsDepthFirstWithChildrenIndented() {
    var t0 = java.time.Instant.EPOCH;
    var init = new org.bootaudit.core.ProcessNode(1, 0, "init", "/sbin/init", List.of(), 1, t0, 0);
    var sh = new org.bootaudit.core.ProcessNode(20, 1, "sh", "/bin/sh", List.of(), 2, t0, 0);
    var udev =
        new org.bootaudit.core.ProcessNode(10, 1, "udevd", "/sbin/udevd", List.of(), 3, t0, 0);
    var cat = new org.bootaudit.core.ProcessNode(21, 20, "cat", "/bin/cat", List.of(), 4, t0, 0);
    assertThat(HtmlReport.Tree.of(List.of(init, sh, udev, cat)))
        .extracting(r -> r.process().comm() + "@" + r.depth())
        .containsExactly("init@0", "sh@1", "cat@2", "udevd@1");
  }

  @Test
  void onlyTheProcessesWithTheMostFilesKeepTheirListsAndThePageSaysSo() throws IOException {
    Map<Integer, Set<String>> files = new HashMap<>();
    ByteArrayOutputStream page = new ByteArrayOutputStream();
    try (EventStream events = AuditLog.reader().source(VM).open();
        HtmlReport html = new HtmlReport(5)) {
      while (events.hasNext()) {
        FileEvent e = events.next();
        html.accept(e);
        if (e.success()) {
          files.computeIfAbsent(e.process().pid(), k -> new HashSet<>()).add(e.path());
        }
      }
      html.write(page, events.summary());
    }
    JsonNode boot = data(page).get("boots").get(0);
    List<Integer> top = files.entrySet().stream()
        .sorted(Map.Entry.<Integer, Set<String>>comparingByValue(
                (a, b) -> Integer.compare(b.size(), a.size()))
            .thenComparing(Map.Entry.comparingByKey()))
        .limit(5)
        .map(Map.Entry::getKey)
        .toList();
    int withFiles = 0;
    for (JsonNode p : boot.get("procs")) {
      int pid = p.get("pid").asInt();
      int n = files.getOrDefault(pid, Set.of()).size();
      assertThat(p.get("nfiles").asInt()).as("pid %d", pid).isEqualTo(n);
      assertThat(p.get("files").size()).as("pid %d", pid).isEqualTo(top.contains(pid) ? n : 0);
      withFiles += n > 0 ? 1 : 0;
    }
    assertThat(boot.get("listed").asInt()).isEqualTo(5);
    assertThat(boot.get("leftOut").asInt()).isEqualTo(withFiles - 5).isGreaterThan(100);
  }

  @Test
  void everyBootKeepsItsOwnListsWhenTheNextBootBegins() throws IOException {
    // two boots of one log: the first is set aside when the second begins, and comes back whole
    ByteArrayOutputStream page = new ByteArrayOutputStream();
    LogSummary summary;
    Map<Integer, Integer> uses = new HashMap<>();
    try (EventStream events = AuditLog.reader()
            .source(Path.of("../samples/boot/audit.log.gz"))
            .sources(List.of(VM))
            .window(org.bootaudit.core.BootWindow.all())
            .open();
        HtmlReport html = new HtmlReport(HtmlReport.DEFAULT_LISTS)) {
      Map<Integer, Set<String>> seen = new HashMap<>();
      while (events.hasNext()) {
        FileEvent e = events.next();
        html.accept(e);
        if (e.success()
            && seen.computeIfAbsent(e.boot(), k -> new HashSet<>())
                .add(e.process().pid() + " " + e.path())) {
          uses.merge(e.boot(), 1, Integer::sum);
        }
      }
      summary = events.summary();
      html.write(page, summary);
    }
    JsonNode boots = data(page).get("boots");
    assertThat(boots).hasSize(summary.boots().size()).hasSizeGreaterThanOrEqualTo(2);
    for (JsonNode b : boots) {
      int n = 0;
      for (JsonNode p : b.get("procs")) {
        n += p.get("files").size();
      }
      assertThat(n)
          .as("boot %d", b.get("boot").asInt())
          .isEqualTo(uses.getOrDefault(b.get("boot").asInt(), 0))
          .isPositive();
    }
  }

  private static JsonNode data(ByteArrayOutputStream page) throws IOException {
    String html = page.toString(StandardCharsets.UTF_8);
    String open = "<script type=\"application/json\" id=\"data\">";
    int s = html.indexOf(open) + open.length();
    return new ObjectMapper().readTree(html.substring(s, html.indexOf("</script>", s)));
  }
}
