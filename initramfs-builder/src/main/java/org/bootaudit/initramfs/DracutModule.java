package org.bootaudit.initramfs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The dracut module {@code usr/lib/dracut/modules.d/99bootaudit} written into a target root, so
 * that every image that root's dracut builds from then on loads the rules: behind {@link
 * Injector#writeDracutModule}.
 *
 * <p>The module ships the root's own auditctl (dracut copies its libraries into the image) as
 * {@code /usr/sbin/auditctl}, the rules as {@code /etc/bootaudit/audit.rules} (carried in the
 * module directory as a file, never inlined into a script) and, where the image has journald,
 * the journald drop-in. Its hook is a unit wanted by {@code sysinit.target} in a systemd image
 * and the first cmdline hook otherwise, with the markers {@link Verifier} knows.
 */
final class DracutModule {
  /** dracut's module directory for modules outside dracut itself (sorted late: bootaudit needs none before it). */
  static final String DIR = "usr/lib/dracut/modules.d/99bootaudit";
  /** Where the module puts auditctl in the image, whatever the root's layout. */
  static final String AUDITCTL = "usr/sbin/auditctl";
  /** Where the module puts the rules in the image (as the initramfs-tools hook does). */
  static final String RULES = "etc/bootaudit/audit.rules";
  /** inst_hook installs it as {@code cmdline/00-bootaudit.sh}, the name injection uses too. */
  static final String HOOK = "bootaudit.sh";
  static final String SETUP = "module-setup.sh";
  static final String RULES_FILE = "audit.rules";
  static final String JOURNALD_FILE = "journald-bootaudit.conf";

  private DracutModule() {}

  /**
   * The module's files, {@code module-setup.sh} last, so that dracut (which only sees a module
   * with that file) never takes a half-written one.
   */
  static List<RootFile> files(byte[] rules, long backlog) {
    List<RootFile> files = new ArrayList<>();
    files.add(new RootFile(DIR + "/" + RULES_FILE, rules, 0640));
    files.add(new RootFile(DIR + "/" + JOURNALD_FILE, Injector.JOURNALD_CONF.getBytes(StandardCharsets.UTF_8), 0644));
    files.add(new RootFile(DIR + "/" + HOOK, hook(backlog).getBytes(StandardCharsets.UTF_8), 0755));
    files.add(new RootFile(DIR + "/" + Injector.UNIT, unit(backlog).getBytes(StandardCharsets.UTF_8), 0644));
    files.add(new RootFile(DIR + "/" + SETUP, setup().getBytes(StandardCharsets.UTF_8), 0755));
    return files;
  }

  /** dracut's interface: check, depends, install. Sourced by dracut's bash. */
  static String setup() {
    String ctl = "/" + AUDITCTL;
    return String.join("\n",
        "#!/bin/bash",
        "# bootaudit dracut module, written by 'bootaudit enable' or 'bootaudit initramfs inject --target-root'.",
        "# Every image dracut builds loads the early-boot audit rules before udev. Delete this directory to stop.",
        "",
        "# Included by default wherever auditctl exists (package auditd or audit); skipped otherwise.",
        "check() {",
        "    require_binaries auditctl || return 1",
        "    return 0",
        "}",
        "",
        "depends() {",
        "    return 0",
        "}",
        "",
        "install() {",
        "    # dracut copies the libraries auditctl needs into the image itself; no hook without auditctl",
        "    inst_binary auditctl " + ctl + " || {",
        "        derror \"bootaudit: auditctl could not be installed; early-boot audit not added\"",
        "        return 1",
        "    }",
        "    inst_simple \"$moddir/" + RULES_FILE + "\" /" + RULES,
        "    # systemd-journald switches auditing off when it starts unless Audit=yes (Debian: Audit=no)",
        "    if [[ -e $initdir$systemdutildir/systemd-journald ]] || dracut_module_included systemd-journald; then",
        "        inst_simple \"$moddir/" + JOURNALD_FILE + "\" /" + Injector.JOURNALD_DROP_IN_DIR + "/" + Injector.JOURNALD_DROP_IN,
        "    fi",
        "    if dracut_module_included systemd; then",
        "        inst_simple \"$moddir/" + Injector.UNIT + "\" \"$systemdsystemunitdir/" + Injector.UNIT + "\"",
        "        $SYSTEMCTL -q --root \"$initdir\" add-wants sysinit.target " + Injector.UNIT + " || {",
        "            mkdir -p \"$initdir$systemdsystemunitdir/sysinit.target.wants\"",
        "            ln_r \"$systemdsystemunitdir/" + Injector.UNIT + "\" \"$systemdsystemunitdir/" + Injector.UNIT_WANTS + "\"",
        "        }",
        "    else",
        "        inst_hook cmdline 00 \"$moddir/" + HOOK + "\"",
        "    fi",
        "}",
        "");
  }

  /**
   * The cmdline hook for dracut's shell init: as {@link Injector#dracutHook} (sourced, never
   * exits, leaves nothing defined) but with the image's own auditctl.
   */
  static String hook(long backlog) {
    String ctl = "/" + AUDITCTL;
    String rules = "/" + RULES;
    return String.join("\n",
        "#!/bin/sh",
        Injector.DRACUT_MARKER,
        "# Added by bootaudit's dracut module: start Linux audit early in the initramfs (first cmdline hook; sourced,"
            + " never exits).",
        "# Nothing here may stop the boot: failures are reported and ignored. No /dev/null is needed.",
        "ba_log() {",
        "\tif [ -c /dev/kmsg ]; then echo \"bootaudit: $*\" > /dev/kmsg; else echo \"bootaudit: $*\" >&2; fi",
        "}",
        "if [ -x " + ctl + " ]; then",
        "\tba_out=$(" + ctl + " -R " + rules + " 2>&1) || ba_log \"loading " + rules + " failed: $ba_out\"",
        "\tba_out=$(" + ctl + " -b " + backlog + " 2>&1) || ba_log \"auditctl -b " + backlog + " failed: $ba_out\"",
        "\tba_out=$(" + ctl + " -e 1 2>&1) || ba_log \"auditctl -e 1 failed: $ba_out\"",
        "else",
        "\tba_log \"" + ctl + " is missing from the initramfs: audit rules not loaded\"",
        "fi",
        "unset ba_out",
        "unset -f ba_log",
        "");
  }

  /** {@link Injector#unit} with the image's own auditctl and rules instead of {@code /bootaudit}. */
  static String unit(long backlog) {
    String injected = Injector.unit("", backlog);
    String ctl = "/" + Injector.DIR + "/auditctl ";
    String rules = "/" + Injector.DIR + "/audit.rules";
    String own = injected.replace(ctl, "/" + AUDITCTL + " ").replace(rules, "/" + RULES)
        .replace("# Added by bootaudit:", "# Added by bootaudit's dracut module:");
    if (own.contains(ctl) || own.contains(" " + rules)) {
      throw new IllegalStateException("the unit still names /" + Injector.DIR + "/: " + own);
    }
    return own;
  }

}
