package org.bootaudit.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bootaudit.core.AuditLog;
import org.bootaudit.core.EventStream;
import org.bootaudit.core.Op;
import org.bootaudit.core.Phase;
import org.junit.jupiter.api.Test;

/**
 * IMA's INTEGRITY_RULE records joined to their own exec and read events, on a real boot
 * (samples/vm/ima-audit): the hash each record gives is the sha256sum of the file, taken by
 * record-vm.sh on the root and in the initramfs the VM booted, and equal to the measurement.
 */
class ImaJoinRecordsTest {

  static final Path VM = ImaAuditTest.VM;

  @Test
  void eachRecordJoinsItsOwnEventWithTheFilesHash() throws IOException {
    ImaJoin join = join(List.of());
    Map<String, String> root = sums(VM.resolve("ima-root.sha256"));
    Map<String, String> initramfs = sums(VM.resolve("ima-initramfs.sha256"));
    List<ImaJoin.JoinedFile> withRecord =
        join.files().stream().filter(f -> f.record().isPresent()).toList();
    assertThat(withRecord).hasSizeGreaterThan(1000);
    int compared = 0;
    for (ImaJoin.JoinedFile f : withRecord) {
      ImaAudit.Record r = f.record().get();
      String name = r.file().get();
      Map<String, String> sums = f.phase() == Phase.INITRAMFS ? initramfs : root;
      if (sums.containsKey(name)) {
        assertThat(f.hash()).as("%s %s", f.phase(), f.path()).hasValue("sha256:" + sums.get(name));
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(300);
    // the root's init: pid 1 exec'd /sbin/init, the kernel audited the file it led to
    ImaJoin.JoinedFile init = file(join, "/sbin/init", false);
    assertThat(init.op()).isEqualTo(Op.EXEC);
    assertThat(init.record().get().file()).hasValue("/usr/lib/systemd/systemd");
    assertThat(init.record().get().pid()).hasValue(1);
    assertThat(init.hash()).hasValue("sha256:" + root.get("/usr/lib/systemd/systemd"));
    // executed before init-top wrote the policy (auditctl from bootaudit's hook, the policy's own
    // script), or a second name of a file IMA had audited under its first
    assertThat(join.unmeasured())
        .extracting(ImaJoin.JoinedFile::path)
        .contains("/sbin/auditctl", "/scripts/init-top/ima-policy")
        .hasSizeLessThan(10);
  }

  @Test
  void recordsAndMeasurementsAgree() throws IOException {
    ImaJoin join = join(ImaLog.read(VM.resolve("ima-measurements.txt")));
    List<ImaJoin.JoinedFile> both = join.files().stream()
        .filter(f -> f.record().isPresent() && f.measurement().isPresent())
        .toList();
    assertThat(both).hasSizeGreaterThan(300);
    // augenrules writes its temporary file and reads it again: IMA measured one content, audited
    // another (each once per content); every file the boot did not change agrees
    assertThat(both.stream().filter(f -> !f.agree()).map(f -> f.phase() + " " + f.path()))
        .singleElement()
        .asString()
        .startsWith("AUDITD /tmp/aurules.");
  }

  @Test
  void recordsNoExecOrReadTookAreListed() throws IOException {
    ImaJoin join = join(List.of());
    List<ImaAudit.Record> unmatched = join.unmatchedRecords();
    assertThat(join.records()).hasSize(2021);
    // most are udev's lock files, opened for reading and writing (write events, not reads)
    assertThat(unmatched)
        .hasSizeBetween(1, join.records().size() / 4)
        .anySatisfy(
            r -> assertThat(r.file().get()).startsWith("/run/udev/links/").endsWith("/.lock"));
  }

  private static ImaJoin join(List<ImaLog.Measurement> measurements) throws IOException {
    ImaJoin join = new ImaJoin(measurements, ImaAudit.read(List.of(VM.resolve("audit"))));
    try (EventStream events = AuditLog.reader().source(VM.resolve("audit")).open()) {
      events.forEachRemaining(join);
    }
    return join;
  }

  private static ImaJoin.JoinedFile file(ImaJoin join, String path, boolean initramfs) {
    return join.files().stream()
        .filter(f -> f.path().equals(path) && (f.phase() == Phase.INITRAMFS) == initramfs)
        .findFirst()
        .orElseThrow();
  }

  static Map<String, String> sums(Path file) throws IOException {
    Map<String, String> out = new HashMap<>();
    for (String l : Files.readAllLines(file)) {
      out.put(l.substring(66), l.substring(0, 64));
    }
    return out;
  }
}
