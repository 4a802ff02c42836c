package org.bootaudit.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bootaudit.core.InvalidInputException;
import org.bootaudit.core.SourceLocation;

/**
 * The original post's {@code access_time.cfg}: {@code boot_start}, {@code boot_finish} (local
 * time, {@code yyyy-MM-dd HH:mm}), {@code targets} and {@code excluded_extension}.
 *
 * @param start the window's start, inclusive
 * @param finish the window's end, exclusive (the end of the minute or second given)
 * @param targets directories to scan
 * @param excluded file name endings to leave out
 */
public record AtimeConfig(
    Optional<Instant> start,
    Optional<Instant> finish,
    List<String> targets,
    List<String> excluded) {

  /** The keys the post's scripts and their copies use for the excluded endings. */
  public static final List<String> EXCLUDE_KEYS =
      List.of("excluded_extension", "excluded_extensions", "exclude_extensions");

  /** No window, no targets, nothing excluded. */
  public static AtimeConfig empty() {
    return new AtimeConfig(Optional.empty(), Optional.empty(), List.of(), List.of());
  }

  /**
   * Reads an {@code access_time.cfg}.
   *
   * @throws InvalidFileException if it is not a JSON object of that form
   */
  public static AtimeConfig read(Path file) throws IOException {
    return read(
        file, TimeSyntax.of(ZoneId.systemDefault(), java.time.Clock.systemDefaultZone(), () -> {
          throw new IllegalArgumentException("'boot' names the analysing host's boot; give a time");
        }));
  }

  /**
   * Reads an {@code access_time.cfg}, its times in {@code times}' syntax and zone.
   *
   * @throws InvalidFileException if it is not a JSON object of that form
   */
  public static AtimeConfig read(Path file, TimeSyntax times) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw InvalidFileException.at(
          file, e.getLocation(), "expected a JSON object, " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidFileException(
          new SourceLocation(file.toString(), 1, 1),
          "expected a JSON object with \"targets\", found '"
              + InvalidInputException.excerpt(root == null ? "" : root.toString()) + "'");
    }
    List<String> targets = strings(file, root, "targets");
    List<String> excluded = new ArrayList<>();
    for (String key : EXCLUDE_KEYS) {
      excluded.addAll(strings(file, root, key));
    }
    return new AtimeConfig(
        time(file, root, "boot_start", times, TimeSyntax.Bound.START),
        time(file, root, "boot_finish", times, TimeSyntax.Bound.END),
        targets,
        excluded);
  }

  private static List<String> strings(Path file, JsonNode root, String key) {
    JsonNode n = root.path(key);
    if (n.isMissingNode() || n.isNull()) {
      return List.of();
    }
    if (!n.isArray()) {
      throw InvalidFileException.of(
          file,
          key + ": expected an array of strings, found '"
              + InvalidInputException.excerpt(n.toString()) + "'");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode x : n) {
      if (!x.isTextual()) {
        throw InvalidFileException.of(
            file,
            key + ": expected a string, found '" + InvalidInputException.excerpt(x.toString())
                + "'");
      }
      out.add(x.asText());
    }
    return out;
  }

  private static Optional<Instant> time(
      Path file, JsonNode root, String key, TimeSyntax times, TimeSyntax.Bound bound) {
    if (!root.hasNonNull(key)) {
      return Optional.empty();
    }
    try {
      return Optional.of(times.parse(root.get(key).asText(), bound));
    } catch (IllegalArgumentException e) {
      throw InvalidFileException.of(file, key + ": " + e.getMessage());
    }
  }

  /**
   * Parses a time in {@link TimeSyntax} in the local zone; an end covers the whole minute (or
   * second, or day) it names, because the post's script compared minutes.
   *
   * @throws IllegalArgumentException if the text has none of the forms; the message says so
   */
  public static Instant parseLocal(String text, boolean end) {
    return TimeSyntax.of(ZoneId.systemDefault(), java.time.Clock.systemDefaultZone(), () -> {
          throw new IllegalArgumentException("'boot' names the analysing host's boot; give a time");
        })
        .parse(text, end ? TimeSyntax.Bound.END : TimeSyntax.Bound.START);
  }

  /** The boot time from {@code /proc/stat}'s {@code btime} line. */
  public static Instant bootTime(Path procStat) throws IOException {
    for (String line : Files.readAllLines(procStat)) {
      if (line.startsWith("btime ")) {
        try {
          return Instant.ofEpochSecond(Long.parseLong(line.substring(6).strip()));
        } catch (NumberFormatException e) {
          throw InvalidFileException.of(
              procStat,
              "btime: expected seconds, found '" + InvalidInputException.excerpt(line.substring(6))
                  + "'");
        }
      }
    }
    throw InvalidFileException.of(
        procStat, "expected a 'btime' line, found none (give --boot-start)");
  }
}
