/**
 * bootaudit initramfs-builder: read every segment of a Linux initramfs, extract it safely and
 * inject early-boot auditing. Entry point: {@link org.bootaudit.initramfs.Initramfs}.
 */
@SuppressWarnings("requires-automatic")
module org.bootaudit.initramfs {
  requires transitive org.bootaudit.core;
  requires org.bootaudit.rules;
  requires org.apache.commons.compress;
  requires com.google.common;
  requires com.github.luben.zstd_jni;
  requires org.tukaani.xz;
  requires org.lz4.java;

  exports org.bootaudit.initramfs;
}
