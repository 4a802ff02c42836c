package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts {@link Injector#KERNEL_ARGUMENTS} into a target root's {@code /etc/default/grub}
 * ({@code GRUB_CMDLINE_LINUX}), replacing other values of the same keys (e.g. {@code audit=0}).
 * Only ever called on an explicit request; keeps {@code grub.bootaudit-backup}.
 */
final class KernelArguments {
  private static final Pattern LINE = Pattern.compile("^GRUB_CMDLINE_LINUX=([\"']?)(.*)\\1[ \\t]*$", Pattern.MULTILINE);

  private KernelArguments() {}

  /** Edits ROOT/etc/default/grub; returns the new GRUB_CMDLINE_LINUX line, or the old one if nothing changed. */
  static String applyToGrub(Path root) throws IOException {
    Path grub = root.resolve("etc/default/grub");
    if (!Files.isRegularFile(grub)) {
      throw new IOException(grub + ": not found (for grubby: grubby --update-kernel=ALL --args=\""
          + Injector.KERNEL_ARGUMENTS + "\")");
    }
    String text = Files.readString(grub, StandardCharsets.ISO_8859_1);
    Matcher m = LINE.matcher(text);
    String updated;
    String line;
    if (m.find()) {
      String q = m.group(1).isEmpty() ? "\"" : m.group(1);
      line = "GRUB_CMDLINE_LINUX=" + q + merge(m.group(2)) + q;
      updated = text.substring(0, m.start()) + line + text.substring(m.end());
    } else {
      line = "GRUB_CMDLINE_LINUX=\"" + Injector.KERNEL_ARGUMENTS + "\"";
      updated = text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n") + line + "\n";
    }
    if (!updated.equals(text)) {
      Files.copy(grub, grub.resolveSibling("grub.bootaudit-backup"), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.COPY_ATTRIBUTES);
      Path temp = Files.createTempFile(grub.getParent(), ".grub.", ".tmp");
      try {
        Files.writeString(temp, updated, StandardCharsets.ISO_8859_1);
        Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(grub));
        Files.move(temp, grub, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    }
    return line;
  }

  static String merge(String existing) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (String a : Injector.KERNEL_ARGUMENTS.split(" ")) {
      wanted.put(a.substring(0, a.indexOf('=')), a);
    }
    List<String> out = new ArrayList<>();
    for (String a : existing.trim().split("\\s+")) {
      if (a.isEmpty()) {
        continue;
      }
      String key = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      String replacement = wanted.remove(key);
      out.add(replacement == null ? a : replacement);
    }
    out.addAll(wanted.values());
    return String.join(" ", out);
  }
}
