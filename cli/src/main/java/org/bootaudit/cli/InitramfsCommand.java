package org.bootaudit.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.bootaudit.initramfs.InjectionRefusedException;
import org.bootaudit.initramfs.Reader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bootaudit initramfs}: read, extract and inject initramfs images. */
@Command(
    name = "initramfs",
    mixinStandardHelpOptions = true,
    description = {
      "Read every segment of an initramfs (uncompressed newc, gzip, zstd, xz, lzma, bzip2, lz4 legacy),"
          + " list or extract it safely; inject early-boot auditing and verify an injected image.",
      "",
      "Exit codes: 0 ok, 2 usage, 65 bad or hostile image, 74 I/O error."
    },
    subcommands = {
      InitramfsLsCommand.class,
      InitramfsExtractCommand.class,
      InitramfsInjectCommand.class,
      InitramfsVerifyCommand.class,
      CommandLine.HelpCommand.class
    })
final class InitramfsCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "missing subcommand: ls, extract, inject or verify");
  }

  /** A reader with the cap given on the command line. */
  static Reader reader(long maxExpandedSize) {
    return org.bootaudit.initramfs.Initramfs.reader().maxExpandedSize(maxExpandedSize);
  }

  /**
   * Runs an image operation, turning a refused injection into exit code 65 (a malformed image is
   * an {@code InitramfsFormatException}, which {@link Main} maps to 65 with the rest of its family).
   */
  static <T> T guarded(ImageCall<T> call) throws IOException {
    try {
      return call.call();
    } catch (InjectionRefusedException e) {
      throw new BadInputException(e.getMessage());
    }
  }

  /** An operation on an image. */
  interface ImageCall<T> {
    T call() throws IOException;
  }

  /**
   * A stored name for a terminal: UTF-8 when its bytes are valid UTF-8, else each byte outside
   * printable ASCII as \xNN; control characters always escaped.
   */
  static String display(String latin1) {
    byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
    String s;
    try {
      s = StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      s = latin1;
    }
    StringBuilder out = new StringBuilder(s.length());
    boolean utf8 = s != latin1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\\' || (!utf8 && c > 0x7e)) {
        out.append(String.format("\\x%02X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
