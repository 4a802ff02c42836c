package org.bootaudit.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Entry point: parse, lint, ship and generate audit rules in auditctl's syntax.
 *
 * <pre>{@code
 * RuleSet early = AuditRules.profile("early-boot").orElseThrow();
 * List<Finding> problems = AuditRules.lint(Path.of("audit.rules"), Stage.EARLY_BOOT);
 * GeneratedRules root = AuditRules.generate(TargetsConfig.read(Path.of("access_time.cfg")));
 * }</pre>
 */
public final class AuditRules {

  private static final List<String> PROFILES = List.of("early-boot", "early-boot-exec");

  /**
   * The kernel's backlog limit for capture from the initramfs, in records: the {@code -b} of the
   * shipped profiles and the {@code audit_backlog_limit=} they need on the kernel command line.
   * Until auditd connects the kernel holds every record, and the EOE record that ends each
   * system-call event (auditd does not write those), and drops what does not fit. Measured on
   * Debian 12 systemd VMs in qemu ({@code samples/vm/}): a dracut boot held up to ~49,000 records,
   * so 131,072 leaves more than twice that. A held record takes 2,304 bytes of kernel memory
   * ({@code benchmarks/held-queue-memory.sh}): at most 288 MiB, and only while records wait.
   */
  public static final int EARLY_BOOT_BACKLOG = 131072;

  /** The key of the rules {@link #generate(TargetsConfig)} writes. */
  public static final String TARGET_KEY = "ba_target";

  private AuditRules() {}

  /**
   * Parses a rules file or an {@code auditctl -l} listing.
   *
   * @throws RuleSyntaxException at the first line auditctl would refuse
   */
  public static RuleSet parse(String text, String sourceName) {
    return new RuleSet(sourceName, RuleParser.parse(text, sourceName, true).rules());
  }

  /**
   * Parses a rules file, named in errors as given.
   *
   * @throws RuleSyntaxException at the first line auditctl would refuse
   * @throws IOException when the file cannot be read
   */
  public static RuleSet parse(Path file) throws IOException {
    return parse(read(file), file.toString());
  }

  /** Returns every finding in a rules text: one syntax error per refused line, then whole-rule checks; sorted by location. */
  public static List<Finding> lint(String text, String sourceName, Stage stage) {
    return Linter.lint(RuleParser.parse(text, sourceName, false), stage);
  }

  /**
   * Lints a rules file, named in findings as given.
   *
   * @throws IOException when the file cannot be read
   */
  public static List<Finding> lint(Path file, Stage stage) throws IOException {
    return lint(read(file), file.toString(), stage);
  }

  /** The longest rules file read: auditctl's own files are a few KiB; this bounds the heap. */
  public static final int MAX_FILE = 16 << 20;

  /**
   * A rules file's text: at most {@link #MAX_FILE} bytes of UTF-8, else a located error.
   *
   * @throws RuleSyntaxException for a file too long or not UTF-8, at the place it goes wrong
   * @throws IOException when the file cannot be read, a directory among them
   */
  static String read(Path file) throws IOException {
    if (Files.isDirectory(file)) {
      throw new java.nio.file.FileSystemException(
          file.toString(), null, "is a directory, not a rules file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE + 1);
    }
    if (bytes.length > MAX_FILE) {
      throw new RuleSyntaxException(
          locate(file, bytes, MAX_FILE),
          "expected a rules file of at most " + MAX_FILE
              + " bytes, found a longer one (the limit on what lint reads)");
    }
    java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
    java.nio.charset.CoderResult r = utf8.decode(in, out, true);
    if (r.isError()) {
      throw new RuleSyntaxException(
          locate(file, bytes, in.position()),
          String.format("expected UTF-8 text, found byte \\x%02X", bytes[in.position()] & 0xff));
    }
    return out.flip().toString();
  }

  /** Line and column (in bytes) of {@code at} in a file. */
  private static org.bootaudit.core.SourceLocation locate(Path file, byte[] b, int at) {
    long line = 1;
    int lineStart = 0;
    for (int i = 0; i < at && i < b.length; i++) {
      if (b[i] == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new org.bootaudit.core.SourceLocation(file.toString(), line, at - lineStart + 1);
  }

  /** Returns the names of the shipped profiles: {@code early-boot}, {@code early-boot-exec}. */
  public static List<String> profiles() {
    return PROFILES;
  }

  /** Returns a shipped profile's rules file, comments included. */
  public static Optional<String> profileText(String name) {
    if (!PROFILES.contains(name)) {
      return Optional.empty();
    }
    try (InputStream in = AuditRules.class.getResourceAsStream(name + ".rules")) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns a shipped profile, parsed. */
  public static Optional<RuleSet> profile(String name) {
    return profileText(name).map(t -> parse(t, "profile:" + name));
  }

  /**
   * Makes the rules for the root filesystem from a target list: one {@code -w DIR -p rwxa} watch
   * per target (the root's inodes, so load them after switch_root), and the same targets with
   * the excluded extensions as {@code report} options.
   */
  public static GeneratedRules generate(TargetsConfig config) {
    StringBuilder text = new StringBuilder(
            "## bootaudit targets: load on the root filesystem, after switch_root\n")
        .append(
            "## (e.g. /etc/audit/rules.d/); path watches loaded in the initramfs would not follow it.\n");
    List<String> args = new ArrayList<>();
    for (String target : config.targets()) {
      String dir = target.length() > 1 && target.endsWith("/")
          ? target.substring(0, target.length() - 1)
          : target;
      text.append("-w ").append(dir).append(" -p rwxa -k ").append(TARGET_KEY).append('\n');
      args.add("--target");
      args.add(dir);
    }
    for (String ext : config.excludeExtensions()) {
      args.add("--exclude-ext");
      args.add(ext);
    }
    text.append("## analysis filter: bootaudit report ")
        .append(String.join(" ", args))
        .append('\n');
    return new GeneratedRules(text.toString(), parse(text.toString(), "targets"), args);
  }
}
