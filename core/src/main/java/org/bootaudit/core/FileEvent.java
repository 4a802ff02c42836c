package org.bootaudit.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One thing a process did to one file, taken from one audit event.
 *
 * <p>Path names are text: valid UTF-8 as is, any byte that is not valid UTF-8 as {@code \xNN} and
 * a backslash as {@code \\}, so that no name is lost; {@link #nameBytes(String)} gives the
 * bytes back.
 *
 * @param node the {@code node=} name of the record, {@code ""} when the log has none
 * @param boot the boot this event belongs to, counted from 1 per node in log order
 * @param serial the kernel's event serial, unique within a boot; the kernel's count is 32 bits, and
 *     after it wraps around serials go on above 4294967295 (the kernel's value is this mod 2^32)
 * @param time when the system call started, as the kernel stamped it
 * @param phase the part of the boot it was made in
 * @param op what was done
 * @param path the file (for {@link Op#RENAME}, the new name)
 * @param oldPath for a rename the old name, for a hard link the existing name, for a mount the
 *     source when it is a path
 * @param target for an exec, the program file {@link #path()} led to when that differs: the
 *     symbolic link's target (all links followed) as the kernel recorded it
 * @param resolved false when a relative name could not be made absolute (a directory fd other
 *     than the working directory); {@link #path()} is then relative as the process gave it, or
 *     {@code ""} when the log holds no name (io_uring requests: the kernel records their files
 *     by inode only)
 * @param success whether the system call succeeded; failed calls are kept but are not accesses
 * @param errno the error name (such as {@code ENOENT}) of a failed call
 * @param syscall the system call's name, or {@code syscall#N} for one the arch table lacks; for
 *     an io_uring request its operation, such as {@code IORING_OP_OPENAT}
 * @param arch the architecture name ({@code x86_64}, {@code i386}, ...) or the raw hex value;
 *     {@code ""} for an io_uring request (its record has none)
 * @param process the calling process
 * @param keys the keys of the audit rule that matched, in the rule's order: none, one, or several
 *     (a rule with several {@code -k}, or matching rules' keys the kernel joined)
 * @param inode the file's inode, when the kernel recorded it
 * @param dev the device as {@code major:minor} in hex, when recorded
 * @param mode the file's type and permission bits, when recorded
 */
public record FileEvent(
    String node,
    int boot,
    long serial,
    Instant time,
    Phase phase,
    Op op,
    String path,
    Optional<String> oldPath,
    Optional<String> target,
    boolean resolved,
    boolean success,
    Optional<String> errno,
    String syscall,
    String arch,
    ProcessInfo process,
    List<String> keys,
    OptionalLong inode,
    Optional<String> dev,
    OptionalInt mode) {

  /** Copies {@code keys}; it must not be null. */
  public FileEvent {
    keys = List.copyOf(keys);
  }

  /** The first of {@link #keys()}: the rule key when there is one. */
  public Optional<String> key() {
    return keys.isEmpty() ? Optional.empty() : Optional.of(keys.get(0));
  }

  /**
   * The bytes of a name as the kernel logged it: the inverse of the escaping of {@link #path()}
   * and {@link #oldPath()} ({@code \xNN} is that byte, {@code \\} a backslash, the rest
   * UTF-8). Use it to open the file a name denotes when the name is not valid UTF-8.
   */
  public static byte[] nameBytes(String name) {
    return Bytes.unescape(name);
  }
}
