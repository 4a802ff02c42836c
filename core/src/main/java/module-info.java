/** bootaudit core: Linux audit logs to ordered file events. Entry point: {@link org.bootaudit.core.AuditLog}. */
module org.bootaudit.core {
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.dataformat.csv;

  exports org.bootaudit.core;
}
