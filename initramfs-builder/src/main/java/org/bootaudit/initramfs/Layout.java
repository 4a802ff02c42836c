package org.bootaudit.initramfs;

/**
 * The names bootaudit uses inside images and target roots, and the markers by which {@link
 * Verifier} recognises its hooks: kept apart from the code that writes them (as commons-compress
 * keeps {@code CpioConstants} apart from its streams). Paths are relative, without a leading
 * slash. The scripts themselves are resources of this package, see {@link Scripts}.
 */
final class Layout {
  private Layout() {}

  // -- in an injected image

  /** The private directory for auditctl, its loader and libraries ({@code lib/}) and the rules. */
  static final String DIR = "bootaudit";

  static final String AUDITCTL = DIR + "/auditctl";
  static final String RULES = DIR + "/audit.rules";
  static final String LIB = DIR + "/lib";
  /** The original {@code /init}, which the wrapper {@code exec}s. */
  static final String INIT = "init";

  static final String INIT_ORIG = "init.orig";
  /** The largest /init kept as /init.orig (systemd is about 100 KiB, busybox 2 MiB). */
  static final int MAX_INIT = 64 << 20;

  /** First line after the shebang of each hook: what {@link Verifier} looks for. */
  static final String WRAPPER_MARKER = "# bootaudit-wrapper 1";

  static final String INIT_TOP_MARKER = "# bootaudit-init-top 1";
  static final String DRACUT_MARKER = "# bootaudit-dracut 1";
  static final String UNIT_MARKER = "# bootaudit-unit 1";

  /** initramfs-tools: the init-top script and the ORDER file that runs it first. */
  static final String INIT_TOP_DIR = "scripts/init-top";

  static final String INIT_TOP = INIT_TOP_DIR + "/bootaudit";
  static final String ORDER = INIT_TOP_DIR + "/ORDER";
  static final String ORDER_LINE =
      "/scripts/init-top/bootaudit \"$@\"\n[ -e /conf/param.conf ] && . /conf/param.conf\n";

  /** dracut's hook directory as its init names it (under usr/ in merged-/usr images). */
  static final String DRACUT_HOOKS = "lib/dracut/hooks";

  static final String DRACUT_HOOK = "cmdline/00-bootaudit.sh";

  /** systemd: the unit, where injection puts it, and its wants link. */
  static final String UNIT_DIR = "etc/systemd/system";

  static final String UNIT = "bootaudit.service";
  static final String UNIT_WANTS = "sysinit.target.wants/" + UNIT;

  /** journald's drop-in directory; the drop-in sorts after others, so its setting wins. */
  static final String JOURNALD_DROP_IN_DIR = "etc/systemd/journald.conf.d";

  static final String JOURNALD_DROP_IN = "zz-bootaudit.conf";

  // -- in an image built by the root's own generator (initramfs-tools hook, dracut module)

  /** Where the root's hooks put auditctl: dracut's module, then initramfs-tools' copy_exec. */
  static final String OWN_AUDITCTL = "usr/sbin/auditctl";

  static final String OWN_AUDITCTL_TOOLS = "sbin/auditctl";
  /** Where the root's hooks put the rules. */
  static final String OWN_RULES = "etc/bootaudit/audit.rules";

  // -- in a target root

  static final String TOOLS_HOOK = "etc/initramfs-tools/hooks/bootaudit";
  static final String TOOLS_INIT_TOP = "etc/initramfs-tools/scripts/init-top/bootaudit";
  /** dracut's directory for modules outside dracut (sorted late: bootaudit needs none before it). */
  static final String DRACUT_MODULE = "usr/lib/dracut/modules.d/99bootaudit";
  /** inst_hook installs it as {@link #DRACUT_HOOK}. */
  static final String DRACUT_MODULE_HOOK = "bootaudit.sh";

  static final String DRACUT_MODULE_SETUP = "module-setup.sh";
  static final String DRACUT_MODULE_RULES = "audit.rules";
  static final String DRACUT_MODULE_JOURNALD = "journald-bootaudit.conf";
  /** A root with dracut has this directory. */
  static final String DRACUT_DIR = "usr/lib/dracut";

  static final String UPDATE_INITRAMFS = "usr/sbin/update-initramfs";

  /** Sorts before the root's own fragments, whose settings ({@code -b}, {@code -f}) then stand. */
  static final String ROOT_RULES_NAME = "50-bootaudit.rules";

  static final String ROOT_RULES_DIR = "etc/audit/rules.d";
  static final String ROOT_RULES = ROOT_RULES_DIR + "/" + ROOT_RULES_NAME;
  static final String ROOT_JOURNALD = JOURNALD_DROP_IN_DIR + "/" + JOURNALD_DROP_IN;
  static final String AUDITD_CONF = "etc/audit/auditd.conf";

  /** {@code --boot-only}: the unit, its wants link as {@code systemctl enable} makes it, its script. */
  static final String BOOT_ONLY_UNIT = "bootaudit-boot-only.service";

  static final String BOOT_ONLY_UNIT_FILE = UNIT_DIR + "/" + BOOT_ONLY_UNIT;
  static final String BOOT_ONLY_WANTS = UNIT_DIR + "/multi-user.target.wants/" + BOOT_ONLY_UNIT;
  static final String BOOT_ONLY_WANTS_TARGET = "../" + BOOT_ONLY_UNIT;
  /** Outside /usr/lib, which belongs to packages. */
  static final String BOOT_ONLY_SCRIPT = "usr/local/lib/bootaudit/boot-only";

  /** What enable did, for disable. */
  static final String MANIFEST = "etc/bootaudit/enable.manifest";
  /** Beside the file, as the kernel arguments have always kept theirs. */
  static final String BACKUP_SUFFIX = ".bootaudit-backup";
  /**
   * Where a file that enable overwrites but did not write is kept: beside it would not do, as
   * initramfs-tools runs every executable in its hook directories, backups too.
   */
  static final String BACKUPS = "etc/bootaudit/backup/";
}
