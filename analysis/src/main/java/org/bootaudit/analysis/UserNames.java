package org.bootaudit.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.bootaudit.core.InvalidInputException;
import org.bootaudit.core.ProcessInfo;
import org.bootaudit.core.SourceLocation;

/**
 * User and group names as {@code ausearch -i} shows them: from the {@code passwd} and {@code
 * group} files of the machine that wrote the log (its root mounted or copied here) when given,
 * and from the log itself where auditd wrote it in its ENRICHED format ({@link
 * ProcessInfo#user()}). The files win where both name an id; the log's names fill in the ids the
 * files lack. The analysing host's own files name other users, so nothing is read from it unless
 * given.
 */
public final class UserNames {

  private final Map<Long, String> users;
  private final Map<String, Long> uids;
  private final Map<Long, String> groups;
  private final boolean interpret;

  private UserNames(Map<Long, String> users, Map<Long, String> groups, boolean interpret) {
    this.users = users;
    this.groups = groups;
    this.interpret = interpret;
    this.uids = new HashMap<>();
    users.forEach((id, name) -> uids.putIfAbsent(name, id));
  }

  /** No names: every id stays a number. */
  public static UserNames none() {
    return new UserNames(Map.of(), Map.of(), false);
  }

  /** The names the log's ENRICHED fields give, and no others. */
  public static UserNames fromLog() {
    return new UserNames(Map.of(), Map.of(), true);
  }

  /**
   * Reads {@code passwd} and, when given, {@code group} ({@code name:x:id:...} lines; comments
   * and blank lines skipped; the first entry of an id wins, as with getpwuid); the log's ENRICHED
   * names fill in the ids they lack.
   *
   * @throws InvalidFileException for a line that is not of that form
   */
  public static UserNames read(Path passwd, Optional<Path> group) throws IOException {
    return new UserNames(ids(passwd), group.isPresent() ? ids(group.get()) : Map.of(), true);
  }

  private static Map<Long, String> ids(Path file) throws IOException {
    Map<Long, String> out = new HashMap<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#") || line.startsWith("+") || line.startsWith("-")) {
        continue;
      }
      String[] f = line.split(":", -1);
      try {
        if (f.length < 3 || f[0].isEmpty()) {
          throw new NumberFormatException();
        }
        out.putIfAbsent(Long.parseLong(f[2]), f[0]);
      } catch (NumberFormatException e) {
        throw new InvalidFileException(
            new SourceLocation(file.toString(), i + 1, 1),
            "expected name:password:id:..., found '" + InvalidInputException.excerpt(line) + "'");
      }
    }
    return out;
  }

  /**
   * The user named for {@code uid}; {@code unset} for -1 (the kernel's 4294967295), as ausearch
   * prints; empty for an unknown uid, and for every uid when no names were read.
   */
  public Optional<String> user(long uid) {
    if (users.isEmpty()) {
      return Optional.empty();
    }
    return uid == -1 ? Optional.of("unset") : Optional.ofNullable(users.get(uid));
  }

  /** The name of {@code p}'s uid: from the passwd file, else from the log; empty for {@link #none()}. */
  public Optional<String> user(ProcessInfo p) {
    return interpret ? user(p.uid()).or(p::user) : Optional.empty();
  }

  /** The name of {@code p}'s auid, as {@link #user(ProcessInfo)} names its uid. */
  public Optional<String> auser(ProcessInfo p) {
    return interpret ? user(p.auid()).or(p::auser) : Optional.empty();
  }

  /** The group named for {@code gid}. */
  public Optional<String> group(long gid) {
    return Optional.ofNullable(groups.get(gid));
  }

  /** The uid of a user name. */
  public OptionalLong uid(String name) {
    Long id = uids.get(name);
    return id == null ? OptionalLong.empty() : OptionalLong.of(id);
  }
}
