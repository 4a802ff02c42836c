package org.bootaudit.rules;

import java.util.List;

/**
 * What {@link AuditRules#generate(TargetsConfig)} makes from a target list.
 *
 * @param text the rules file for the root filesystem (after switch_root), with comments
 * @param rules the same rules, parsed
 * @param reportArguments the analysis filter as {@code bootaudit report} options
 *     ({@code --target DIR}, {@code --exclude-ext EXT}); audit rules cannot filter by extension
 */
public record GeneratedRules(String text, RuleSet rules, List<String> reportArguments) {

  /** Copies the list. */
  public GeneratedRules {
    reportArguments = List.copyOf(reportArguments);
  }
}
