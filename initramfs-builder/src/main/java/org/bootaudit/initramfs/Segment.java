package org.bootaudit.initramfs;

import java.util.List;

/**
 * One segment of an image: an uncompressed newc archive or one compressed stream.
 *
 * @param number position in the image, counting from 1
 * @param offset first byte in the image file
 * @param length bytes it occupies in the image file (compressed length)
 * @param compression how it is stored
 * @param expandedSize bytes after decompression (equal to {@code length} for {@link
 *     Compression#NONE})
 * @param entries the cpio entries in stored order, trailers excluded
 */
public record Segment(
    int number,
    long offset,
    long length,
    Compression compression,
    long expandedSize,
    List<Entry> entries) {

  /** Copies the entry list. */
  public Segment {
    entries = List.copyOf(entries);
  }

  /** The first byte after this segment. */
  public long end() {
    return offset + length;
  }
}
