package org.bootaudit.initramfs;

import java.nio.charset.StandardCharsets;

/**
 * One newc cpio entry as found in a segment.
 *
 * @param name the name as stored (bytes mapped one-to-one to chars, ISO-8859-1), without the NUL
 * @param mode file type and permission bits ({@code st_mode})
 * @param ino inode number, used with the device numbers to tie hard links together
 * @param uid owner
 * @param gid group
 * @param nlink link count
 * @param mtime modification time, seconds since the epoch
 * @param size data length in bytes
 * @param devMajor major number of the device the file came from
 * @param devMinor minor number of the device the file came from
 * @param rdevMajor major number of a device node
 * @param rdevMinor minor number of a device node
 * @param headerOffset where the header starts, counted in the segment's (decompressed) bytes
 * @param dataOffset where the data starts, counted in the segment's (decompressed) bytes
 * @param linkTarget a symlink's target (its data), or the empty string for other kinds
 */
public record Entry(
    String name,
    int mode,
    long ino,
    long uid,
    long gid,
    long nlink,
    long mtime,
    long size,
    long devMajor,
    long devMinor,
    long rdevMajor,
    long rdevMinor,
    long headerOffset,
    long dataOffset,
    String linkTarget) {

  /** The kinds of file a cpio entry can describe. */
  public enum Kind {
    /** Regular file. */
    FILE('-'),
    /** Directory. */
    DIRECTORY('d'),
    /** Symbolic link. */
    SYMLINK('l'),
    /** Character device. */
    CHAR_DEVICE('c'),
    /** Block device. */
    BLOCK_DEVICE('b'),
    /** Named pipe. */
    FIFO('p'),
    /** Socket. */
    SOCKET('s'),
    /** A type the kernel would not create. */
    UNKNOWN('?');

    private final char letter;

    Kind(char letter) {
      this.letter = letter;
    }

    /** The letter {@code ls -l} shows. */
    public char letter() {
      return letter;
    }
  }

  /** The file type from {@link #mode()}. */
  public Kind kind() {
    return switch (mode & 0170000) {
      case 0100000 -> Kind.FILE;
      case 0040000 -> Kind.DIRECTORY;
      case 0120000 -> Kind.SYMLINK;
      case 0020000 -> Kind.CHAR_DEVICE;
      case 0060000 -> Kind.BLOCK_DEVICE;
      case 0010000 -> Kind.FIFO;
      case 0140000 -> Kind.SOCKET;
      default -> Kind.UNKNOWN;
    };
  }

  /** The name's bytes exactly as stored. */
  public byte[] nameBytes() {
    return name.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The name without a leading {@code ./} or {@code /}, as the kernel resolves it in rootfs. */
  public String path() {
    return normalize(name);
  }

  static String normalize(String name) {
    String n = name;
    while (n.startsWith("./") || n.startsWith("/")) {
      n = n.substring(n.startsWith("/") ? 1 : 2);
    }
    return n.equals(".") ? "" : n;
  }

  /** Permission bits and type as {@code ls -l} prints them, e.g. {@code -rwxr-xr-x}. */
  public String modeString() {
    StringBuilder s = new StringBuilder(10).append(kind().letter());
    String rwx = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      s.append((mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
    }
    return s.toString();
  }
}
