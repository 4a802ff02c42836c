package org.bootaudit.initramfs;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Reader#extract} did.
 *
 * @param image the image as read
 * @param dir the directory extracted into
 * @param written files, directories, symlinks and hard links created or replaced
 * @param skipped names of device nodes, FIFOs and sockets that were listed but not created
 */
public record ExtractResult(Image image, Path dir, int written, List<String> skipped) {

  /** Copies the list. */
  public ExtractResult {
    skipped = List.copyOf(skipped);
  }
}
