package org.bootaudit.rules;

import java.util.List;
import org.bootaudit.core.SourceLocation;

/**
 * A path watch, {@code -w path -p perms -k key}; the kernel binds it to the inode found at load
 * time, so a watch loaded in the initramfs does not follow switch_root.
 *
 * @param path the watched file or directory
 * @param permissions some of {@code rwxa}; {@code rwxa} when {@code -p} is absent
 * @param keys the {@code -k} keys, in order
 * @param location where {@code -w} is
 */
public record WatchRule(String path, String permissions, List<String> keys, SourceLocation location)
    implements Rule {

  /** Copies the key list. */
  public WatchRule {
    keys = List.copyOf(keys);
  }

  @Override
  public Kind kind() {
    return Kind.WATCH;
  }

  @Override
  public String canonical() {
    return Canonical.watch(path, permissions, keys);
  }
}
