/** bootaudit rules: audit rules as data. Entry point: {@link org.bootaudit.rules.AuditRules}. */
module org.bootaudit.rules {
  requires transitive org.bootaudit.core;
  requires com.fasterxml.jackson.databind;

  exports org.bootaudit.rules;
}
