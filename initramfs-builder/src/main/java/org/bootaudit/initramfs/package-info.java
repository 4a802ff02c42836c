/**
 * Initramfs images as the kernel sees them: a sequence of segments (uncompressed newc cpio,
 * or gzip, zstd, xz, lzma, bzip2, lz4-legacy streams holding newc archives), read with exact
 * segment ends, extracted without ever writing outside the target directory, and injected
 * with an early-boot audit wrapper by appending one uncompressed segment.
 *
 * <p>Target roots: {@link org.bootaudit.initramfs.RootSetup} sets up a root so that its own
 * initramfs-tools or dracut build images with auditing ({@code bootaudit enable}), and undoes it.
 * A malformed image is an {@link org.bootaudit.initramfs.InitramfsFormatException} located by an
 * {@link org.bootaudit.initramfs.ImageLocation}.
 *
 * <p>Entry point: {@link org.bootaudit.initramfs.Initramfs}.
 */
package org.bootaudit.initramfs;
