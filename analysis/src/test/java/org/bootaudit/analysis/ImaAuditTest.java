package org.bootaudit.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMA's audit records as a Debian 12 VM wrote them (samples/vm/ima-audit: booted with IMA policy
 * {@code audit} rules, see its README line): auditd's log and the kernel log of the same boot.
 */
class ImaAuditTest {

  static final Path VM = Path.of("../samples/vm/ima-audit");

  @TempDir
  Path tmp;

  @Test
  void readsEveryIntegrityRecordOfTheRecordedBoot() throws IOException {
    List<ImaAudit.Record> records = ImaAudit.read(List.of(VM.resolve("audit")));
    Map<String, Long> byType = records.stream()
        .collect(Collectors.groupingBy(ImaAudit.Record::type, TreeMap::new, Collectors.counting()));
    // as `zcat audit.log.gz | grep -o 'type=INTEGRITY_[A-Z_]*' | sort | uniq -c` counts them
    assertThat(byType)
        .containsExactly(
            Map.entry("INTEGRITY_DATA", 736L),
            Map.entry("INTEGRITY_PCR", 2L),
            Map.entry("INTEGRITY_POLICY_RULE", 22L),
            Map.entry("INTEGRITY_RULE", 2021L),
            Map.entry("INTEGRITY_STATUS", 1L));
    ImaAudit.Record first = records.stream()
        .filter(r -> r.type().equals("INTEGRITY_RULE"))
        .findFirst()
        .orElseThrow();
    assertThat(first.serial()).isEqualTo(88);
    assertThat(first.file()).hasValue("/scripts/init-top/keymap");
    assertThat(first.hash())
        .hasValue("sha256:2d04d7d7705d1c06cb9fff4c5290c02e719120e43ac65c387f00d8ef37b2d4cf");
    assertThat(first.pid()).hasValue(120);
    assertThat(first.fields()).containsEntry("exe", "/usr/bin/sh").containsEntry("comm", "init");
    // the ENRICHED tail (after 0x1d) is auditd's interpretation, not the kernel's fields
    assertThat(first.fields()).doesNotContainKey("AUID");
    assertThat(first.location().toString()).startsWith(VM.resolve("audit/audit.log.gz") + ":");
    ImaAudit.Record status = records.stream()
        .filter(r -> r.type().equals("INTEGRITY_STATUS"))
        .findFirst()
        .orElseThrow();
    assertThat(status.fields())
        .containsEntry("op", "policy_update")
        .containsEntry("cause", "completed")
        .containsEntry("comm", "ima-policy");
    assertThat(records.stream().filter(r -> r.type().equals("INTEGRITY_DATA")))
        .allSatisfy(r -> assertThat(r.fields())
            .containsEntry("op", "collect_data")
            .containsEntry("cause", "failed")
            .containsKey("name"));
  }

