package org.bootaudit.analysis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bootaudit.core.InvalidInputException;
import org.bootaudit.core.SourceLocation;

/**
 * The kernel's IMA measurement list: what Integrity Measurement Architecture hashed, in order,
 * from the initramfs on. Reads the text list ({@code ascii_runtime_measurements}) and the binary
 * one ({@code binary_runtime_measurements}, this machine's byte order), templates {@code ima},
 * {@code ima-ng}, {@code ima-sig} and {@code ima-buf}.
 */
public final class ImaLog {

  /**
   * One measurement.
   *
   * @param index its place in the list, from 0
   * @param pcr the PCR it was extended into (10 unless the policy says otherwise)
   * @param template the template's name: {@code ima}, {@code ima-ng}, {@code ima-sig}, {@code ima-buf}
   * @param algorithm the file hash's algorithm, such as {@code sha256} ({@code sha1} for {@code ima})
   * @param digest the file's hash (for {@code ima-buf}, the buffer's), lower-case hex
   * @param name the file's path as IMA saw it, or the buffer's name (such as {@code kexec-cmdline})
   * @param signature the file's signature ({@code ima-sig}) or the buffer ({@code ima-buf}), hex, or empty
   */
  public record Measurement(
      int index,
      int pcr,
      String template,
      String algorithm,
      String digest,
      String name,
      Optional<String> signature) {

    /** {@code algorithm:digest}, the form the list prints. */
    public String hash() {
      return algorithm + ":" + digest;
    }

    /** True for a file's measurement, false for a buffer ({@code ima-buf}) or the boot aggregate. */
    public boolean isFile() {
      return !template.equals("ima-buf") && name.startsWith("/");
    }
  }

  private ImaLog() {}

  /**
   * Reads a measurement list, text or binary (told from its first bytes).
   *
   * @throws InvalidFileException if it is neither, with the line (text) or byte offset (binary)
   */
  public static List<Measurement> read(Path file) throws IOException {
    byte[] data = Files.readAllBytes(file);
    boolean text = data.length == 0 || Character.isDigit(data[0] & 0xff) && looksLikeText(data);
    return text ? text(file.toString(), data) : binary(file.toString(), data);
  }

  private static boolean looksLikeText(byte[] data) {
    for (int i = 0; i < Math.min(data.length, 64); i++) {
      if (data[i] == 0) {
        return false;
      }
    }
    return true;
  }

  private static List<Measurement> text(String source, byte[] data) {
    List<Measurement> out = new ArrayList<>();
    String[] lines = new String(data, StandardCharsets.ISO_8859_1).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      // PCR TEMPLATE-HASH TEMPLATE FILE-HASH NAME [SIGNATURE|BUFFER]; a name holds no blank
      String[] f = line.split(" ", -1);
      if (f.length < 5) {
        throw bad(
            source,
            i + 1,
            1,
            "expected 'PCR TEMPLATE-HASH TEMPLATE FILE-HASH NAME', found '"
                + InvalidInputException.excerpt(line) + "'");
      }
      int pcr;
      try {
        pcr = Integer.parseInt(f[0]);
      } catch (NumberFormatException e) {
        throw bad(
            source,
            i + 1,
            1,
            "expected a PCR number, found '" + InvalidInputException.excerpt(f[0]) + "'");
      }
      String template = f[2];
      String algorithm = "sha1";
      String digest = f[3];
      int colon = digest.indexOf(':');
      if (colon >= 0) {
        algorithm = digest.substring(0, colon);
        digest = digest.substring(colon + 1);
      } else if (!template.equals("ima")) {
        int column = f[0].length() + f[1].length() + f[2].length() + 4;
        throw bad(
            source,
            i + 1,
            column,
            "expected ALGORITHM:HEX for template " + template + ", found '"
                + InvalidInputException.excerpt(digest) + "'");
      }
      if (!isHex(digest)) {
        int column = line.indexOf(digest) + 1;
        throw bad(
            source,
            i + 1,
            column,
            "expected a hex digest, found '" + InvalidInputException.excerpt(digest) + "'");
      }
      String name = utf8(f[4]);
      Optional<String> extra =
          f.length > 5 && !f[5].isEmpty() ? Optional.of(f[5]) : Optional.empty();
      out.add(new Measurement(
          out.size(),
          pcr,
          template,
          algorithm,
          digest.toLowerCase(java.util.Locale.ROOT),
          name,
          extra));
    }
    return out;
  }

  /** The binary list: per entry PCR, template digest, template name and template data (host order). */
  private static List<Measurement> binary(String source, byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
    List<Measurement> out = new ArrayList<>();
    HexFormat hex = HexFormat.of();
    while (b.hasRemaining()) {
      long at = b.position();
      try {
        int pcr = b.getInt();
        b.position(b.position() + 20); // the template hash (SHA-1)
        String template =
            new String(bytes(b, b.getInt(), "template name"), StandardCharsets.US_ASCII);
        ByteBuffer d =
            ByteBuffer.wrap(bytes(b, b.getInt(), "template data")).order(ByteOrder.nativeOrder());
        String algorithm;
        String digest;
        String name;
        Optional<String> extra = Optional.empty();
        if (template.equals("ima")) {
          algorithm = "sha1";
          digest = hex.formatHex(bytes(d, 20, "digest"));
          name = nulTerminated(bytes(d, d.remaining(), "name"));
        } else {
          byte[] field = bytes(d, d.getInt(), "digest field");
          int nul = indexOf(field, (byte) 0);
          if (nul < 1 || field[nul - 1] != ':') {
            throw new IllegalArgumentException("expected ALGORITHM:\\0 before the digest");
          }
          algorithm = new String(field, 0, nul - 1, StandardCharsets.US_ASCII);
          digest = hex.formatHex(field, nul + 1, field.length);
          name = nulTerminated(bytes(d, d.getInt(), "name"));
          if (d.remaining() >= 4) {
            byte[] e = bytes(d, d.getInt(), template.equals("ima-buf") ? "buffer" : "signature");
            extra = e.length == 0 ? Optional.empty() : Optional.of(hex.formatHex(e));
          }
        }
        out.add(new Measurement(out.size(), pcr, template, algorithm, digest, utf8(name), extra));
      } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
        throw new InvalidFileException(
            new SourceLocation(source, 0, 0, at),
            "entry " + out.size() + " at byte 0x"
                + Long.toHexString(at) + ": expected a binary IMA measurement"
                + (e.getMessage() == null ? ", found the list cut short" : ", " + e.getMessage()));
      }
    }
    return out;
  }

  private static byte[] bytes(ByteBuffer b, int n, String what) {
    if (n < 0 || n > b.remaining()) {
      throw new IllegalArgumentException(
          what + " of " + n + " bytes, with " + b.remaining() + " left");
    }
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }

  private static int indexOf(byte[] b, byte v) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }

  private static String nulTerminated(byte[] b) {
    int nul = indexOf(b, (byte) 0);
    return new String(b, 0, nul < 0 ? b.length : nul, StandardCharsets.ISO_8859_1);
  }

  /** Bytes read as ISO-8859-1 back to bytes, then to text as core escapes names. */
  private static String utf8(String latin1) {
    byte[] raw = latin1.getBytes(StandardCharsets.ISO_8859_1);
    String s = new String(raw, StandardCharsets.UTF_8);
    return s.indexOf('\uFFFD') < 0 ? s : latin1;
  }

  private static boolean isHex(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static InvalidFileException bad(String source, long line, int column, String problem) {
    return new InvalidFileException(new SourceLocation(source, line, column), problem);
  }
}
