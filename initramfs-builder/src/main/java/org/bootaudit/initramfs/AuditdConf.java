package org.bootaudit.initramfs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes auditd's log for whole boots: {@code max_log_file} so that one file holds a boot with
 * room to spare, {@code num_logs} so that rotation keeps several. Values are only ever raised;
 * every other byte of the file (comments, order, spacing) stays.
 */
final class AuditdConf {

  static final String FILE = Layout.AUDITD_CONF;

  /**
   * What one boot writes with the early-boot rules, in MB, rounded up: a Debian 12 systemd VM
   * (kernel 6.1, systemd 252, auditd 3.0.9, log_format ENRICHED) wrote 73,619 records, 15.4 MB,
   * from the initramfs until shortly after the login prompt.
   */
  static final int BOOT_MB = 16;

  /** One file holds two such boots: a boot is never split by more than one rotation. */
  static final int MAX_LOG_FILE_MB = 2 * BOOT_MB;

  /**
   * Files kept when rotating: with {@link #MAX_LOG_FILE_MB} at least 5 boots even if each took a
   * file of its own. (Debian's 8 MB and 5 files rotated inside the first boot and kept fewer than
   * three.)
   */
  static final int NUM_LOGS = 5;

  private static final Pattern ACTION = setting("max_log_file_action");

  private AuditdConf() {}

  /**
   * The file's new text and what changed, as lines for the user.
   *
   * @param changes e.g. {@code max_log_file 8 -> 32 (MB; …)}; empty when nothing changes
   * @param notes what the settings mean for boots, and values left alone
   */
  record Sized(String text, List<String> changes, List<String> notes) {}

  static Sized size(String text) {
    List<String> changes = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String action = last(ACTION, text).map(v -> v.toUpperCase(Locale.ROOT)).orElse("ROTATE");
    text = raise(
        text,
        "max_log_file",
        MAX_LOG_FILE_MB,
        "MB; a boot with the early-boot rules writes ~" + BOOT_MB + " MB",
        changes,
        notes);
    if (action.equals("ROTATE")) {
      text = raise(text, "num_logs", NUM_LOGS, "files kept when rotating", changes, notes);
      int logs = last(setting("num_logs"), text).map(AuditdConf::number).orElse(0);
      int size = last(setting("max_log_file"), text).map(AuditdConf::number).orElse(0);
      if (logs > 0 && size > 0) {
        notes.add(String.format(
            "the log keeps num_logs %d x max_log_file %d MB = %d MB, about %d boots of ~%d MB"
                + " (fewer when the early-boot rules stay after the login prompt: then every file opened is logged; see"
                + " --boot-only)",
            logs, size, logs * size, logs * size / BOOT_MB, BOOT_MB));
      }
    } else {
      notes.add("max_log_file_action = " + action + ": " + meaning(action) + "; left as it is");
    }
    return new Sized(text, changes, notes);
  }

  /** Sets every value of key below min to min (or appends key = min when it is missing). */
  private static String raise(
      String text, String key, int min, String unit, List<String> changes, List<String> notes) {
    Matcher m = setting(key).matcher(text);
    StringBuilder b = new StringBuilder();
    boolean found = false;
    int copied = 0;
    while (m.find()) {
      found = true;
      String value = m.group(1);
      int n = number(value);
      if (n < 0) {
        notes.add(key + " = '"
            + Text.sanitize(
                value.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, value.length())
            + "' is not a number auditd reads; left as it is");
      } else if (n < min) {
        b.append(text, copied, m.start(1)).append(min);
        copied = m.end(1);
        changes.add(key + " " + n + " -> " + min + " (" + unit + ")");
      }
    }
    b.append(text, copied, text.length());
    if (!found) {
      b.append(text.isEmpty() || text.endsWith("\n") ? "" : "\n")
          .append(key)
          .append(" = ")
          .append(min)
          .append('\n');
      changes.add(key + " (missing) -> " + min + " (" + unit + ")");
    }
    return b.toString();
  }

  /** A setting's line as auditd reads it: {@code key = value}, value in group 1. */
  private static Pattern setting(String key) {
    return Pattern.compile(
        "^[ \\t]*" + key + "[ \\t]*=[ \\t]*([^ \\t\\r\\n#]*)", Pattern.MULTILINE);
  }

  private static Optional<String> last(Pattern p, String text) {
    Matcher m = p.matcher(text);
    String value = null;
    while (m.find()) {
      value = m.group(1);
    }
    return Optional.ofNullable(value);
  }

  /** A non-negative number, or -1. */
  private static int number(String value) {
    return value.matches("[0-9]{1,9}") ? Integer.parseInt(value) : -1;
  }

  /** What a max_log_file_action other than ROTATE means for the boots the log keeps. */
  private static String meaning(String action) {
    return switch (action) {
      case "KEEP_LOGS" ->
        "auditd starts a new file at max_log_file and never deletes one, so every boot is kept until"
            + " the disk fills (then space_left_action and disk_full_action apply); num_logs does not apply";
      case "SUSPEND" ->
        "auditd stops writing when the log reaches max_log_file: the boots after that are not recorded"
            + " until someone rotates the log";
      case "IGNORE", "SYSLOG" ->
        "auditd goes on writing one file past max_log_file, so every boot is kept until the"
            + " disk fills; num_logs does not apply";
      case "EXEC" ->
        "auditd runs the given program when the log reaches max_log_file; what the boots after that"
            + " leave depends on it";
      default -> "not an action auditd knows, so auditd refuses to start";
    };
  }
}
