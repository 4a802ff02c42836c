package org.bootaudit.initramfs;

import java.nio.file.Path;
import java.util.List;

/**
 * One file of a target root that holds the kernel command line, as {@link
 * Injector#applyKernelArguments} left it.
 *
 * @param place what kind of file it is
 * @param file the file (symbolic links followed inside the root)
 * @param lines the lines of the file that hold {@link Injector#KERNEL_ARGUMENTS} or changed, as they
 *     now read (for an entry that gets them through grubenv: its options line)
 * @param changed whether the file was rewritten (the previous content is in {@code
 *     FILE.bootaudit-backup}); false when nothing in it needed to change
 */
public record KernelCommandLine(Place place, Path file, List<String> lines, boolean changed) {

  /** Copies the list. */
  public KernelCommandLine {
    lines = List.copyOf(lines);
  }

  /** Where a distribution keeps the kernel command line. */
  public enum Place {
    /** {@code etc/default/grub}, {@code GRUB_CMDLINE_LINUX}: takes effect when grub.cfg is regenerated. */
    GRUB_DEFAULT,
    /** A Boot Loader Specification entry ({@code loader/entries/*.conf}), its {@code options}: read at boot. */
    BLS_ENTRY,
    /** {@code boot/grub2/grubenv}, {@code kernelopts}: what entries with {@code options $kernelopts} use. */
    GRUBENV,
    /** {@code etc/kernel/cmdline}: what kernel-install writes into the entries of kernels installed later. */
    KERNEL_CMDLINE
  }
}
