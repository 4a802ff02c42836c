package org.bootaudit.initramfs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that bootaudit puts into a target root, before it is written: what {@link
 * Injector#initramfsToolsHookFiles} and {@link Injector#dracutModuleFiles} return, so that a
 * caller can show or record a change before making it. Holds an array, so it is compared by
 * identity.
 *
 * @param path where it goes, relative to the root ({@code etc/initramfs-tools/hooks/bootaudit})
 * @param data its bytes
 * @param mode its permission bits, e.g. {@code 0755}
 */
public record RootFile(String path, byte[] data, int mode) {

  /** Copies the bytes. */
  public RootFile {
    data = data.clone();
  }

  /** A copy of the bytes. */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /** Writes it under {@code root} with {@link TargetRoot#write}. */
  public Path writeTo(Path root) throws IOException {
    return TargetRoot.write(root.resolve(path), data, mode);
  }
}
