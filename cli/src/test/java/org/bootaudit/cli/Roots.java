package org.bootaudit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Root file systems for enable and disable, built as a Debian 12 system has them, and snapshots of whole trees. */
final class Roots {
  static final Path RESOURCES = Path.of("src/test/resources/roots/debian12");
  static final Path BLS = Path.of("../initramfs-builder/src/test/resources/bls/kernel-install");
  static final Path HOST_GRUB = Path.of("/usr/share/grub/default/grub");
  static final Path HOST_AUDITD_CONF = Path.of("/etc/audit/auditd.conf");

  /** The first line of the manifest enable writes (its format, version 1). */
  static final String MANIFEST_HEADER =
      "# bootaudit enable manifest 1: what 'bootaudit disable' undoes"
          + " (paths relative to the root; fields separated by tabs)";

  private Roots() {}

  /** A file bootaudit installs, as initramfs-builder ships it. */
  static byte[] resource(String name) throws IOException {
    try (java.io.InputStream in =
        org.bootaudit.initramfs.Initramfs.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  /** {@code sha256:HEX}, as the manifest records an edited file. */
  static String sha256(byte[] data) {
    try {
      return "sha256:"
          + java.util.HexFormat.of()
              .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /**
   * A root as a Debian 12 install with initramfs-tools, dracut's module directory, systemd and
   * auditd has it: the packages' etc/default/grub and auditd.conf (this machine's where it has
   * them, else the copies in {@code roots/debian12}, see recreate.sh), a boot loader entry and
   * etc/kernel/cmdline written by kernel-install, an enabled unit, and the directories the
   * packages make.
   */
  static Path debian(Path root) throws IOException {
    copy(
        Files.isRegularFile(HOST_GRUB) ? HOST_GRUB : RESOURCES.resolve("etc/default/grub"),
        root.resolve("etc/default/grub"),
        "rw-r--r--");
    copy(
        Files.isReadable(HOST_AUDITD_CONF)
            ? HOST_AUDITD_CONF
            : RESOURCES.resolve("etc/audit/auditd.conf"),
        root.resolve("etc/audit/auditd.conf"),
        "rw-r-----");
    copy(
        RESOURCES.resolve("etc/audit/rules.d/audit.rules"),
        root.resolve("etc/audit/rules.d/audit.rules"),
        "rw-r-----");
    copyTree(BLS, root);
    file(root.resolve("usr/sbin/update-initramfs"), "#!/bin/sh\n", "rwxr-xr-x");
    file(root.resolve("usr/lib/systemd/systemd-journald"), "", "rwxr-xr-x");
    file(root.resolve("etc/systemd/journald.conf"), "[Journal]\n#Audit=no\n", "rw-r--r--");
    for (String dir : new String[] {
      "usr/lib/dracut/modules.d/90kernel-modules",
      "etc/initramfs-tools/hooks",
      "etc/initramfs-tools/scripts/init-top",
      "etc/systemd/system/multi-user.target.wants",
      "usr/local/lib"
    }) {
      Files.createDirectories(root.resolve(dir));
    }
    Files.createSymbolicLink(
        root.resolve("etc/systemd/system/multi-user.target.wants/auditd.service"),
        Path.of("/lib/systemd/system/auditd.service"));
    return root;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  static void copy(Path from, Path to, String perms) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from, to);
    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(perms));
  }

  static void file(Path file, String text, String perms) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
  }

  /** Every path under root with its kind, permissions and bytes (as a digest) or link target. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.toList()) {
        String what;
        if (Files.isSymbolicLink(p)) {
          what = "link -> " + Files.readSymbolicLink(p);
        } else {
          String perms = PosixFilePermissions.toString(
              Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
          what = Files.isDirectory(p)
              ? "dir " + perms
              : "file " + perms + " " + sha256(Files.readAllBytes(p));
        }
        tree.put(root.relativize(p).toString(), what);
      }
    }
    return tree;
  }
}