  @Test
  void readsTheKernelLogsNumberedRecords() throws IOException {
    // the kernel printed three before auditd connected (its printk of audit records is
    // rate-limited)
    List<ImaAudit.Record> records = ImaAudit.read(List.of(VM.resolve("dmesg.txt")));
    assertThat(records)
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.type()).isEqualTo("INTEGRITY_RULE"));
    ImaAudit.Record r = records.get(0);
    assertThat(r.serial()).isEqualTo(5906);
    assertThat(r.file()).hasValue("/proc/196/comm");
    // the hash of no bytes: a proc file's content as IMA reads it
    assertThat(r.hash())
        .hasValue("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(r.pid()).hasValue(1);
  }

  @Test
  void theKernelLogsRecordsAreTheSameAsAuditds() throws IOException {
    List<ImaAudit.Record> kernel = ImaAudit.read(List.of(VM.resolve("dmesg.txt")));
    List<ImaAudit.Record> auditd = ImaAudit.read(List.of(VM.resolve("audit")));
    for (ImaAudit.Record k : kernel) {
      assertThat(auditd)
          .filteredOn(a -> a.serial() == k.serial() && a.time().equals(k.time()))
          .singleElement()
          .satisfies(a -> assertThat(a.fields()).isEqualTo(k.fields()));
    }
  }

  @Test
  void aDamagedHashIsLocated() throws IOException {
    String line = realLine("type=INTEGRITY_RULE ");
    Path bad = write(line.replace("hash=\"sha256:", "hash=\"sha256:zz"));
    InvalidFileException e =
        catchThrowableOfType(InvalidFileException.class, () -> ImaAudit.read(List.of(bad)));
    assertThat(e.location().line()).isEqualTo(3);
    assertThat(e.location().column()).isEqualTo(line.indexOf("hash=") + 6);
    assertThat(e.problem()).startsWith("expected hash=\"ALGORITHM:HEX\", found '\"sha256:zz");
  }

  @Test
  void aCutStampIsLocated() throws IOException {
    String line = realLine("type=INTEGRITY_RULE ");
    Path bad = write(line.replaceFirst("msg=audit\\([0-9.]+:", "msg=audit(17961790x:"));
    InvalidFileException e =
        catchThrowableOfType(InvalidFileException.class, () -> ImaAudit.read(List.of(bad)));
    assertThat(e.location().toString()).isEqualTo(bad + ":3:31");
    assertThat(e.problem()).startsWith("expected SECONDS.MILLIS:SERIAL, found '17961790x:");
  }

  @Test
  void anUnclosedQuoteIsLocated() throws IOException {
    String line = realLine("type=INTEGRITY_STATUS ");
    String cut = line.substring(0, line.indexOf("comm=\"") + 9);
    InvalidFileException e =
        catchThrowableOfType(InvalidFileException.class, () -> ImaAudit.read(List.of(write(cut))));
    assertThat(e.location().column()).isEqualTo(cut.indexOf("comm=") + 6);
    assertThat(e.problem()).isEqualTo("expected a closing '\"', found '\"ima'");
  }

  @Test
  void anIntegrityRuleWithoutAHashIsRefused() throws IOException {
    String line = realLine("type=INTEGRITY_RULE ");
    String noHash = line.replaceFirst(" hash=\"[^\"]*\"", "");
    InvalidFileException e = catchThrowableOfType(
        InvalidFileException.class, () -> ImaAudit.read(List.of(write(noHash))));
    assertThat(e.location().line()).isEqualTo(3);
    assertThat(e.problem())
        .startsWith("expected hash=\"ALGORITHM:HEX\" in an INTEGRITY_RULE record");
  }

  @Test
  void aNameInHexIsDecodedAsCoreWritesNames() throws IOException {
    // audit writes a name holding a blank, a quote or a control byte in hex; no such name was in
    // the recorded boot, so this is the first real record with its file= re-encoded that way
    String line = realLine("type=INTEGRITY_RULE ");
    String hex = java.util.HexFormat.of()
            .withUpperCase()
            .formatHex("/etc/a b".getBytes(StandardCharsets.UTF_8))
        + "FF";
    Path f = write(line.replaceFirst("file=\"[^\"]*\"", "file=" + hex));
    assertThat(ImaAudit.read(List.of(f)).get(0).file()).hasValue("/etc/a b\\xff");
  }

  @Test
  void otherLinesAreLeftToCore() throws IOException {
    // PATH records hold nametype=, kernel lines fstype=: neither is a record type
    Path f = write(
        "type=PATH msg=audit(1.2:3): item=0 name=\"/x\" nametype=INTEGRITY_RULE",
        "[ 1.0] EXT4-fs: fstype=1805 mounted");
    assertThat(ImaAudit.read(List.of(f))).isEmpty();
  }

  /** The first line of the recorded log holding {@code marker}. */
  private static String realLine(String marker) throws IOException {
    try (InputStream in =
        new GZIPInputStream(Files.newInputStream(VM.resolve("audit/audit.log.gz")))) {
      for (String l : new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\n")) {
        if (l.contains(marker)) {
          return l;
        }
      }
    }
    throw new AssertionError("no " + marker);
  }

  /** Two lines of other records, then the given ones (the third line on). */
  private Path write(String... lines) throws IOException {
    List<String> all = new ArrayList<>();
    all.add("type=DAEMON_START msg=audit(1796179046.000:1): op=start ver=3.0.9 res=success");
    all.add("type=SERVICE_START msg=audit(1796179046.100:2): unit=x res=success");
    all.addAll(List.of(lines));
    Path f = tmp.resolve("audit.log");
    Files.write(f, String.join("\n", all).getBytes(StandardCharsets.ISO_8859_1));
    return f;
  }
}
