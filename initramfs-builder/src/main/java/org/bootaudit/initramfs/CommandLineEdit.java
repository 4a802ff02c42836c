package org.bootaudit.initramfs;

import java.util.List;

/**
 * What {@link Injector#planKernelArguments} would make of one file that holds the kernel command
 * line, before anything is written. Holds an array, so it is compared by identity.
 *
 * @param result the file, its lines as they would read and whether it would change
 * @param content the file's new bytes (its old ones when it would not change)
 * @param backlog the largest {@code audit_backlog_limit} the file's command line would have: the
 *     one asked for, or a larger one it had already
 * @param notes what happened to backlog values it had, e.g. {@code audit_backlog_limit=8192 raised
 *     to 65536} or {@code audit_backlog_limit=262144 kept (larger than 65536; never lowered)}
 */
public record CommandLineEdit(
    KernelCommandLine result, byte[] content, long backlog, List<String> notes) {

  /** Copies the bytes and the list. */
  public CommandLineEdit {
    content = content.clone();
    notes = List.copyOf(notes);
  }

  /** A copy of the new bytes. */
  @Override
  public byte[] content() {
    return content.clone();
  }
}
