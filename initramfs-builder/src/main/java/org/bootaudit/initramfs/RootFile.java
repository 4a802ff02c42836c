package org.bootaudit.initramfs;

/**
 * A file that bootaudit puts into a target root, before it is written: what {@link
 * Injector#initramfsToolsHookFiles} and {@link Injector#dracutModuleFiles} return, so that a
 * caller can show or record a change before making it. {@link RootSetup} writes them through the
 * one target-root writer, which records each in the root's manifest. Holds an array, so it is
 * compared by identity.
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
}
