package org.bootaudit.initramfs;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The text of every hook bootaudit installs, from the resources of this package ({@link
 * Scripts}): in an injected image the wrapper {@code /init}, the initramfs-tools init-top script,
 * the dracut cmdline hook and the systemd unit; in a target root the initramfs-tools pair, the
 * dracut module and the {@code --boot-only} unit. Every shell hook shares {@code
 * audit-fragment.sh}: nothing in it may stop the boot.
 */
final class Hooks {
  /** Keeps journald from switching kernel auditing off when it starts (Debian: Audit=no). */
  static final String JOURNALD_CONF =
      new String(Scripts.bytes("journald.conf"), StandardCharsets.UTF_8);

  private Hooks() {}

  /** The wrapper {@code /init}: may never stop the boot, needs nothing but sh and its own files. */
  static String wrapper(String loader, long backlog) {
    return Scripts.of("wrapper.sh").with("AUDIT", audit(loader, backlog)).text();
  }

  /** The initramfs-tools init-top script: same commands, run from ORDER before udev. */
  static String initTop(String loader, long backlog) {
    return Scripts.of("init-top.sh").with("AUDIT", audit(loader, backlog)).text();
  }

  /** The dracut cmdline hook: sourced by dracut's init, so it defines nothing it leaves behind. */
  static String dracutHook(String loader, long backlog) {
    return Scripts.of("dracut-hook.sh").with("AUDIT", audit(loader, backlog)).text();
  }

  /** The systemd unit: auditctl through its own loader, no shell; a failure is logged and ignored. */
  static String unit(String loader, long backlog) {
    String run = (loader.isEmpty()
            ? ""
            : "/" + Layout.LIB + "/" + loader + " --inhibit-cache --library-path /" + Layout.LIB
                + " ")
        + "/" + Layout.AUDITCTL;
    return Scripts.of("bootaudit.service")
        .with("BY", "bootaudit")
        .with("RUN", run)
        .with("RULES", "/" + Layout.RULES)
        .with("BACKLOG", backlog)
        .text();
  }

  /** {@link #unit} with the image's own auditctl and rules, as the dracut module installs them. */
  static String ownUnit(long backlog) {
    return Scripts.of("bootaudit.service")
        .with("BY", "bootaudit's dracut module")
        .with("RUN", "/" + Layout.OWN_AUDITCTL)
        .with("RULES", "/" + Layout.OWN_RULES)
        .with("BACKLOG", backlog)
        .text();
  }

  /** The dracut module's cmdline hook: as {@link #dracutHook} but with the image's own auditctl. */
  static String ownDracutHook(long backlog) {
    return Scripts.of("dracut-module-hook.sh").with("BACKLOG", backlog).text();
  }

  private static String audit(String loader, long backlog) {
    String run = loader.isEmpty()
        ? "\"$BA/auditctl\" \"$@\""
        : "\"$BA/lib/" + loader
            + "\" --inhibit-cache --library-path \"$BA/lib\" \"$BA/auditctl\" \"$@\"";
    String text = Scripts.of("audit-fragment.sh")
        .with("RUN", run)
        .with("BACKLOG", backlog)
        .text();
    return text.substring(0, text.length() - 1);
  }

  /**
   * The initramfs-tools pair for a target root: the hook (copies the root's auditctl with {@code
   * copy_exec} and writes the rules, which it carries inline) and the init-top script.
   *
   * @throws InjectionRefusedException when a line of the rules would end the hook's here-document
   */
  static List<RootFile> initramfsTools(String rules, long backlog)
      throws InjectionRefusedException {
    if (rules.lines().anyMatch(l -> l.equals("BOOTAUDIT_RULES"))) {
      throw new InjectionRefusedException(
          "the rules file contains the line BOOTAUDIT_RULES, which ends the hook's here-document");
    }
    byte[] hook = Scripts.of("initramfs-tools-hook.sh")
        .with("RULES", rules.endsWith("\n") ? rules : rules + "\n")
        .utf8();
    byte[] script =
        Scripts.of("initramfs-tools-init-top.sh").with("BACKLOG", backlog).utf8();
    return List.of(
        new RootFile(Layout.TOOLS_HOOK, hook, 0755),
        new RootFile(Layout.TOOLS_INIT_TOP, script, 0755));
  }

  /**
   * The dracut module's files, {@code module-setup.sh} last, so that dracut (which only sees a
   * module with that file) never takes a half-written one. The rules go as a file, never inlined.
   */
  static List<RootFile> dracutModule(byte[] rules, long backlog) {
    String dir = Layout.DRACUT_MODULE + "/";
    return List.of(
        new RootFile(dir + Layout.DRACUT_MODULE_RULES, rules, 0640),
        new RootFile(
            dir + Layout.DRACUT_MODULE_JOURNALD,
            JOURNALD_CONF.getBytes(StandardCharsets.UTF_8),
            0644),
        new RootFile(
            dir + Layout.DRACUT_MODULE_HOOK,
            ownDracutHook(backlog).getBytes(StandardCharsets.UTF_8),
            0755),
        new RootFile(dir + Layout.UNIT, ownUnit(backlog).getBytes(StandardCharsets.UTF_8), 0644),
        new RootFile(
            dir + Layout.DRACUT_MODULE_SETUP, Scripts.bytes("dracut-module-setup.sh"), 0755));
  }

  /** {@code --boot-only}: the script, then the unit that runs it. */
  static List<RootFile> bootOnly() {
    return List.of(
        new RootFile(Layout.BOOT_ONLY_SCRIPT, Scripts.bytes("boot-only.sh"), 0755),
        new RootFile(Layout.BOOT_ONLY_UNIT_FILE, Scripts.bytes(Layout.BOOT_ONLY_UNIT), 0644));
  }
}
