package org.bootaudit.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bootaudit.core.InvalidInputException;
import org.bootaudit.core.SourceLocation;

/**
 * The original post's {@code access_time.cfg}: {@code targets} (directories whose use matters)
 * and {@code exclude_extensions} (also spelled {@code excluded_extension(s)}); other keys such as
 * {@code boot_start} are ignored here.
 *
 * @param targets absolute directory paths
 * @param excludeExtensions file name endings to leave out of the analysis, e.g. {@code .png}
 */
public record TargetsConfig(List<String> targets, List<String> excludeExtensions) {

  private static final List<String> EXCLUDE_KEYS =
      List.of("exclude_extensions", "excluded_extension", "excluded_extensions");

  /** Copies the lists. */
  public TargetsConfig {
    targets = List.copyOf(targets);
    excludeExtensions = List.copyOf(excludeExtensions);
  }

  /**
   * Reads a JSON config file.
   *
   * @throws RuleSyntaxException when the file is not such a JSON object
   * @throws IOException when it cannot be read
   */
  public static TargetsConfig read(Path file) throws IOException {
    String source = file.toString();
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      throw new RuleSyntaxException(
          new SourceLocation(
              source, l == null ? 1 : l.getLineNr(), l == null ? 1 : l.getColumnNr()),
          "expected a JSON object, " + InvalidInputException.excerpt(e.getOriginalMessage()));
    }
    if (root == null || !root.isObject() || !root.has("targets")) {
      throw new RuleSyntaxException(
          new SourceLocation(source, 1, 1),
          "expected a JSON object with \"targets\", found '"
              + InvalidInputException.excerpt(root == null ? "" : root.toString()) + "'");
    }
    List<String> excluded = new ArrayList<>();
    for (String key : EXCLUDE_KEYS) {
      excluded.addAll(strings(source, root, key));
    }
    List<String> targets = strings(source, root, "targets");
    targets.stream()
        .filter(t -> !t.startsWith("/") || t.matches(".*\\s.*"))
        .findFirst()
        .ifPresent(t -> {
          throw new RuleSyntaxException(
              new SourceLocation(source, 1, 1),
              "targets: expected an absolute path without blanks, found '"
                  + InvalidInputException.excerpt(t) + "'");
        });
    return new TargetsConfig(targets, excluded);
  }

  private static List<String> strings(String source, JsonNode root, String key) {
    JsonNode n = root.path(key);
    List<String> out = new ArrayList<>();
    if (n.isMissingNode() || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw new RuleSyntaxException(
          new SourceLocation(source, 1, 1),
          key + ": expected an array of strings, found '"
              + InvalidInputException.excerpt(n.toString()) + "'");
    }
    for (JsonNode x : n) {
      if (!x.isTextual()) {
        throw new RuleSyntaxException(
            new SourceLocation(source, 1, 1),
            key + ": expected a string, found '" + InvalidInputException.excerpt(x.toString())
                + "'");
      }
      out.add(x.asText());
    }
    return out;
  }
}
